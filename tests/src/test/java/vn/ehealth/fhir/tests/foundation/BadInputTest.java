package vn.ehealth.fhir.tests.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/** Client mistakes get a 4xx with an OperationOutcome that names the problem, and store nothing. */
class BadInputTest {

	private static final String JSON = "application/fhir+json";
	private static Http http;

	@BeforeAll
	static void server() {
		http = TestServer.shared().http();
	}

	/** HAPI's own operations throw while converting such parameters; the answer is still a 400 that names the problem. */
	@Test
	void operationParameterThatIsNotANumber() {
		assertClientError(http.get("/fhir/ValueSet/$expand?url=https://vietfhir.org/fhir/ValueSet/vn-ethnicity&count=abc",
				"application/fhir+json"), 400, "abc");
		assertClientError(http.get("/fhir/Patient/$everything?_count=abc", "application/fhir+json"), 400, "abc");
	}

	@Test
	void malformedJson() {
		Http.Response response = http.post("/fhir/Patient", JSON, "{\"resourceType\":\"Patient\", \"name\": [");
		assertClientError(response, 400, "Failed to parse");
	}

	@Test
	void malformedXml() {
		Http.Response response = http.post("/fhir/Patient", "application/fhir+xml", "<Patient xmlns=\"http://hl7.org/fhir\"><name>");
		assertClientError(response, 400, "XML");
	}

	@Test
	void invalidElementValue() {
		Http.Response response = http.post("/fhir/Patient", JSON, "{\"resourceType\":\"Patient\",\"gender\":\"nam\"}");
		assertClientError(response, 400, "gender");
	}

	@Test
	void bodyOfAnotherTypeThanTheUrl() {
		Http.Response response = http.post("/fhir/Patient", JSON, "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"}}");
		assertClientError(response, 400, "Observation");
	}

	@Test
	void unknownResourceType() {
		assertClientError(http.get("/fhir/BenhNhan/1", JSON), 404, "BenhNhan");
		assertClientError(http.post("/fhir/BenhNhan", JSON, "{\"resourceType\":\"BenhNhan\"}"), 404, "BenhNhan");
	}

	@Test
	void wrongContentType() {
		Http.Response response = http.post("/fhir/Patient", "text/plain", "Nguyễn Văn An");
		assertClientError(response, 400, "Content-Type");
	}

	@Test
	void referenceToAMissingResource() {
		String idValue = Fixtures.uniqueValue();
		org.hl7.fhir.r4.model.Patient patient = Fixtures.patient("Đỗ", "Hải", idValue);
		patient.getManagingOrganization().setReference("Organization/khong-co");
		String body = TestServer.fhirContext().newJsonParser().encodeResourceToString(patient);
		assertClientError(http.post("/fhir/Patient", JSON, body), 400, "Organization/khong-co");
		assertThat(http.get("/fhir/Patient?identifier=" + Fixtures.TEST_ID_SYSTEM + "%7C" + idValue, JSON).body())
				.contains("\"total\":0");
	}

	@Test
	void unknownSearchParameter() {
		assertClientError(http.get("/fhir/Patient?tinh-thanh=01", JSON), 400, "tinh-thanh");
	}

	@Test
	void oversizedBodyWithContentLength() {
		Http.Response response = http.post("/fhir/Patient", JSON, oversizedPatient());
		assertClientError(response, 413, "exceeds the limit");
	}

	@Test
	void oversizedChunkedBody() {
		byte[] body = oversizedPatient().getBytes(StandardCharsets.UTF_8);
		Http.Response response = http.postChunked("/fhir/Patient", JSON, () -> new ByteArrayInputStream(body));
		assertClientError(response, 413, "exceeds the limit");
	}

	private static String oversizedPatient() {
		// the test server's limit is 2 MB
		return "{\"resourceType\":\"Patient\",\"name\":[{\"text\":\"" + "Đ".repeat(1_500_000) + "\"}]}";
	}

	private static String abbreviate(String body) {
		return body.length() > 300 ? body.substring(0, 300) + "…" : body;
	}

	/** The answer is a 4xx OperationOutcome (status given) whose diagnostics name the problem. */
	static void assertClientError(Http.Response response, int status, String named) {
		assertThat(response.status()).as(abbreviate(response.body())).isEqualTo(status);
		assertThat(response.header("Content-Type")).contains("fhir");
		assertThat(response.outcome().getIssueFirstRep().getSeverity().toCode()).isEqualTo("error");
		assertThat(response.diagnostics()).contains(named);
	}
}
