package vn.ehealth.fhir.tests.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Procedure;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/** The shared test server runs Practitioner in warn mode and Procedure in off mode (see TestServer). */
class ValidationModesTest {

	private static Http http;

	@BeforeAll
	static void server() {
		http = TestServer.shared().http();
	}

	@Test
	void warnModeStoresAndReportsTheIssues() {
		String body = encode(practitionerWithInconsistentCccd());
		Http.Response stored = http.post("/fhir/Practitioner", "application/fhir+json", body);
		assertThat(stored.status()).isEqualTo(201);
		assertThat(Integer.parseInt(stored.header("X-Validation-Issues"))).isPositive();

		Http.Response withOutcome = http.send(HttpRequest.newBuilder(http.uri("/fhir/Practitioner"))
				.header("Content-Type", "application/fhir+json")
				.header("Prefer", "return=OperationOutcome")
				.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
		assertThat(withOutcome.status()).isEqualTo(201);
		assertThat(withOutcome.resource(OperationOutcome.class).getIssue())
				.anySatisfy(issue -> assertThat(issue.getDiagnostics()).contains("vn-cccd-3"));
	}

	@Test
	void offModeStoresWithoutValidating() {
		Procedure procedure = new Procedure(); // no status, no subject: far from vn-procedure
		procedure.getCode().setText("Cắt ruột thừa nội soi");
		Http.Response response = http.post("/fhir/Procedure", "application/fhir+json", encode(procedure));
		assertThat(response.status()).isEqualTo(201);
		assertThat(response.header("X-Validation-Issues")).isNull();
	}

	/** Off means off: a transaction whose entries are all in off mode never reaches the HL7 validator. */
	@Test
	void transactionOfOffModeEntriesIsNotValidated() {
		double before = transactionValidations();
		Bundle offOnly = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		for (int i = 0; i < 3; i++) {
			Procedure procedure = new Procedure(); // far from vn-procedure, as above
			procedure.getCode().setText("Nội soi dạ dày " + i);
			offOnly.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(procedure)
					.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Procedure");
		}
		assertThat(http.post("/fhir", "application/fhir+json", encode(offOnly)).status()).isEqualTo(200);
		assertThat(transactionValidations()).isEqualTo(before);

		// the counter does move for a bundle with an entry in enforce mode
		Bundle withPatient = offOnly.copy();
		withPatient.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID())
				.setResource(Fixtures.patientWithCccd(Fixtures.cccd("001085"), "male", "1985-03-02"))
				.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");
		assertThat(http.post("/fhir", "application/fhir+json", encode(withPatient)).status()).isEqualTo(200);
		assertThat(transactionValidations()).isEqualTo(before + 1);
	}

	/** A declared profile the server does not have (US Core on Synthea data) is a warning; ours still applies. */
	@Test
	void unknownDeclaredProfileIsAWarningNotARefusal() {
		Patient patient = Fixtures.patientWithCccd(Fixtures.cccd("001085"), "male", "1985-03-02");
		patient.getMeta().addProfile("http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient");
		Http.Response stored = http.post("/fhir/Patient", "application/fhir+json", encode(patient));
		assertThat(stored.status()).as(stored.body()).isEqualTo(201);
		assertThat(Integer.parseInt(stored.header("X-Validation-Issues"))).isPositive();

		// and the guide's rules still refuse what breaks them: a CCCD whose century digit contradicts the birth date
		Patient broken = Fixtures.patientWithCccd(Fixtures.cccd("001090"), "male", "1985-03-02");
		broken.getMeta().addProfile("http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient");
		assertThat(http.post("/fhir/Patient", "application/fhir+json", encode(broken)).status()).isEqualTo(422);
	}

	private static double transactionValidations() {
		String metrics = TestServer.shared().anonymousHttp().get("/actuator/prometheus", "text/plain").body();
		Matcher counter = Pattern.compile("(?m)^vietfhir_validation_runs_total\\{[^}]*kind=\"transaction\"[^}]*\\} (\\S+)$")
				.matcher(metrics);
		return counter.find() ? Double.parseDouble(counter.group(1)) : 0;
	}

	@Test
	void enforceModeIsTheDefaultForOtherTypes() {
		Http.Response response = http.post("/fhir/Patient", "application/fhir+json", "{\"resourceType\":\"Patient\"}");
		assertThat(response.status()).isEqualTo(422);
	}

	private static Practitioner practitionerWithInconsistentCccd() {
		Practitioner practitioner = new Practitioner();
		practitioner.addName().setFamily("Phạm").addGiven("Thị Lan");
		practitioner.setGender(Enumerations.AdministrativeGender.FEMALE);
		practitioner.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1980-05-01"));
		// digit 4 = 0 says a man born in the 1900s
		practitioner.addIdentifier().setSystem(Fixtures.CCCD_SYSTEM).setValue(Fixtures.cccd("001080"));
		return practitioner;
	}

	private static String encode(org.hl7.fhir.r4.model.Resource resource) {
		return TestServer.fhirContext().newJsonParser().encodeResourceToString(resource);
	}
}
