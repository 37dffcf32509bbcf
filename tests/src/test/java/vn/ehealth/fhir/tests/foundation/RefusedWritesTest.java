package vn.ehealth.fhir.tests.foundation;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.ehealth.fhir.tests.foundation.BadInputTest.assertClientError;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/** Writes HAPI would store but FHIR does not allow: refused with a 400 OperationOutcome naming the problem, nothing stored. */
class RefusedWritesTest {

	private static final String JSON = "application/fhir+json";
	private static Http http;

	@BeforeAll
	static void server() {
		http = TestServer.shared().http();
	}

	/** Tomcat maps /fhir/Patient/.. to the /fhir servlet, and HAPI reads the id from the raw path. */
	@Test
	void putWithAPathSegmentAsIdIsRefused() {
		for (String id : new String[] {"..", "."}) {
			String idValue = Fixtures.uniqueValue();
			Patient patient = Fixtures.patient("Phan", "Thị Nga", idValue);
			patient.setId(id);
			Http.Response response = http.send(HttpRequest.newBuilder(http.uri("/fhir/Patient/" + id))
					.header("Content-Type", JSON).header("Accept", JSON)
					.PUT(HttpRequest.BodyPublishers.ofString(encode(patient), StandardCharsets.UTF_8)));
			assertClientError(response, 400, "'" + id + "'");
			assertThat(Fixtures.countPatients(TestServer.shared().client(), idValue)).isZero();
		}
		Http.Response read = http.get("/fhir/Patient/..", JSON);
		assertThat(read.status()).as(read.body()).isBetween(400, 499);
		assertThat(read.header("Content-Type")).contains("fhir");
		assertThat(read.outcome().getIssueFirstRep().getSeverity().toCode()).isEqualTo("error");
	}

	@Test
	void transactionPutWithAPathSegmentAsIdIsRefused() {
		String idValue = Fixtures.uniqueValue();
		Patient patient = Fixtures.patient("Phan", "Văn Long", idValue);
		patient.setId("..");
		Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		tx.addEntry().setResource(patient).getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl("Patient/..");
		assertClientError(http.post("/fhir", JSON, encode(tx)), 400, "Bundle.entry[0]");
		assertThat(Fixtures.countPatients(TestServer.shared().client(), idValue)).isZero();
	}

	@Test
	void bundleWithoutTypeIsRefused() {
		String idValue = Fixtures.uniqueValue();
		Bundle bundle = new Bundle();
		bundle.addEntry().setFullUrl("urn:uuid:" + java.util.UUID.randomUUID())
				.setResource(Fixtures.patient("Vũ", "Minh", idValue))
				.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");
		assertClientError(http.post("/fhir", JSON, encode(bundle)), 400, "Bundle.type");
		assertThat(Fixtures.countPatients(TestServer.shared().client(), idValue)).isZero();
	}

	@Test
	void entryWhoseUrlNamesAnotherTypeIsRefused() {
		String first = Fixtures.uniqueValue();
		String second = Fixtures.uniqueValue();
		Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		tx.addEntry().setFullUrl("urn:uuid:" + java.util.UUID.randomUUID())
				.setResource(Fixtures.patient("Vũ", "An", first))
				.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");
		tx.addEntry().setFullUrl("urn:uuid:" + java.util.UUID.randomUUID())
				.setResource(Fixtures.patient("Vũ", "Bình", second))
				.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
		Http.Response response = http.post("/fhir", JSON, encode(tx));
		assertClientError(response, 400, "Bundle.entry[1]");
		assertThat(response.diagnostics()).contains("Observation").contains("Patient");
		assertThat(Fixtures.countPatients(TestServer.shared().client(), first)).isZero();
		assertThat(Fixtures.countPatients(TestServer.shared().client(), second)).isZero();
	}

	private static String encode(org.hl7.fhir.instance.model.api.IBaseResource resource) {
		return TestServer.fhirContext().newJsonParser().encodeResourceToString(resource);
	}
}
