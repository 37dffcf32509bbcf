package vn.ehealth.fhir.tests.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.ehealth.fhir.tests.bulk.BulkExports.enc;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import vn.ehealth.fhir.tests.security.RegisteredClients;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;
import vn.ehealth.fhir.tests.support.Tokens;

/** Bulk Data 2.0 $export over HTTP: kick-off, polling, manifest, files, cancellation, errors, takeover. */
class BulkExportTest {

	private static TestServer server;
	private static Http http;
	private static IGenericClient client;
	private static BulkExports exports;
	/** Just before this class wrote its data: exports _since it see only this class's resources. */
	private static Instant since;
	private static List<IdType> patients = new ArrayList<>();
	private static List<IdType> observations = new ArrayList<>();

	@BeforeAll
	static void data() throws Exception {
		server = TestServer.shared();
		http = server.http();
		client = server.client();
		exports = new BulkExports(http, server.rootUrl());
		since = Instant.now().minusMillis(5);
		Thread.sleep(10);
		for (int i = 0; i < 3; i++) {
			Patient patient = Fixtures.patientWithCccd(Fixtures.cccd("001085"), "male", "1985-03-02");
			patient.getNameFirstRep().setText("Trần Thị Ánh " + i);
			IdType id = (IdType) client.create().resource(patient).execute().getId().toUnqualifiedVersionless();
			patients.add(id);
			for (int j = 0; j < 2; j++) {
				Observation observation = new Observation();
				observation.setStatus(Observation.ObservationStatus.FINAL);
				observation.getCode().addCoding().setSystem("http://loinc.org").setCode(j == 0 ? "8867-4" : "8310-5");
				observation.setSubject(new Reference(id));
				observations.add((IdType) client.create().resource(observation).execute().getId().toUnqualifiedVersionless());
			}
		}
	}

	@Test
	void systemExportCopiesEveryResourceExactlyAsStored() throws Exception {
		JsonNode manifest = exports.export("/fhir/$export?_type=Patient,Observation&_since=" + enc(since.toString()));
		assertThat(manifest.get("requiresAccessToken").asBoolean()).isTrue();
		assertThat(manifest.get("request").asText()).contains("$export");
		assertThat(Instant.parse(manifest.get("transactionTime").asText())).isAfter(since);
		Map<String, List<String>> lines = exports.download(manifest.get("output"));
		assertThat(lines.get("Patient")).hasSize(3);
		assertThat(lines.get("Observation")).hasSize(6);
		assertThat(count(manifest.get("output"), "Observation")).isEqualTo(6);
		for (String line : lines.get("Patient")) {
			Patient exported = parse(line, Patient.class);
			Patient read = client.read().resource(Patient.class).withId(exported.getIdElement().getIdPart()).execute();
			assertSame(exported, read);
			assertThat(line).contains("Trần Thị Ánh");
		}
		for (String line : lines.get("Observation")) {
			Observation exported = parse(line, Observation.class);
			assertSame(exported, client.read().resource(Observation.class).withId(exported.getIdElement().getIdPart()).execute());
		}
	}

	@Test
	void patientExportPostedWithOnePatientHasOnlyThatPatientsCompartment() throws Exception {
		String body = "{\"resourceType\":\"Parameters\",\"parameter\":["
				+ "{\"name\":\"_type\",\"valueString\":\"Patient,Observation\"},"
				+ "{\"name\":\"_since\",\"valueInstant\":\"" + since + "\"},"
				+ "{\"name\":\"patient\",\"valueReference\":{\"reference\":\"" + patients.get(1).getValue() + "\"}}]}";
		Http.Response kickOff = http.send(HttpRequest.newBuilder(http.uri("/fhir/Patient/$export"))
				.header("Prefer", "respond-async").header("Accept", "application/fhir+json")
				.header("Content-Type", "application/fhir+json")
				.POST(HttpRequest.BodyPublishers.ofString(body)));
		assertThat(kickOff.status()).as(kickOff.body()).isEqualTo(202);
		Map<String, List<String>> lines = exports.download(exports.poll(kickOff.header("Content-Location")).get("output"));
		assertThat(lines.get("Patient")).hasSize(1).first().asString().contains("\"id\":\"" + patients.get(1).getIdPart() + "\"");
		assertThat(lines.get("Observation")).hasSize(2)
				.allSatisfy(line -> assertThat(line).contains(patients.get(1).getValue()));
	}

	@Test
	void groupExportHasItsMembersOnlyAndTypeFilterNarrowsIt() throws Exception {
		String groupId = BulkExports.createGroup(client, List.of(patients.get(0), patients.get(2)));

		JsonNode manifest = exports.export("/fhir/Group/" + groupId + "/$export?_type=Observation&_typeFilter="
				+ enc("Observation?code=http://loinc.org|8310-5"));
		Map<String, List<String>> lines = exports.download(manifest.get("output"));
		assertThat(lines.keySet()).containsExactly("Observation");
		assertThat(lines.get("Observation")).hasSize(2).allSatisfy(line -> {
			assertThat(line).contains("8310-5");
			assertThat(line).doesNotContain(patients.get(1).getValue() + "\"");
		});

		assertThat(http.send(exports.kickOff("/fhir/Group/no-such-group-" + Fixtures.uniqueValue() + "/$export")).status()).isEqualTo(404);
	}

	@Test
	void elementsKeepsOnlyTheAskedElementsAndMarksResourcesSubsetted() throws Exception {
		JsonNode manifest = exports.export("/fhir/$export?_type=Patient&_elements=gender&_since=" + enc(since.toString()));
		List<String> lines = exports.download(manifest.get("output")).get("Patient");
		assertThat(lines).hasSize(3).allSatisfy(line -> {
			assertThat(line).contains("\"gender\":\"male\"").contains("SUBSETTED").doesNotContain("\"name\"");
		});
	}

	@Test
	void sinceExportListsDeletionsAsTransactionBundles() throws Exception {
		Instant before = Instant.now().minusMillis(5);
		Thread.sleep(10);
		Patient patient = Fixtures.patientWithCccd(Fixtures.cccd("079190"), "female", "1990-01-01");
		IdType id = (IdType) client.create().resource(patient).execute().getId().toUnqualifiedVersionless();
		client.delete().resourceById(id).execute();
		JsonNode manifest = exports.export("/fhir/$export?_type=Patient&_since=" + enc(before.toString()));
		assertThat(manifest.get("output")).isEmpty();
		JsonNode deleted = manifest.get("deleted");
		assertThat(deleted).hasSize(1);
		String bundle = exports.downloadOne(deleted.get(0).get("url").asText());
		JsonNode parsed = BulkExports.json(bundle.trim());
		assertThat(parsed.get("type").asText()).isEqualTo("transaction");
		assertThat(parsed.get("entry").get(0).get("request").get("method").asText()).isEqualTo("DELETE");
		assertThat(parsed.get("entry").get(0).get("request").get("url").asText()).isEqualTo(id.getValue());
	}

	@Test
	void deleteCancelsAndRemovesTheExport() throws Exception {
		Http.Response kickOff = http.send(exports.kickOff("/fhir/$export?_type=Patient&_since=" + enc(since.toString())));
		String status = kickOff.header("Content-Location");
		JsonNode manifest = exports.poll(status);
		String file = manifest.get("output").get(0).get("url").asText();
		Http.Response deleted = http.send(HttpRequest.newBuilder(exports.uriOf(status)).DELETE());
		assertThat(deleted.status()).isEqualTo(202);
		assertThat(http.get(exports.pathOf(status)).status()).isEqualTo(404);
		assertThat(http.get(exports.pathOf(file)).status()).isEqualTo(404);
		assertThat(http.send(HttpRequest.newBuilder(exports.uriOf(status)).DELETE()).status()).isEqualTo(404);
	}

	@Test
	void badKickOffsAreRefusedWithAnOperationOutcome() {
		Http.Response noPrefer = http.get("/fhir/$export?_type=Patient", "application/fhir+json");
		assertThat(noPrefer.status()).isEqualTo(400);
		assertThat(noPrefer.diagnostics()).contains("respond-async");
		assertRefused("/fhir/$export?_outputFormat=text/csv", 400, "_outputFormat");
		assertRefused("/fhir/$export?_type=Patient,Unicorn", 400, "Unicorn");
		assertRefused("/fhir/$export?_since=" + enc(Instant.now().plus(2, ChronoUnit.DAYS).toString()), 400, "future");
		assertRefused("/fhir/$export?_since=not-a-date", 400, "");
		assertRefused("/fhir/$export?_typeFilter=" + enc("Patient?no-such-param=1"), 400, "no-such-param");
		assertRefused("/fhir/Patient/$export?_type=Organization", 400, "compartment");
		assertRefused("/fhir/$export?includeAssociatedData=everything", 400, "includeAssociatedData");
		assertThat(http.get("/fhir/$export-poll-status?_jobId=" + Fixtures.uniqueValue()).status()).isEqualTo(404);
		assertThat(server.anonymousHttp().send(exports.kickOff("/fhir/$export")).status()).isEqualTo(401);
	}

	@Test
	void scopesLimitTheTypesAndOnlyTheStartingClientSeesTheJob() throws Exception {
		RegisteredClients.Client narrow = RegisteredClients.register(server, "export-narrow", List.of("system/Patient.rs"), List.of("PUBHLTH"));
		String token = (String) Tokens.json(Tokens.request(server.rootUrl(), narrow.clientId(), narrow.key(), "system/Patient.rs", null).body())
				.get("access_token");
		Http.Response forbidden = http.send(exports.kickOff("/fhir/$export?_type=Observation").header("Authorization", "Bearer " + token));
		assertThat(forbidden.status()).isEqualTo(403);
		// without _type the export holds every type: it needs read on all of them (system/*.r)
		Http.Response everything = http.send(exports.kickOff("/fhir/$export?_since=" + enc(since.toString())).header("Authorization", "Bearer " + token));
		assertThat(everything.status()).isEqualTo(403);
		assertThat(everything.diagnostics()).contains("system/*.r");
		Http.Response allowed = http.send(exports.kickOff("/fhir/$export?_type=Patient&_since=" + enc(since.toString()))
				.header("Authorization", "Bearer " + token));
		assertThat(allowed.status()).isEqualTo(202);
		String status = allowed.header("Content-Location");
		JsonNode manifest = null;
		for (int i = 0; i < 300 && manifest == null; i++) {
			Http.Response polled = http.send(HttpRequest.newBuilder(exports.uriOf(status)).header("Authorization", "Bearer " + token).GET());
			if (polled.status() == 200) {
				manifest = BulkExports.json(polled.body());
			} else {
				assertThat(polled.status()).isEqualTo(202);
				Thread.sleep(200);
			}
		}
		assertThat(manifest).isNotNull();
		for (JsonNode item : manifest.get("output")) {
			assertThat(item.get("type").asText()).isEqualTo("Patient");
		}
		// the suite's client did not start it: to it, the job does not exist
		assertThat(http.get(exports.pathOf(status)).status()).isEqualTo(404);
	}

	@Test
	void aJobLeftRunningByADeadNodeIsTakenOverAndCompleted() throws Exception {
		JsonNode finished = exports.export("/fhir/$export?_type=Observation&_since=" + enc(since.toString()));
		assertThat(finished.get("output").get(0).get("count").asInt()).isEqualTo(6);
		// what a node that crashed mid-export leaves: RUNNING, silent heartbeat, half a file on disk
		JdbcTemplate jdbc = new JdbcTemplate(server.context().getBean(javax.sql.DataSource.class));
		String request = jdbc.queryForObject("SELECT request FROM vf_bulk_export_job WHERE status = 'COMPLETED' ORDER BY finished DESC LIMIT 1",
				String.class);
		String jobId = "crashed-" + Fixtures.uniqueValue();
		jdbc.update("INSERT INTO vf_bulk_export_job (id, status, client_id, request, heartbeat, attempts, progress)"
				+ " VALUES (?, 'RUNNING', ?, ?, now() - interval '1 hour', 1, 'half way')", jobId, Tokens.SUITE_CLIENT, request);
		var half = server.dataDir().resolve("bulk-export").resolve(jobId);
		java.nio.file.Files.createDirectories(half);
		java.nio.file.Files.writeString(half.resolve("Observation-1.ndjson"), "{\"resourceType\":\"Observ");

		JsonNode manifest = exports.poll("/fhir/$export-poll-status?_jobId=" + jobId);
		List<String> lines = exports.download(manifest.get("output")).get("Observation");
		assertThat(lines).hasSize(6).allSatisfy(line -> parse(line, Observation.class));
		assertThat(jdbc.queryForObject("SELECT attempts FROM vf_bulk_export_job WHERE id = ?", Integer.class, jobId)).isEqualTo(2);
	}

	@Test
	void filesPastRetentionAreRemoved() throws Exception {
		Http.Response kickOff = http.send(exports.kickOff("/fhir/$export?_type=Patient&_since=" + enc(since.toString())));
		String status = kickOff.header("Content-Location");
		JsonNode manifest = exports.poll(status);
		String file = manifest.get("output").get(0).get("url").asText();
		String jobId = status.substring(status.indexOf("_jobId=") + 7);
		var jobDir = server.dataDir().resolve("bulk-export").resolve(jobId);
		assertThat(jobDir).isDirectory();
		// as if it had finished two days ago (retention is 24 hours)
		new JdbcTemplate(server.context().getBean(javax.sql.DataSource.class))
				.update("UPDATE vf_bulk_export_job SET finished = now() - interval '2 days' WHERE id = ?", jobId);
		assertThat(http.get(exports.pathOf(status)).status()).isEqualTo(404);
		assertThat(http.get(exports.pathOf(file)).status()).isEqualTo(404);
		assertThat(jobDir).doesNotExist();
	}

	@Test
	void capabilityStatementDeclaresBulkData() {
		String metadata = server.anonymousHttp().get("/fhir/metadata", "application/fhir+json").body();
		assertThat(metadata).contains("http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data")
				.contains("\"name\":\"export\"");
	}

	// --- helpers

	private static void assertRefused(String path, int status, String mention) {
		Http.Response response = http.send(exports.kickOff(path));
		assertThat(response.status()).as(path + " -> " + response.body()).isEqualTo(status);
		assertThat(response.outcome().getIssueFirstRep().getDiagnostics()).contains(mention);
	}

	private static int count(JsonNode output, String type) {
		int total = 0;
		for (JsonNode item : output) {
			if (item.get("type").asText().equals(type)) {
				total += item.get("count").asInt();
			}
		}
		return total;
	}

	private static <T extends Resource> T parse(String line, Class<T> type) {
		return TestServer.fhirContext().newJsonParser().parseResource(type, line);
	}

	/** Exported and read must be the same resource: content, id, version; lastUpdated as the same instant. */
	private static void assertSame(Resource exported, Resource read) {
		assertThat(exported.getIdElement().getIdPart()).isEqualTo(read.getIdElement().getIdPart());
		assertThat(exported.getMeta().getVersionId()).isEqualTo(read.getMeta().getVersionId());
		assertThat(exported.getMeta().getLastUpdated()).isEqualTo(read.getMeta().getLastUpdated());
		Resource a = exported.copy();
		Resource b = read.copy();
		a.setMeta(null);
		b.setMeta(null);
		a.setId((String) null);
		b.setId((String) null);
		var parser = TestServer.fhirContext().newJsonParser();
		assertThat(parser.encodeResourceToString(a)).isEqualTo(parser.encodeResourceToString(b));
		assertThat(exported.getMeta().getProfile().stream().map(p -> p.getValue()).toList())
				.isEqualTo(read.getMeta().getProfile().stream().map(p -> p.getValue()).toList());
		assertThat(exported.getMeta().getSource()).isEqualTo(read.getMeta().getSource());
	}
}
