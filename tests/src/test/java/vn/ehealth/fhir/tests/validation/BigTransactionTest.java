package vn.ehealth.fhir.tests.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.bench.SyntheticPatients;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * Transactions of a thousand entries are validated in chunks (issue 21): what a client sees is what
 * it saw when the whole Bundle went to the validator at once. The shared server enforces Patient,
 * Observation and Encounter and warns on Practitioner (see TestServer).
 */
class BigTransactionTest {

	private static Http http;

	@BeforeAll
	static void server() {
		http = TestServer.shared().http();
	}

	@Test
	void anInvalidLastEntryRefusesAThousandEntriesAndIsNamedByItsIndex() {
		String marker = Fixtures.uniqueValue();
		Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		for (int i = 0; i < 999; i++) {
			add(transaction, marked(Fixtures.patientWithCccd(Fixtures.cccd("001085"), "male", "1985-03-02"), marker));
		}
		// digit 4 = 1 means a woman born in the 1900s; the patient is a man
		add(transaction, marked(Fixtures.patientWithCccd(Fixtures.cccd("001185"), "male", "1985-03-02"), marker));

		Http.Response response = http.post("/fhir", "application/fhir+json", encode(transaction));

		assertThat(response.status()).as(response.body()).isEqualTo(422);
		assertThat(response.diagnostics()).contains("vn-cccd");
		var located = response.outcome().getIssue().stream()
				.filter(issue -> issue.getSeverity() == OperationOutcome.IssueSeverity.ERROR)
				.map(issue -> issue.getExpression() + " " + issue.getLocation())
				.filter(where -> where.contains("Bundle.entry["))
				.toList();
		assertThat(located).isNotEmpty().allSatisfy(where -> assertThat(where).contains("Bundle.entry[999]"));
		assertThat(Fixtures.countPatients(TestServer.shared().client(), marker)).isZero();
	}

	@Test
	void referencesBetweenEntriesFarApartResolveWithoutErrors() {
		Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		// a patient PUT under its id, referred to by Type/id from the last entry
		String patientId = "bigtx-" + UUID.randomUUID();
		put(transaction, Fixtures.patientWithCccd(Fixtures.cccd("001085"), "male", "1985-03-02"), patientId);
		SyntheticPatients patients = new SyntheticPatients(9_501L);
		// a few hundred entries: six chunks and more, and stored within the client's timeout on a loaded machine
		for (int n = 0; transaction.getEntry().size() < 300; n++) {
			patients.patientBundle(n, 10).getEntry().forEach(transaction::addEntry);
		}
		// the first synthetic patient, seen again at the end: its urn:uuid reference crosses the bundle
		Observation weight = (Observation) transaction.getEntry().get(6).getResource().copy();
		weight.setSubject(new Reference(transaction.getEntry().get(1).getFullUrl())).setEncounter(null);
		add(transaction, weight);
		Observation byId = weight.copy();
		byId.setSubject(new Reference("Patient/" + patientId));
		put(transaction, byId, "bigtx-" + UUID.randomUUID());

		Http.Response response = http.post("/fhir", "application/fhir+json", encode(transaction));

		// enforce mode: a reference the validator could not resolve would be an error, and refuse it
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		assertThat(response.resource(Bundle.class).getEntry()).hasSize(transaction.getEntry().size());
	}

	@Test
	void warnModeReportsTheIssuesOfEveryChunk() {
		Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		for (int i = 0; i < 130; i++) {
			add(transaction, inconsistentPractitioner());
		}
		Http.Response response = http.post("/fhir", "application/fhir+json", encode(transaction));
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		assertThat(Integer.parseInt(response.header("X-Validation-Issues"))).isGreaterThanOrEqualTo(130);
	}

	private static Patient marked(Patient patient, String marker) {
		patient.getIdentifierFirstRep().setValue(marker);
		return patient;
	}

	/** A female practitioner whose CCCD says a man born in the 1900s. */
	private static Practitioner inconsistentPractitioner() {
		Practitioner practitioner = new Practitioner();
		practitioner.addName().setFamily("Đỗ").addGiven("Thị Hoa");
		practitioner.setGender(Enumerations.AdministrativeGender.FEMALE);
		practitioner.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1980-05-01"));
		practitioner.addIdentifier().setSystem(Fixtures.CCCD_SYSTEM).setValue(Fixtures.cccd("001080"));
		return practitioner;
	}

	private static void add(Bundle transaction, Resource resource) {
		transaction.addEntry(entry(resource, "urn:uuid:" + UUID.randomUUID()));
	}

	private static void put(Bundle transaction, Resource resource, String id) {
		resource.setId(id);
		String url = resource.fhirType() + "/" + id;
		transaction.addEntry().setFullUrl(http.uri("/fhir/" + url).toString()).setResource(resource)
				.getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl(url);
	}

	private static Bundle.BundleEntryComponent entry(Resource resource, String fullUrl) {
		Bundle.BundleEntryComponent entry = new Bundle.BundleEntryComponent().setFullUrl(fullUrl).setResource(resource);
		entry.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl(resource.fhirType());
		return entry;
	}

	private static String encode(Resource resource) {
		return TestServer.fhirContext().newJsonParser().encodeResourceToString(resource);
	}
}
