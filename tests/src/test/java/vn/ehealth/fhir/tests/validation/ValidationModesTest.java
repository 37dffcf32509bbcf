package vn.ehealth.fhir.tests.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.OperationOutcome;
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
