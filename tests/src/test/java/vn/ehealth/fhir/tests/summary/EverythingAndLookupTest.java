package vn.ehealth.fhir.tests.summary;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/** Patient/$everything with _type and _count paging; $summary found by BHYT (issue 6). */
class EverythingAndLookupTest {

	private static final String BHYT = "http://fhir.ehealth.gov.vn/core/sid/insurance_number";
	private static IGenericClient client;
	private static Http http;
	private static IdType patientId;
	private static String bhyt;

	@BeforeAll
	static void data() {
		client = TestServer.shared().client();
		http = TestServer.shared().http();
		Patient patient = Fixtures.patientWithCccd(Fixtures.cccd("001085"), "male", "1985-03-02");
		bhyt = String.format("%010d", (long) (Math.random() * 1e10));
		patient.addIdentifier().setSystem(BHYT).setValue(bhyt);
		patientId = (IdType) client.create().resource(patient).execute().getId().toUnqualifiedVersionless();
		for (int i = 0; i < 7; i++) {
			Observation observation = new Observation();
			observation.setStatus(Observation.ObservationStatus.FINAL);
			observation.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
			observation.setSubject(new Reference(patientId));
			client.create().resource(observation).execute();
		}
		Condition condition = new Condition();
		condition.getCode().addCoding().setSystem("https://vietfhir.org/fhir/CodeSystem/vn-icd10").setCode("I10");
		condition.setSubject(new Reference(patientId));
		client.create().resource(condition).execute();
	}

	@Test
	void everythingPagesWithCount() {
		Bundle page = http.get("/fhir/Patient/" + patientId.getIdPart() + "/$everything?_count=3", "application/fhir+json")
				.resource(Bundle.class);
		Set<String> seen = new HashSet<>();
		int pages = 0;
		while (page != null) {
			pages++;
			assertThat(page.getEntry().size()).isLessThanOrEqualTo(3);
			page.getEntry().forEach(e -> seen.add(e.getResource().fhirType() + "/" + e.getResource().getIdElement().getIdPart()));
			page = page.getLink(Bundle.LINK_NEXT) != null ? client.loadPage().next(page).execute() : null;
		}
		assertThat(pages).isGreaterThanOrEqualTo(3);
		assertThat(seen).hasSize(9); // patient + 7 observations + 1 condition
	}

	@Test
	void everythingFiltersByType() {
		Bundle conditions = http.get(
						"/fhir/Patient/" + patientId.getIdPart() + "/$everything?_type=Condition", "application/fhir+json")
				.resource(Bundle.class);
		// HAPI always returns the patient itself beside the types asked for
		assertThat(conditions.getEntry()).extracting(e -> e.getResource().fhirType()).containsOnly("Patient", "Condition");

	}

	/** The Condition made above has no clinical status: the summary once failed on that with a 500. */
	@Test
	void summaryIsFoundByTheHealthInsuranceNumberToo() {
		String identifier = URLEncoder.encode(BHYT + "|" + bhyt, StandardCharsets.UTF_8);
		Http.Response response = http.get("/fhir/Patient/$summary?identifier=" + identifier, "application/fhir+json");
		assertThat(response.status()).isEqualTo(200);
		Bundle summary = response.resource(Bundle.class);
		assertThat(summary.getEntry())
				.anySatisfy(e -> assertThat(e.getResource().getIdElement().getIdPart()).isEqualTo(patientId.getIdPart()));
	}

	@Test
	void everythingSinceHasOnlyWhatChangedAfterIt() throws Exception {
		Patient patient = Fixtures.patientWithCccd(Fixtures.cccd("001085"), "male", "1985-03-02");
		IdType id = (IdType) client.create().resource(patient).execute().getId().toUnqualifiedVersionless();
		List<IdType> observations = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			Observation observation = new Observation();
			observation.setStatus(Observation.ObservationStatus.FINAL);
			observation.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
			observation.setSubject(new Reference(id));
			observations.add((IdType) client.create().resource(observation).execute().getId().toUnqualifiedVersionless());
		}
		Thread.sleep(20);
		String since = java.time.Instant.now().toString();
		Thread.sleep(20);
		Observation changed = client.read().resource(Observation.class).withId(observations.get(1)).execute();
		changed.setStatus(Observation.ObservationStatus.AMENDED);
		client.update().resource(changed).execute();

		Bundle everything = http.get("/fhir/Patient/" + id.getIdPart() + "/$everything?_since=" + URLEncoder.encode(since, StandardCharsets.UTF_8),
				"application/fhir+json").resource(Bundle.class);
		List<String> observationIds = everything.getEntry().stream()
				.filter(e -> e.getResource().fhirType().equals("Observation"))
				.map(e -> e.getResource().getIdElement().getIdPart()).toList();
		assertThat(observationIds).containsExactly(observations.get(1).getIdPart());

		// the pages after the first keep the filter
		List<String> paged = new ArrayList<>();
		Bundle page = http.get("/fhir/Patient/" + id.getIdPart() + "/$everything?_count=1&_since=" + URLEncoder.encode(since, StandardCharsets.UTF_8),
				"application/fhir+json").resource(Bundle.class);
		while (page != null) {
			page.getEntry().stream().filter(e -> e.getResource().fhirType().equals("Observation"))
					.forEach(e -> paged.add(e.getResource().getIdElement().getIdPart()));
			page = page.getLink(Bundle.LINK_NEXT) != null ? client.loadPage().next(page).execute() : null;
		}
		assertThat(paged).containsExactly(observations.get(1).getIdPart());

		Http.Response bad = http.get("/fhir/Patient/" + id.getIdPart() + "/$everything?_since=yesterday", "application/fhir+json");
		assertThat(bad.status()).isEqualTo(400);
		assertThat(bad.diagnostics()).contains("_since");
	}

	/** A facility's own patient number (an MR identifier in the facility's system) finds the patient and the summary. */
	@Test
	void facilityPatientNumberFindsThePatientAndTheSummary() {
		String system = "http://fhir.ehealth.gov.vn/core/sid/provider-code/01001/patient-number";
		String number = "BN-" + Fixtures.uniqueValue().substring(0, 8);
		Patient patient = Fixtures.patientWithCccd(Fixtures.cccd("001085"), "male", "1985-03-02");
		patient.addIdentifier().setSystem(system).setValue(number).getType().addCoding()
				.setSystem("http://terminology.hl7.org/CodeSystem/v2-0203").setCode("MR");
		String id = client.create().resource(patient).execute().getId().getIdPart();
		String identifier = URLEncoder.encode(system + "|" + number, StandardCharsets.UTF_8);
		Bundle found = http.get("/fhir/Patient?identifier=" + identifier, "application/fhir+json").resource(Bundle.class);
		assertThat(found.getEntry()).hasSize(1);
		assertThat(found.getEntryFirstRep().getResource().getIdElement().getIdPart()).isEqualTo(id);
		Http.Response summary = http.get("/fhir/Patient/$summary?identifier=" + identifier, "application/fhir+json");
		assertThat(summary.status()).isEqualTo(200);
		assertThat(summary.body()).contains(id);
	}
}
