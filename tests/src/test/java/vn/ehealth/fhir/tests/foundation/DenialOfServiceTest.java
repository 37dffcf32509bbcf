package vn.ehealth.fhir.tests.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * Requests that cost the server far more than they cost the client: repeated {@code _sort} keys,
 * queries that run past the statement timeout, gzip bombs, and transactions whose entries refer to
 * one another in a long chain. Each gets a quick 4xx/503 with an OperationOutcome naming the limit.
 */
class DenialOfServiceTest {

	private static final String JSON = "application/fhir+json";
	private static Http http;

	@BeforeAll
	static void server() {
		http = TestServer.shared().http();
	}

	@Test
	void repeatedSortKeysAreRefusedQuickly() {
		long started = System.nanoTime();
		Http.Response response = http.get("/fhir/Patient?_sort=" + String.join(",", java.util.Collections.nCopies(10, "name")), JSON);
		assertOutcome(response, 400, "error", "name");
		assertThat(millisSince(started)).isLessThan(10_000);
		// the same key once ascending and once descending is still the same key
		assertOutcome(http.get("/fhir/Patient?_sort=birthdate,-birthdate", JSON), 400, "error", "birthdate");
	}

	@Test
	void moreDistinctSortKeysThanAllowedAreRefused() {
		Http.Response response = http.get("/fhir/Patient?_sort=name,given,family,birthdate,gender,address", JSON);
		assertOutcome(response, 400, "error", "vietfhir.fhir.max-sort-keys");
		assertThat(http.get("/fhir/Patient?_sort=family,-birthdate&_count=1", JSON).status()).isEqualTo(200);
	}

	@Test
	void gzipBombIsRefusedWithoutReadingItWhole() {
		// 200 MB of spaces compress to about 200 KB; the test server's limit is 2 MB
		byte[] bomb = gzip(out -> {
			out.write("{\"resourceType\":\"Patient\",\"name\":[{\"text\":\"".getBytes(StandardCharsets.UTF_8));
			byte[] spaces = new byte[1 << 20];
			java.util.Arrays.fill(spaces, (byte) ' ');
			for (int i = 0; i < 200; i++) {
				out.write(spaces);
			}
		});
		assertThat(bomb.length).isLessThan(2 * 1024 * 1024);
		long started = System.nanoTime();
		assertOutcome(postGzip("/fhir/Patient", bomb), 413, "error", "vietfhir.fhir.max-request-size");
		assertThat(millisSince(started)).isLessThan(10_000);
	}

	@Test
	void gzipBodyCountsDecompressed() {
		String name = "Đ".repeat(12_500_000); // 25 MB in UTF-8, about 25 KB compressed
		byte[] body = gzip(out -> out.write(patientJson(name).getBytes(StandardCharsets.UTF_8)));
		assertThat(body.length).isLessThan(100_000);
		assertOutcome(postGzip("/fhir/Patient", body), 413, "error", "exceeds the limit");
	}

	@Test
	void gzipBodyUnderTheLimitIsStored() {
		String idValue = Fixtures.uniqueValue();
		String patient = TestServer.fhirContext().newJsonParser()
				.encodeResourceToString(Fixtures.patient("Trần", "Thị Nén", idValue));
		Http.Response response = postGzip("/fhir/Patient", gzip(out -> out.write(patient.getBytes(StandardCharsets.UTF_8))));
		assertThat(response.status()).as(response.body()).isEqualTo(201);
		assertThat(response.resource(Patient.class).getNameFirstRep().getGivenAsSingleString()).isEqualTo("Thị Nén");
		assertThat(Fixtures.countPatients(TestServer.shared().client(), idValue)).isEqualTo(1);
	}

	@Test
	void notGzipThoughSaidSoIs400() {
		Http.Response response = postGzip("/fhir/Patient", patientJson("An").getBytes(StandardCharsets.UTF_8));
		assertThat(response.status()).as(response.body()).isEqualTo(400);
		assertThat(response.outcome().getIssueFirstRep().getSeverity().toCode()).isEqualTo("error");
	}

	@Test
	void longReferenceChainInATransactionIsRefused() {
		Http.Response response = http.post("/fhir", JSON, organizationChain(200));
		assertOutcome(response, 400, "too-costly", "vietfhir.validation.max-reference-chain");
		assertThat(response.diagnostics()).contains("200");
	}

	@Test
	void referenceChainAtTheLimitIsStored() {
		// the default limit, vietfhir.validation.max-reference-chain: the validator's recursion fits the stack
		Http.Response response = http.post("/fhir", JSON, organizationChain(50));
		assertThat(response.status()).as(abbreviate(response.body())).isEqualTo(200);
		assertThat(response.resource(Bundle.class).getEntry()).hasSize(50)
				.allSatisfy(entry -> assertThat(entry.getResponse().getStatus()).startsWith("201"));
	}

	/** A server whose statement timeout is 1 s; a sort over a join of five multi-valued indexes runs far longer. */
	@Test
	void queryOverTheStatementTimeoutAnswers503() {
		TestServer server = TestServer.start("vietfhir-dos-", Map.of("vietfhir.fhir.statement-timeout", "1s"));
		try {
			Patient patient = Fixtures.patient("Lê", "Văn Nhiều", Fixtures.uniqueValue());
			for (int i = 0; i < 20; i++) {
				patient.addName().setFamily("Họ" + i).addGiven("Tên" + i).addGiven("Đệm" + i);
				patient.addAddress().addLine("Số " + i + " phố Huế").setCity("Hà Nội " + i).setDistrict("Quận " + i);
				patient.addTelecom().setSystem(org.hl7.fhir.r4.model.ContactPoint.ContactPointSystem.PHONE)
						.setValue("09000000" + String.format("%02d", i));
			}
			String id = server.client().create().resource(patient).execute().getId().getIdPart();
			long started = System.nanoTime();
			Http.Response response = server.http().get(
					"/fhir/Patient?_id=" + id + "&_sort=name,given,family,address,telecom", JSON);
			assertOutcome(response, 503, "timeout", "vietfhir.fhir.statement-timeout");
			assertThat(millisSince(started)).isLessThan(30_000);
			// the server goes on answering
			assertThat(server.http().get("/fhir/Patient/" + id, JSON).status()).isEqualTo(200);
		} finally {
			server.stop();
		}
	}

	private static String organizationChain(int length) {
		Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		String previous = null;
		for (int i = 0; i < length; i++) {
			Organization organization = Fixtures.facility("Khoa " + i);
			if (previous != null) {
				organization.getPartOf().setReference(previous);
			}
			String fullUrl = "urn:uuid:" + UUID.randomUUID();
			transaction.addEntry().setFullUrl(fullUrl).setResource(organization)
					.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Organization");
			previous = fullUrl;
		}
		return TestServer.fhirContext().newJsonParser().encodeResourceToString(transaction);
	}

	private static String patientJson(String nameText) {
		return "{\"resourceType\":\"Patient\",\"name\":[{\"text\":\"" + nameText + "\"}]}";
	}

	private static Http.Response postGzip(String path, byte[] body) {
		return http.send(HttpRequest.newBuilder(http.uri(path))
				.header("Content-Type", JSON)
				.header("Content-Encoding", "gzip")
				.POST(HttpRequest.BodyPublishers.ofByteArray(body)));
	}

	private interface Writing {
		void to(OutputStream out) throws IOException;
	}

	private static byte[] gzip(Writing content) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
			content.to(out);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		return bytes.toByteArray();
	}

	private static long millisSince(long started) {
		return (System.nanoTime() - started) / 1_000_000;
	}

	private static void assertOutcome(Http.Response response, int status, String issueCodeOrSeverity, String named) {
		assertThat(response.status()).as(abbreviate(response.body())).isEqualTo(status);
		assertThat(response.header("Content-Type")).contains("fhir");
		var issue = response.outcome().getIssueFirstRep();
		assertThat(issue.getSeverity().toCode()).isEqualTo("error");
		if (!issueCodeOrSeverity.equals("error")) {
			assertThat(issue.getCode().toCode()).isEqualTo(issueCodeOrSeverity);
		}
		assertThat(response.diagnostics()).contains(named);
	}

	private static String abbreviate(String body) {
		return body.length() > 300 ? body.substring(0, 300) + "…" : body;
	}
}
