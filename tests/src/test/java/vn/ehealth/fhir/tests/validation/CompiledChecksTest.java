package vn.ehealth.fhir.tests.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.bench.SyntheticPatients;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * The validation fast path (issue 21) on the real server: entries of a transaction the compiled
 * checks prove conformant skip the HL7 validator (counted in vietfhir_validation_proven_total), an
 * entry they cannot prove is still refused with the HL7 validator's messages, and what is stored is
 * what was sent.
 */
class CompiledChecksTest {

	private static Http http;

	@BeforeAll
	static void server() {
		http = TestServer.shared().http();
	}

	@Test
	void aValidPatientBundleIsProvenEntryByEntryAndStoredAsSent() {
		Bundle transaction = new SyntheticPatients(9_101L).patientBundle(0, 3);
		Encounter sent = (Encounter) transaction.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
				.filter(Encounter.class::isInstance).findFirst().orElseThrow();
		String start = sent.getPeriod().getStartElement().getValueAsString();
		assertThat(start).as("a time with its zone, which per-1 compares").endsWith("+07:00");
		double before = proven();

		Http.Response response = http.post("/fhir", "application/fhir+json", encode(transaction));

		assertThat(response.status()).as(response.body()).isEqualTo(200);
		assertThat(proven() - before).as("entries proven without the HL7 validator").isEqualTo(transaction.getEntry().size());
		String location = response.resource(Bundle.class).getEntry().stream()
				.map(entry -> entry.getResponse().getLocation())
				.filter(where -> where.startsWith("Encounter/")).findFirst().orElseThrow();
		Encounter stored = TestServer.fhirContext().newJsonParser()
				.parseResource(Encounter.class, http.get("/fhir/" + location.replaceAll("/_history/.*", ""), "application/fhir+json").body());
		assertThat(stored.getPeriod().getStartElement().getValueAsString()).isEqualTo(start);
	}

	@Test
	void anEntryTheChecksCannotProveIsRefusedWithTheHl7ValidatorsMessage() {
		Bundle transaction = new SyntheticPatients(9_102L).patientBundle(0, 1);
		Observation observation = (Observation) transaction.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
				.filter(Observation.class::isInstance).findFirst().orElseThrow();
		// a time without zone: the compiled checks do not prove it, the HL7 validator refuses it
		observation.getEffectiveDateTimeType().setValueAsString("2024-05-06T08:00:00");
		double before = proven();

		Http.Response response = http.post("/fhir", "application/fhir+json", encode(transaction));

		assertThat(response.status()).as(response.body()).isEqualTo(422);
		assertThat(response.body()).contains("2024-05-06T08:00:00").contains("dateTime");
		int index = transaction.getEntry().indexOf(transaction.getEntry().stream()
				.filter(entry -> entry.getResource() == observation).findFirst().orElseThrow());
		assertThat(response.body()).contains("Bundle.entry[" + index + "]");
		assertThat(proven() - before).isEqualTo(transaction.getEntry().size() - 1);
	}

	@Test
	void entriesReferringToAnEntryLeftToTheHl7ValidatorAreLeftToItToo() {
		Bundle transaction = new SyntheticPatients(9_103L).patientBundle(0, 1);
		org.hl7.fhir.r4.model.Patient patient = (org.hl7.fhir.r4.model.Patient) transaction.getEntry().get(0).getResource();
		// a valid narrative with a link: links are the HL7 validator's to check, so the patient is not proven here
		patient.getText().setStatus(org.hl7.fhir.r4.model.Narrative.NarrativeStatus.GENERATED)
				.setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">Bệnh nhân <a href=\"https://vietfhir.org\">VietFHIR</a></div>");
		double before = proven();

		Http.Response response = http.post("/fhir", "application/fhir+json", encode(transaction));

		assertThat(response.status()).as(response.body()).isEqualTo(200);
		// every other entry refers to the patient (the HL7 validator checks a target against the reference's profile)
		assertThat(proven() - before).isZero();
	}

	@Test
	void aResourceTheHl7ValidatorFailsOnIsRefusedWithAnOutcomeNotA500() {
		// the HL7 validator throws a NullPointerException on this narrative of a resource with a language
		org.hl7.fhir.r4.model.Patient patient = vn.ehealth.fhir.tests.support.Fixtures.patientWithCccd(
				vn.ehealth.fhir.tests.support.Fixtures.cccd("001085"), "male", "1985-03-02");
		patient.setLanguage("vi");
		patient.getText().setStatus(org.hl7.fhir.r4.model.Narrative.NarrativeStatus.GENERATED)
				.setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">   </div>");

		Http.Response alone = http.post("/fhir/Patient", "application/fhir+json", encode(patient));
		assertThat(alone.status()).as(alone.body()).isEqualTo(422);
		assertThat(alone.body()).contains("HL7 validator failed");

		Bundle transaction = new SyntheticPatients(9_104L).patientBundle(0, 1);
		transaction.getEntry().get(1).setResource(patient).getRequest().setUrl("Patient");
		Http.Response inBundle = http.post("/fhir", "application/fhir+json", encode(transaction));
		assertThat(inBundle.status()).as(inBundle.body()).isEqualTo(422);
		assertThat(inBundle.body()).contains("HL7 validator failed").contains("Bundle.entry[1]");

		Http.Response validate = http.post("/fhir/Patient/$validate", "application/fhir+json", encode(patient));
		assertThat(validate.status()).as(validate.body()).isLessThan(500);
	}

	private static double proven() {
		String metrics = TestServer.shared().anonymousHttp().get("/actuator/prometheus", "text/plain").body();
		Matcher counter = Pattern.compile("(?m)^vietfhir_validation_proven_total(\\{[^}]*\\})? (\\S+)$").matcher(metrics);
		return counter.find() ? Double.parseDouble(counter.group(2)) : 0;
	}

	private static String encode(Resource resource) {
		return TestServer.fhirContext().newJsonParser().encodeResourceToString(resource);
	}
}
