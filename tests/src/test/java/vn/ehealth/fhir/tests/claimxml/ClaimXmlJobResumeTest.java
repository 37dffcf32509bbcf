package vn.ehealth.fhir.tests.claimxml;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import vn.ehealth.fhir.synth.ClaimXml;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * Claim XML jobs outlive their node (issue 18): the body is kept with the job until it ends, so a
 * restart resumes the job from its last finished file, and a job whose node stopped reporting is
 * taken over by another node. Every episode ends stored once, the manifest counts each once.
 */
class ClaimXmlJobResumeTest {

	private static final ObjectMapper JSON = new ObjectMapper();
	private static TestServer server;

	@BeforeAll
	static void start() {
		server = TestServer.start("claim-xml-resume", Map.of("vietfhir.claim-xml.job-takeover-after", "2s"));
	}

	@AfterAll
	static void stop() {
		server.stop();
	}

	@Test
	void aJobInterruptedByARestartResumesAndStoresEveryEpisodeOnce() throws Exception {
		String facility = ClaimXmlImportTest.facilityCode();
		List<ClaimXml.Episode> episodes = new ArrayList<>();
		Map<String, String> files = new LinkedHashMap<>();
		for (int f = 0; f < 20; f++) {
			List<ClaimXml.Episode> inFile = List.of(episode(facility), episode(facility));
			episodes.addAll(inFile);
			files.put("f" + f + ".xml", ClaimXml.envelope(facility, inFile));
		}
		Http.Response kickOff = post(server.http(), ClaimXml.zip(files));
		assertThat(kickOff.status()).as(kickOff.body()).isEqualTo(202);
		String status = path(kickOff.header("Content-Location"));
		String id = status.substring(status.indexOf("_jobId=") + 7);
		awaitProgress(server.http(), status);

		assertThat(jdbc(server).queryForObject("SELECT status FROM vf_claim_xml_job WHERE id = ?", String.class, id))
				.as("the job must still be running when the server stops, or this test proves nothing").isEqualTo("running");
		server = server.restart(Map.of());

		JsonNode manifest = JSON.readTree(await(server.http(), status).body());
		assertThat(manifest.get("extension").get("files").asInt()).isEqualTo(20);
		assertThat(manifest.get("extension").get("episodesStored").asInt()).as(errors(server.http(), manifest)).isEqualTo(40);
		assertThat(manifest.get("extension").get("episodesRefused").asInt()).isZero();
		assertThat(manifest.get("error")).isEmpty();
		assertThat(count(manifest.get("output"), "Encounter")).isEqualTo(40);
		for (ClaimXml.Episode episode : episodes) {
			assertThat(encounters(server.http(), facility, episode)).as(episode.maLk()).isEqualTo(1);
		}
		assertThat(jdbc(server).queryForObject("SELECT count(*) FROM vf_claim_xml_job_input WHERE job_id = ?", Integer.class, id))
				.as("the body goes when the job ends").isZero();
	}

	@Test
	void aJobWhoseNodeStoppedReportingIsTakenOverByAnother() throws Exception {
		// a job as another node leaves it: running, its heartbeat old, one of its two files done
		String facility = ClaimXmlImportTest.facilityCode();
		ClaimXml.Episode done = episode(facility);
		ClaimXml.Episode left = episode(facility);
		Map<String, String> files = new LinkedHashMap<>();
		files.put("done.xml", ClaimXml.envelope(facility, List.of(done)));
		files.put("left.xml", ClaimXml.envelope(facility, List.of(left)));
		Http.Response first = post(server.http(), ClaimXml.zip(Map.of("x.xml", ClaimXml.envelope(facility, List.of(episode(facility))))));
		String firstId = path(first.header("Content-Location")).replaceAll(".*_jobId=", "");
		await(server.http(), path(first.header("Content-Location")));
		JdbcTemplate jdbc = jdbc(server);
		Map<String, Object> caller = jdbc.queryForMap("SELECT client_id, access, request FROM vf_claim_xml_job WHERE id = ?", firstId);
		String id = UUID.randomUUID().toString();
		jdbc.update("INSERT INTO vf_claim_xml_job_input (job_id, zip, body) VALUES (?, true, ?)", id, ClaimXml.zip(files));
		jdbc.update("INSERT INTO vf_claim_xml_job (id, status, node, client_id, access, request, files, files_done, "
				+ "episodes_stored, types, created_at, heartbeat_at) VALUES (?, 'running', 'a-node-that-stopped', ?, ?, ?, 2, 1, 1, "
				+ "'{\"Encounter\":1}', now(), now() - interval '1 hour')",
				id, caller.get("client_id"), caller.get("access"), caller.get("request"));

		JsonNode manifest = JSON.readTree(await(server.http(), "/fhir/$import-claim-xml-status?_jobId=" + id).body());

		assertThat(manifest.get("extension").get("episodesStored").asInt()).as(errors(server.http(), manifest)).isEqualTo(2);
		assertThat(count(manifest.get("output"), "Encounter")).isEqualTo(2);
		assertThat(encounters(server.http(), facility, left)).isEqualTo(1);
		assertThat(encounters(server.http(), facility, done)).as("the file the other node finished is not read again").isZero();
	}

	// ------------------------------------------------------------------ helpers

	private static ClaimXml.Episode episode(String facility) {
		return ClaimXmlImportTest.episode(facility, Fixtures.cccd("001085"), "BN-" + Fixtures.uniqueValue().substring(0, 8));
	}

	private static Http.Response post(Http http, byte[] zip) {
		return http.send(HttpRequest.newBuilder(http.uri("/fhir/$import-claim-xml")).header("Content-Type", "application/zip")
				.header("Accept", "application/fhir+json").header("Prefer", "respond-async")
				.POST(HttpRequest.BodyPublishers.ofByteArray(zip)));
	}

	private static JdbcTemplate jdbc(TestServer server) {
		return new JdbcTemplate(server.context().getBean(DataSource.class));
	}

	private static int encounters(Http http, String facility, ClaimXml.Episode episode) {
		return http.get("/fhir/Encounter?identifier=" + ClaimXmlImportTest.episodeSystem(facility) + "%7C" + episode.maLk(),
				"application/fhir+json").resource(Bundle.class).getEntry().size();
	}

	/** The manifest and its error file, to say why an assertion failed. */
	private static String errors(Http http, JsonNode manifest) {
		JsonNode error = manifest.get("error");
		return manifest + (error.isEmpty() ? "" : "\n" + http.get(path(error.get(0).get("url").asText())).body());
	}

	private static int count(JsonNode output, String type) {
		for (JsonNode item : output) {
			if (item.get("type").asText().equals(type)) {
				return item.get("count").asInt();
			}
		}
		return 0;
	}

	private static String path(String url) {
		return url.substring(url.indexOf("/fhir/"));
	}

	/** Until the job has finished at least one file (it is then mid-way: 20 files take far longer). */
	private static void awaitProgress(Http http, String status) throws InterruptedException {
		Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
		while (Instant.now().isBefore(deadline)) {
			String progress = http.get(status).header("X-Progress");
			if (progress != null && !progress.startsWith("running: 0 of")) {
				return;
			}
			Thread.sleep(100);
		}
		throw new AssertionError("the job did not finish a file within 2 minutes");
	}

	private static Http.Response await(Http http, String status) throws InterruptedException {
		Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
		while (true) {
			Http.Response response = http.get(status);
			if (response.status() != 202 || Instant.now().isAfter(deadline)) {
				assertThat(response.status()).as(response.body()).isEqualTo(200);
				return response;
			}
			Thread.sleep(250);
		}
	}
}
