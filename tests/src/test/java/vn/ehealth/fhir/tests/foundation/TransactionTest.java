package vn.ehealth.fhir.tests.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

class TransactionTest {

	private static IGenericClient client;
	private static Http http;

	@BeforeAll
	static void server() {
		client = TestServer.shared().client();
		http = TestServer.shared().http();
	}

	@Test
	void transactionResolvesUrnUuidReferences() {
		String idValue = Fixtures.uniqueValue();
		Bundle tx = patientEncounterObservation(idValue);

		Bundle response = client.transaction().withBundle(tx).execute();

		assertThat(response.getEntry()).hasSize(3);
		response.getEntry().forEach(e -> assertThat(e.getResponse().getStatus()).startsWith("201"));
		String patientId = new org.hl7.fhir.r4.model.IdType(response.getEntry().get(0).getResponse().getLocation())
				.toUnqualifiedVersionless().getValue();

		Bundle observations = client.search()
				.forResource(Observation.class)
				.where(Observation.SUBJECT.hasId(patientId))
				.returnBundle(Bundle.class)
				.execute();
		assertThat(observations.getEntry()).hasSize(1);
		Observation stored = (Observation) observations.getEntryFirstRep().getResource();
		assertThat(stored.getSubject().getReference()).isEqualTo(patientId);
		assertThat(stored.getEncounter().getReference()).startsWith("Encounter/");
	}

	@Test
	void failingEntryRollsBackTheWholeTransaction() {
		String idValue = Fixtures.uniqueValue();
		Bundle tx = patientEncounterObservation(idValue);
		// the last entry points at a patient that does not exist: the whole bundle must fail
		Observation orphan = new Observation();
		orphan.setStatus(Observation.ObservationStatus.FINAL);
		orphan.getCode().setText("Đường huyết");
		orphan.setSubject(new Reference("Patient/khong-ton-tai-" + idValue));
		tx.addEntry().setResource(orphan).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");

		Http.Response response = http.post("/fhir", "application/fhir+json", encode(tx));

		assertThat(response.status()).isBetween(400, 499);
		assertThat(response.diagnostics()).contains("khong-ton-tai-" + idValue);
		assertThat(Fixtures.countPatients(client, idValue)).isZero();
	}

	@Test
	void batchEntriesSucceedOrFailOnTheirOwn() {
		String idValue = Fixtures.uniqueValue();
		Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
		batch.addEntry()
				.setResource(Fixtures.patient("Đặng", "Thu Hà", idValue))
				.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");
		batch.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl("Patient/khong-co-" + idValue);

		Bundle response = client.transaction().withBundle(batch).execute();

		assertThat(response.getEntry().get(0).getResponse().getStatus()).startsWith("201");
		assertThat(response.getEntry().get(1).getResponse().getStatus()).startsWith("404");
		assertThat(Fixtures.countPatients(client, idValue)).isEqualTo(1);
	}

	private static Bundle patientEncounterObservation(String idValue) {
		Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		String patientUrn = "urn:uuid:" + UUID.randomUUID();
		String encounterUrn = "urn:uuid:" + UUID.randomUUID();
		Patient patient = Fixtures.patient("Bùi", "Quang Vinh", idValue);
		add(tx, patient, patientUrn);
		Encounter encounter = new Encounter();
		encounter.setStatus(Encounter.EncounterStatus.FINISHED);
		encounter.getClass_().setSystem("http://terminology.hl7.org/CodeSystem/v3-ActCode").setCode("AMB");
		encounter.setSubject(new Reference(patientUrn));
		add(tx, encounter, encounterUrn);
		Observation observation = new Observation();
		observation.setStatus(Observation.ObservationStatus.FINAL);
		observation.getCode().addCoding().setSystem("http://loinc.org").setCode("8480-6").setDisplay("Huyết áp tâm thu");
		observation.setSubject(new Reference(patientUrn));
		observation.setEncounter(new Reference(encounterUrn));
		observation.setValue(new Quantity().setValue(140).setUnit("mmHg").setSystem("http://unitsofmeasure.org").setCode("mm[Hg]"));
		add(tx, observation, "urn:uuid:" + UUID.randomUUID());
		return tx;
	}

	private static void add(Bundle tx, Resource resource, String fullUrl) {
		tx.addEntry()
				.setFullUrl(fullUrl)
				.setResource(resource)
				.getRequest()
				.setMethod(Bundle.HTTPVerb.POST)
				.setUrl(resource.fhirType());
	}

	static String encode(Resource resource) {
		return TestServer.fhirContext().newJsonParser().encodeResourceToString(resource);
	}
}
