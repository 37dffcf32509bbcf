package vn.ehealth.fhir.tests.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.RawHttp;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * The requests an outside fuzzer sent that got a 5xx, or a 4xx without an OperationOutcome (issue 16):
 * each gets a 4xx (501 for what HTTP itself does not offer) with a FHIR OperationOutcome in JSON that
 * names the problem. Sent over a raw socket, byte for byte as the fuzzer sent them.
 */
class FuzzedRequestsTest {

	private static final String JSON = "application/fhir+json";
	private static RawHttp raw;
	private static String patientId;
	private static String family;
	private static String identifierValue;

	/** One fuzzed request and what it must get: the status and a word the diagnostics must contain. */
	record Case(String name, String method, String target, Map<String, String> headers, byte[] body, int status, String named) {
		@Override
		public String toString() {
			return name;
		}
	}

	@BeforeAll
	static void server() {
		raw = new RawHttp("localhost", TestServer.shared().port());
		// a family name no other test uses, with Vietnamese letters a client may send unencoded
		family = "Nguyễn" + lettersOnly(Fixtures.uniqueValue().substring(0, 8));
		identifierValue = Fixtures.uniqueValue();
		Patient patient = Fixtures.patient(family, "Văn An", identifierValue);
		patientId = TestServer.shared().client().create().resource(patient).execute().getId().getIdPart();
	}

	static Stream<Case> fuzzedRequests() {
		String p = "/fhir/Patient/" + patientId;
		List<Case> cases = new ArrayList<>();
		// 5xx before: values PostgreSQL or HAPI's parsers cannot take
		cases.add(get("NUL in a search value", "/fhir/Patient?family=a%00b", 400, "NUL"));
		cases.add(get("malformed escape in a search value", "/fhir/Patient?family=%zz", 400, "%-escape"));
		cases.add(get("lone % in the query", "/fhir/Patient?a=%", 400, "%-escape"));
		cases.add(get("malformed escape in _elements", "/fhir/Patient?_elements=%zz", 400, "%-escape"));
		cases.add(get("malformed escape in _typeFilter", "/fhir/$export?_type=Patient&_typeFilter=%zz", 400, "%-escape"));
		cases.add(get("malformed escape in displayLanguage",
				"/fhir/CodeSystem/$lookup?system=https://vietfhir.org/fhir/CodeSystem/vn-ethnicity&code=17&displayLanguage=%zz", 400, "%-escape"));
		cases.add(get("malformed escape in property",
				"/fhir/CodeSystem/$lookup?system=https://vietfhir.org/fhir/CodeSystem/vn-ethnicity&code=17&property=%zz", 400, "%-escape"));
		cases.add(get("negative _offset", "/fhir/Patient?_offset=-5", 400, "_offset"));
		cases.add(get("unbalanced _filter", "/fhir/Patient?_filter=((((", 400, "_filter"));
		cases.add(get("version id beyond a long", p + "/_history/99999999999999999999", 400, "99999999999999999999"));
		cases.add(create("decimal beyond a double", "/fhir/Observation", observationWithValue("1e400"), 400, "decimal"));
		// PATCH
		cases.add(patch("empty JSON patch", p, "application/json-patch+json", "", 400, "JSON Patch"));
		cases.add(patch("null JSON patch", p, "application/json-patch+json", "null", 400, "JSON Patch"));
		cases.add(patch("FHIRPath patch value of the wrong type", p, JSON,
				fhirPathPatch("replace", "Patient.gender", "\"valueBoolean\":true"), 400, "patch"));
		cases.add(patch("FHIRPath patch with an unknown code", p, JSON,
				fhirPathPatch("replace", "Patient.gender", "\"valueCode\":\"xyz\""), 400, "xyz"));
		cases.add(patch("FHIRPath patch path nested 3000 deep", p, JSON,
				fhirPathPatch("delete", "Patient.name.where(" + "(".repeat(3000) + "true" + ")".repeat(3000) + ")", null), 400, "nested"));
		cases.add(patch("a resource instead of a patch", p, JSON, "{\"resourceType\":\"Patient\",\"gender\":\"male\"}", 400, "Parameters"));
		cases.add(patch("unknown XML patch operation", p, "application/xml-patch+xml",
				"<diff><frobnicate sel=\"/Patient/gender\"/></diff>", 400, "frobnicate"));
		// conditional headers that are not what HTTP says they are
		cases.add(put("If-Match that is not a version", p, "garbage", 400, "If-Match"));
		cases.add(put("If-Match with a weak ETag of letters", p, "W/\"abc\"", 400, "If-Match"));
		// terminology
		cases.add(create("$expand of an inline ValueSet over an unknown system", "/fhir/ValueSet/$expand",
				"{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"valueSet\",\"resource\":{\"resourceType\":\"ValueSet\","
						+ "\"status\":\"active\",\"compose\":{\"include\":[{\"system\":\"http://example.org/khong-co\"}]}}}]}",
				400, "http://example.org/khong-co"));
		cases.add(upload("empty ICD-10 file", "/fhir/CodeSystem/$import-icd10", new byte[0], "empty"));
		cases.add(upload("ICD-10 file not in UTF-8", "/fhir/CodeSystem/$import-icd10", latin1Csv("MA_BENH;TEN_BENH\nA00;Choléra\n"), "UTF-8"));
		cases.add(upload("empty communes file", "/fhir/CodeSystem/$import-communes", new byte[0], "empty"));
		cases.add(upload("communes file not in UTF-8", "/fhir/CodeSystem/$import-communes", latin1Csv("ma;ten\n00001;Phúc Xá\n"), "UTF-8"));
		// what HTTP itself does not offer: 501
		cases.add(new Case("unknown HTTP method", "FOO", "/fhir/Patient", headers("Accept", JSON), null, 501, "FOO"));
		cases.add(new Case("gzip transfer encoding", "POST", "/fhir/Patient",
				headers("Content-Type", JSON, "Transfer-Encoding", "gzip"), new byte[] {31, -117, 8, 0}, 501, "Transfer-Encoding"));
		// refused before HAPI by Tomcat: still an OperationOutcome, not an HTML page
		cases.add(get("URL longer than Tomcat takes", "/fhir/Patient?family=" + "a".repeat(20_000), 400, "too large"));
		cases.add(new Case("header longer than Tomcat takes", "GET", "/fhir/Patient",
				headers("Accept", JSON, "X-Fuzz", "a".repeat(20_000)), null, 400, "too large"));
		cases.add(get("path above the root", "/fhir/../../etc/passwd", 400, "URI"));
		cases.add(get("encoded dots above the root", "/fhir/%2e%2e/%2e%2e/%2e%2e/etc/passwd", 400, "URI"));
		return cases.stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("fuzzedRequests")
	void answersWithAnOperationOutcome(Case request) {
		Map<String, String> headers = new LinkedHashMap<>(request.headers());
		headers.put("Authorization", "Bearer " + TestServer.shared().tokens().token());
		RawHttp.Response response = raw.send(request.method(), request.target(), headers, request.body());
		assertThat(response.status()).as(abbreviate(response.body())).isEqualTo(request.status());
		assertThat(response.header("Content-Type")).as(abbreviate(response.body())).startsWith(JSON);
		OperationOutcome outcome = TestServer.fhirContext().newJsonParser().parseResource(OperationOutcome.class, response.body());
		assertThat(outcome.getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
		assertThat(diagnostics(outcome)).contains(request.named());
	}

	/** RFC 9110 section 13.1.3: an If-Modified-Since that is not an HTTP-date is ignored, not an error. */
	@Test
	void ifModifiedSinceThatIsNotADateIsIgnored() {
		RawHttp.Response response = raw.send("GET", "/fhir/Patient/" + patientId, headers("Accept", JSON,
				"If-Modified-Since", "garbage", "Authorization", "Bearer " + TestServer.shared().tokens().token()), null);
		assertThat(response.status()).as(abbreviate(response.body())).isEqualTo(200);
		assertThat(response.body()).contains("\"id\":\"" + patientId + "\"");
	}

	/** {@code Patient?identifier=system|value} as every tutorial writes it: a raw {@code |} in the query. */
	@Test
	void rawVerticalBarInTheQueryFindsThePatient() {
		assertFindsThePatient("/fhir/Patient?identifier=" + Fixtures.TEST_ID_SYSTEM + "|" + identifierValue);
	}

	/** {@code family=Nguyễn…} sent as raw UTF-8 bytes, not percent-encoded. */
	@Test
	void rawUtf8InTheQueryFindsThePatient() {
		assertFindsThePatient("/fhir/Patient?family:exact=" + family);
	}

	private static void assertFindsThePatient(String target) {
		RawHttp.Response response = raw.send("GET", target,
				headers("Accept", JSON, "Authorization", "Bearer " + TestServer.shared().tokens().token()), null);
		assertThat(response.status()).as(abbreviate(response.body())).isEqualTo(200);
		assertThat(response.body()).contains("\"total\":1").contains("Patient/" + patientId);
	}

	/** Hex digits as letters (0 → g … 9 → p), for a name no other test uses. */
	private static String lettersOnly(String hex) {
		StringBuilder letters = new StringBuilder();
		hex.chars().forEach(c -> letters.append((char) (Character.isDigit(c) ? 'g' + (c - '0') : c)));
		return letters.toString();
	}

	private static Case get(String name, String target, int status, String named) {
		return new Case(name, "GET", target, headers("Accept", JSON), null, status, named);
	}

	private static Case create(String name, String target, String body, int status, String named) {
		return new Case(name, "POST", target, headers("Content-Type", JSON, "Accept", JSON), utf8(body), status, named);
	}

	private static Case patch(String name, String target, String contentType, String body, int status, String named) {
		return new Case(name, "PATCH", target, headers("Content-Type", contentType, "Accept", JSON), utf8(body), status, named);
	}

	private static Case put(String name, String target, String ifMatch, int status, String named) {
		String body = "{\"resourceType\":\"Patient\",\"id\":\"" + target.substring(target.lastIndexOf('/') + 1) + "\"}";
		return new Case(name, "PUT", target, headers("Content-Type", JSON, "Accept", JSON, "If-Match", ifMatch), utf8(body), status, named);
	}

	private static Case upload(String name, String target, byte[] csv, String named) {
		return new Case(name, "POST", target, headers("Content-Type", "text/csv", "Accept", JSON), csv, 400, named);
	}

	private static String observationWithValue(String value) {
		return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\","
				+ "\"code\":\"8867-4\"}]},\"subject\":{\"reference\":\"Patient/" + patientId + "\"},"
				+ "\"effectiveDateTime\":\"2025-01-01\",\"valueQuantity\":{\"value\":" + value
				+ ",\"unit\":\"/min\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"/min\"}}";
	}

	/** A FHIRPath patch (FHIR R4 "FHIRPath Patch") with one operation; {@code value} is a JSON member or null. */
	private static String fhirPathPatch(String type, String path, String value) {
		String valuePart = value == null ? "" : ",{\"name\":\"value\"," + value + "}";
		return "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"operation\",\"part\":["
				+ "{\"name\":\"type\",\"valueCode\":\"" + type + "\"},{\"name\":\"path\",\"valueString\":\"" + path + "\"}"
				+ valuePart + "]}]}";
	}

	private static byte[] latin1Csv(String text) {
		// é, ú, á as single Latin-1 bytes, which are not UTF-8 (letters outside Latin-1 would become an ASCII '?')
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static Map<String, String> headers(String... namesAndValues) {
		Map<String, String> headers = new LinkedHashMap<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			headers.put(namesAndValues[i], namesAndValues[i + 1]);
		}
		return headers;
	}

	private static String diagnostics(OperationOutcome outcome) {
		StringBuilder text = new StringBuilder();
		outcome.getIssue().forEach(issue -> text.append(issue.getDiagnostics()).append('\n'));
		return text.toString();
	}

	private static String abbreviate(String body) {
		return body.length() > 300 ? body.substring(0, 300) + "…" : body;
	}
}
