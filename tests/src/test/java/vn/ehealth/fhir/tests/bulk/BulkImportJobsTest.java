package vn.ehealth.fhir.tests.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.ehealth.fhir.tests.bulk.BulkImports.NDJSON;
import static vn.ehealth.fhir.tests.bulk.BulkImports.await;
import static vn.ehealth.fhir.tests.bulk.BulkImports.count;
import static vn.ehealth.fhir.tests.bulk.BulkImports.line;
import static vn.ehealth.fhir.tests.bulk.BulkImports.manifest;
import static vn.ehealth.fhir.tests.bulk.BulkImports.ndjson;
import static vn.ehealth.fhir.tests.bulk.BulkImports.path;
import static vn.ehealth.fhir.tests.bulk.BulkImports.upload;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.tests.security.RegisteredClients;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.NdjsonFileHost;
import vn.ehealth.fhir.tests.support.TestServer;
import vn.ehealth.fhir.tests.support.Tokens;

/** $import from allowed URLs, refused URLs, cancellation, access control, size limits and the audit trail. */
class BulkImportJobsTest {

	private static TestServer server;
	private static Http http;
	private static Http anonymous;

	@BeforeAll
	static void start() {
		server = TestServer.shared();
		http = server.http();
		anonymous = server.anonymousHttp();
	}

	/** Patients sharing one test identifier value (so they can be counted), each with its own CCCD. */
	private static List<String> patients(String run, int count) {
		List<String> cccds = Fixtures.cccds("001085", count);
		List<String> lines = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			Patient patient = Fixtures.patientWithCccd(cccds.get(i), "male", "1985-03-02");
			patient.getIdentifierFirstRep().setValue(run);
			patient.setId(run + "-" + i);
			lines.add(line(patient));
		}
		return lines;
	}

	private static int countTagged(String run) {
		Bundle found = http.get("/fhir/Patient?identifier=" + Fixtures.TEST_ID_SYSTEM + "%7C" + run + "&_summary=count",
				"application/fhir+json").resource(Bundle.class);
		return found.getTotal();
	}

	private static String parameters(String... typeAndUrls) {
		StringBuilder inputs = new StringBuilder();
		for (int i = 0; i < typeAndUrls.length; i += 2) {
			inputs.append(",{\"name\":\"input\",\"part\":[{\"name\":\"type\",\"valueCode\":\"").append(typeAndUrls[i])
					.append("\"},{\"name\":\"url\",\"valueUri\":\"").append(typeAndUrls[i + 1]).append("\"}]}");
		}
		return "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"inputFormat\",\"valueCode\":\"application/fhir+ndjson\"}"
				+ ",{\"name\":\"inputSource\",\"valueUri\":\"http://province.example.vn/fhir\"}" + inputs + "]}";
	}

	@Test
	void importsFromAllowListedUrlsInReferenceOrder() {
		String run = "url-" + Fixtures.uniqueValue().substring(0, 8);
		NdjsonFileHost host = NdjsonFileHost.shared();
		// the Observations' file is listed first, yet they refer to the Patients of the second
		String observations = host.put("/ndjson/" + run + "/Observation.ndjson", ndjson(List.of(
				line(BulkImports.heartRate(run + "-o0", "Patient/" + run + "-0")),
				line(BulkImports.heartRate(run + "-o1", "Patient/" + run + "-1")))));
		String patients = host.put("/ndjson/" + run + "/Patient.ndjson", ndjson(patients(run, 3)));

		Http.Response kickOff = http.post("/fhir/$import", "application/fhir+json",
				parameters("Observation", observations, "Patient", patients));
		assertThat(kickOff.status()).as(kickOff.body()).isEqualTo(202);
		Map<String, Object> manifest = manifest(await(http, kickOff.header("Content-Location")));

		assertThat(count(manifest, "output", "Patient")).isEqualTo(3);
		assertThat(count(manifest, "output", "Observation")).isEqualTo(2);
		assertThat(BulkImports.errorUrl(manifest)).isNull();
		assertThat(host.hits("/ndjson/" + run + "/Patient.ndjson")).isEqualTo(1);
		assertThat(countTagged(run)).isEqualTo(3);
	}

	@Test
	void refusesUrlsOutsideTheAllowListWith400AndFetchesNothing() {
		NdjsonFileHost host = NdjsonFileHost.shared();
		String privateUrl = host.put("/private/secrets.ndjson", ndjson(patients("priv", 1)));
		for (String url : List.of(privateUrl, "http://169.254.169.254/latest/meta-data/", "file:///etc/passwd",
				host.url("/ndjson/../private/secrets.ndjson"), host.url("/ndjson/%2e%2e/private/secrets.ndjson"))) {
			Http.Response response = http.post("/fhir/$import", "application/fhir+json", parameters("Patient", url));
			assertThat(response.status()).as(url + " " + response.body()).isEqualTo(400);
			assertThat(response.diagnostics()).contains(url);
		}
		assertThat(host.hits("/private/secrets.ndjson")).isZero();
	}

	@Test
	void refusesMalformedKickOffsWith400() {
		Http.Response wrongFormat = http.post("/fhir/$import", "application/fhir+json",
				parameters("Patient", NdjsonFileHost.shared().url("/ndjson/x.ndjson")).replace("application/fhir+ndjson", "text/csv"));
		assertThat(wrongFormat.status()).isEqualTo(400);
		assertThat(wrongFormat.diagnostics()).contains("inputFormat");

		Http.Response noInput = http.post("/fhir/$import", "application/fhir+json", parameters());
		assertThat(noInput.status()).isEqualTo(400);

		Http.Response badType = http.post("/fhir/$import", "application/fhir+json",
				parameters("Patientt", NdjsonFileHost.shared().url("/ndjson/x.ndjson")));
		assertThat(badType.status()).isEqualTo(400);
		assertThat(badType.diagnostics()).contains("Patientt");

		Http.Response notParameters = http.post("/fhir/$import", "application/fhir+json", "{\"resourceType\":\"Patient\"}");
		assertThat(notParameters.status()).isEqualTo(400);

		Http.Response csv = http.post("/fhir/$import", "text/csv", "a;b\n");
		assertThat(csv.status()).isEqualTo(400);
		assertThat(csv.diagnostics()).contains(NDJSON);

		Http.Response empty = http.post("/fhir/$import", NDJSON, "");
		assertThat(empty.status()).isEqualTo(400);
		// no Accept: the OperationOutcome comes in JSON, the server's default (HAPI would answer an NDJSON request in XML)
		assertThat(empty.header("Content-Type")).contains("json");
		assertThat(empty.diagnostics()).contains("empty");

		assertThat(http.get("/fhir/$import-poll-status?_jobId=no-such-job").status()).isEqualTo(404);
		assertThat(http.get("/fhir/$import-poll-status").status()).isEqualTo(400);
	}

	@Test
	void anInputThatCannotBeFetchedFailsTheJobWith400() {
		String missing = NdjsonFileHost.shared().url("/ndjson/missing-" + Fixtures.uniqueValue() + ".ndjson");
		Http.Response kickOff = http.post("/fhir/$import", "application/fhir+json", parameters("Patient", missing));
		assertThat(kickOff.status()).isEqualTo(202);
		Http.Response status = await(http, kickOff.header("Content-Location"));
		assertThat(status.status()).isEqualTo(400);
		assertThat(status.diagnostics()).contains(missing).contains("404");
	}

	@Test
	void cancellingStopsTheJobAndItsStatusIsGoneAfterwards() {
		String run = "cxl-" + Fixtures.uniqueValue().substring(0, 8);
		int total = 2000;
		String status = upload(http, ndjson(patients(run, total)));

		Http.Response cancel = BulkImports.delete(http, status);
		assertThat(cancel.status()).isEqualTo(202);
		assertThat(http.get(path(status)).status()).isEqualTo(404);
		assertThat(BulkImports.delete(http, status).status()).isEqualTo(404);

		// a chunk in progress may still commit (slowly on a loaded machine: its 500 Patients each checked for
		// duplicates); after that nothing more is stored: the count settles (three equal polls) below the total
		int stored = countTagged(run);
		int equalPolls = 0;
		for (int waited = 0; waited < 120_000 && equalPolls < 3; waited += 4_000) {
			BulkImports.sleep(4_000);
			int now = countTagged(run);
			equalPolls = now == stored ? equalPolls + 1 : 0;
			stored = now;
		}
		assertThat(equalPolls).as("the count settled after the cancel").isEqualTo(3);
		assertThat(stored).isLessThan(total);
	}

	@Test
	void deletingAFinishedJobRemovesItsStatus() {
		String run = "del-" + Fixtures.uniqueValue().substring(0, 8);
		String status = upload(http, ndjson(patients(run, 1)));
		manifest(await(http, status));
		assertThat(BulkImports.delete(http, status).status()).isEqualTo(202);
		assertThat(http.get(path(status)).status()).isEqualTo(404);
		assertThat(countTagged(run)).isEqualTo(1); // the data stays
	}

	@Test
	void needsATokenWithCreateAndUpdateOnAllTypes() {
		String data = ndjson(patients("auth", 1));
		Http.Response noToken = anonymous.post("/fhir/$import", NDJSON, data);
		assertThat(noToken.status()).isEqualTo(401);

		RegisteredClients.Client patientsOnly = RegisteredClients.register(
				server, "his-benh-nhan", List.of("system/Patient.cruds"), List.of("TREAT"));
		String token = (String) Tokens.json(Tokens.request(server.rootUrl(), patientsOnly.clientId(), patientsOnly.key(),
				"system/Patient.cruds", null).body()).get("access_token");
		Http.Response narrow = anonymous.send(BulkImports.post(anonymous, "/fhir/$import", NDJSON, data)
				.header("Authorization", "Bearer " + token).header("Accept", "application/fhir+json"));
		assertThat(narrow.status()).isEqualTo(403);
		assertThat(narrow.diagnostics()).contains("system/*.c");

		// another client does not see the suite client's job
		String status = upload(http, data);
		RegisteredClients.Client other = RegisteredClients.register(
				server, "his-khac", List.of("system/*.cruds"), List.of("TREAT"));
		String otherToken = (String) Tokens.json(Tokens.request(server.rootUrl(), other.clientId(), other.key(),
				"system/*.cruds", null).body()).get("access_token");
		Http.Response foreign = anonymous.send(HttpRequest.newBuilder(anonymous.uri(path(status)))
				.header("Authorization", "Bearer " + otherToken).GET());
		assertThat(foreign.status()).isEqualTo(404);
		assertThat(anonymous.get(path(status)).status()).isEqualTo(401);
		manifest(await(http, status));
	}

	@Test
	void uploadsHaveTheirOwnSizeLimitAboveTheGeneralOne() {
		String run = "big-" + Fixtures.uniqueValue().substring(0, 8);
		// 2.5 MB (above the suite's 2 MB request limit, below its 4 MB upload limit): blank lines and one patient
		String data = "\n".repeat(2_500_000) + patients(run, 1).get(0) + "\n";
		Map<String, Object> manifest = manifest(await(http, upload(http, data)));
		assertThat(count(manifest, "output", "Patient")).isEqualTo(1);

		String tooBig = "\n".repeat(5_000_000);
		Http.Response declared = http.post("/fhir/$import", NDJSON, tooBig);
		assertThat(declared.status()).isEqualTo(413);
		Http.Response chunked = http.send(HttpRequest.newBuilder(http.uri("/fhir/$import"))
				.header("Content-Type", NDJSON).header("Accept", "application/fhir+json")
				.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(tooBig.getBytes(StandardCharsets.UTF_8)))));
		assertThat(chunked.status()).isEqualTo(413);
		assertThat(chunked.diagnostics()).contains("max-upload-size");
	}

	@Test
	void eachStoredChunkIsOnThePatientsAuditTrail() {
		String run = "aud-" + Fixtures.uniqueValue().substring(0, 8);
		manifest(await(http, upload(http, ndjson(patients(run, 2)))));
		Http.Response response = anonymous.send(HttpRequest.newBuilder(anonymous.uri("/admin/audit/events?patient=Patient/" + run + "-1"))
				.header("Authorization", "Bearer " + RegisteredClients.adminSecret(server)).GET());
		assertThat(response.status()).isEqualTo(200);
		List<AuditEvent> events = response.resource(Bundle.class).getEntry().stream()
				.map(e -> (AuditEvent) e.getResource()).toList();
		assertThat(events).anySatisfy(event -> {
			assertThat(event.getSubtype()).extracting(c -> c.getCode()).contains("$import");
			assertThat(event.getAction()).isEqualTo(AuditEvent.AuditEventAction.U);
			assertThat(event.getAgentFirstRep().getWho().getIdentifier().getValue()).isEqualTo(Tokens.SUITE_CLIENT);
			assertThat(event.getEntity()).extracting(e -> e.getWhat().getReference()).contains("Patient/" + run + "-0", "Patient/" + run + "-1");
		});
	}
}
