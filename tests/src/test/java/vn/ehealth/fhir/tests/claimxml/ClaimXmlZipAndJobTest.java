package vn.ehealth.fhir.tests.claimxml;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.synth.ClaimXml;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/** Claim XML in bulk (issue 18): a ZIP of envelopes, answered at once or as a job; hostile ZIPs refused. */
class ClaimXmlZipAndJobTest {

	private static final String IMPORT = "/fhir/$import-claim-xml";
	private static final ObjectMapper JSON = new ObjectMapper();
	private static TestServer server;
	private static Http http;

	@BeforeAll
	static void server() {
		server = TestServer.shared();
		http = server.http();
	}

	@Test
	void aZipOfSeveralEnvelopesIsImportedAtOnce() {
		String first = ClaimXmlImportTest.facilityCode();
		String second = ClaimXmlImportTest.facilityCode();
		List<ClaimXml.Episode> a = List.of(episode(first), episode(first));
		List<ClaimXml.Episode> b = List.of(episode(second));
		Map<String, String> files = new LinkedHashMap<>();
		files.put("bv-" + first + ".xml", ClaimXml.envelope(first, a));
		files.put("ngay/bv-" + second + ".xml", ClaimXml.envelope(second, b));

		Http.Response response = postZip(ClaimXml.zip(files), false);

		assertThat(response.status()).as(response.body()).isEqualTo(200);
		Bundle bundle = response.resource(Bundle.class);
		assertThat(bundle.getEntry()).hasSize(3).allSatisfy(e -> assertThat(e.getResponse().getStatus()).startsWith("200"));
		assertThat(encounters(first, a.get(0))).hasSize(1);
		assertThat(encounters(first, a.get(1))).hasSize(1);
		assertThat(encounters(second, b.get(0))).hasSize(1);
	}

	@Test
	void aZipRunsAsAJobWithProgressThenTheManifestAndTheErrorFile() throws Exception {
		String facility = ClaimXmlImportTest.facilityCode();
		List<ClaimXml.Episode> good = List.of(episode(facility), episode(facility), episode(facility), episode(facility));
		ClaimXml.Episode bad = episode(facility);
		bad.xml1().put("T_BHTT", "1.00"); // T_BHTT = T_TONGCHI_BH − T_BNCCT no longer holds
		Map<String, String> files = new LinkedHashMap<>();
		files.put("a.xml", ClaimXml.envelope(facility, List.of(good.get(0), good.get(1))));
		files.put("b.xml", ClaimXml.envelope(facility, List.of(good.get(2), bad, good.get(3))));
		files.put("c.xml", "<GIAMDINHHS><THONGTINDONVI>"); // unreadable: one error line, the others go on

		Http.Response kickOff = postZip(ClaimXml.zip(files), true);

		assertThat(kickOff.status()).as(kickOff.body()).isEqualTo(202);
		String status = kickOff.header("Content-Location");
		assertThat(status).contains("$import-claim-xml-status?_jobId=");
		Http.Response first = http.get(path(status));
		assertThat(first.status()).as(first.body()).isEqualTo(202); // storing 5 episodes takes seconds, the poll a moment
		assertThat(first.header("X-Progress")).matches("running: \\d of 3 files read, \\d episodes stored, \\d refused");

		Http.Response done = await(status);
		assertThat(done.status()).as(done.body()).isEqualTo(200);
		JsonNode manifest = JSON.readTree(done.body());
		assertThat(count(manifest.get("output"), "Encounter")).isEqualTo(4);
		assertThat(count(manifest.get("output"), "Claim")).isEqualTo(4);
		assertThat(manifest.get("extension").get("episodesStored").asInt()).isEqualTo(4);
		assertThat(manifest.get("extension").get("episodesRefused").asInt()).isEqualTo(1);
		assertThat(manifest.get("extension").get("files").asInt()).isEqualTo(3);
		JsonNode error = manifest.get("error").get(0);
		assertThat(error.get("count").asInt()).isEqualTo(2);

		Http.Response errors = http.get(path(error.get("url").asText()));
		assertThat(errors.status()).isEqualTo(200);
		String[] lines = errors.body().split("\n");
		assertThat(lines).hasSize(2);
		assertThat(lines[0]).contains("b.xml/HOSO[2]/XML1/TONG_HOP[1]/T_BHTT");
		assertThat(lines[1]).contains("c.xml");
		good.forEach(e -> assertThat(encounters(facility, e)).hasSize(1));
		assertThat(encounters(facility, bad)).isEmpty();

		assertThat(http.send(HttpRequest.newBuilder(http.uri(path(status))).DELETE()).status()).isEqualTo(202);
		assertThat(http.get(path(status)).status()).isEqualTo(404);
	}

	@Test
	void aLargeEnvelopeAloneRunsAsAJobToo() throws Exception {
		String facility = ClaimXmlImportTest.facilityCode();
		ClaimXml.Episode episode = episode(facility);

		Http.Response kickOff = http.send(HttpRequest.newBuilder(http.uri(IMPORT)).header("Content-Type", "application/xml")
				.header("Prefer", "respond-async")
				.POST(HttpRequest.BodyPublishers.ofString(ClaimXml.envelope(facility, List.of(episode)))));

		assertThat(kickOff.status()).as(kickOff.body()).isEqualTo(202);
		JsonNode manifest = JSON.readTree(await(kickOff.header("Content-Location")).body());
		assertThat(manifest.get("extension").get("episodesStored").asInt()).isEqualTo(1);
		assertThat(manifest.get("error")).isEmpty();
		assertThat(encounters(facility, episode)).hasSize(1);
	}

	// ------------------------------------------------------------------ hostile ZIPs

	@Test
	void aZipBombIsRefusedNamingTheProblem() throws Exception {
		// 200 MB of zeros: a few hundred kilobytes compressed, a ratio of about 1000
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
			zip.putNextEntry(new ZipEntry("bomb.xml"));
			byte[] zeros = new byte[1 << 20];
			for (int i = 0; i < 200; i++) {
				zip.write(zeros);
			}
			zip.closeEntry();
		}

		Http.Response response = postZip(bytes.toByteArray(), false);

		assertThat(response.status()).as(response.body()).isEqualTo(413);
		assertThat(response.body()).contains("zip bomb").contains("max-zip-ratio").contains("bomb.xml");
	}

	@Test
	void aZipWithTooManyFilesIsRefused() {
		Map<String, String> files = new LinkedHashMap<>();
		for (int i = 0; i <= 10_000; i++) {
			files.put("f" + i + ".xml", "<a/>");
		}

		Http.Response response = postZip(ClaimXml.zip(files), true);

		assertThat(response.status()).as(response.body()).isEqualTo(400);
		assertThat(response.body()).contains("too many files").contains("max-zip-entries");
	}

	@Test
	void aDamagedZipOrABadFileInsideIsRefusedAndNothingStored() {
		Http.Response damaged = postZip("PK\u0003\u0004 not really a zip".getBytes(), false);
		assertThat(damaged.status()).as(damaged.body()).isEqualTo(400);

		String facility = ClaimXmlImportTest.facilityCode();
		ClaimXml.Episode episode = episode(facility);
		Map<String, String> files = new LinkedHashMap<>();
		files.put("good.xml", ClaimXml.envelope(facility, List.of(episode)));
		files.put("../../etc/evil.xml", "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>");
		Http.Response response = postZip(ClaimXml.zip(files), false);

		assertThat(response.status()).as(response.body()).isEqualTo(400);
		assertThat(response.body()).contains("../../etc/evil.xml").contains("DOCTYPE");
		assertThat(encounters(facility, episode)).isEmpty();
	}

	// ------------------------------------------------------------------ helpers

	private static ClaimXml.Episode episode(String facility) {
		return ClaimXmlImportTest.episode(facility, Fixtures.cccd("001085"), "BN-" + Fixtures.uniqueValue().substring(0, 8));
	}

	private static List<Encounter> encounters(String facility, ClaimXml.Episode episode) {
		Bundle found = http.get("/fhir/Encounter?identifier=" + ClaimXmlImportTest.episodeSystem(facility) + "%7C" + episode.maLk(),
				"application/fhir+json").resource(Bundle.class);
		return found.getEntry().stream().map(e -> (Encounter) e.getResource()).toList();
	}

	static Http.Response postZip(byte[] zip, boolean async) {
		HttpRequest.Builder request = HttpRequest.newBuilder(http.uri(IMPORT)).header("Content-Type", "application/zip")
				.header("Accept", "application/fhir+json").POST(HttpRequest.BodyPublishers.ofByteArray(zip));
		if (async) {
			request.header("Prefer", "respond-async");
		}
		return http.send(request);
	}

	private static String path(String url) {
		return url.substring(url.indexOf("/fhir/"));
	}

	private static Http.Response await(String status) throws InterruptedException {
		Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
		while (true) {
			Http.Response response = http.get(path(status));
			if (response.status() != 202 || Instant.now().isAfter(deadline)) {
				return response;
			}
			assertThat(response.header("X-Progress")).isNotBlank();
			assertThat(response.header("Retry-After")).isNotBlank();
			Thread.sleep(300);
		}
	}

	private static int count(JsonNode array, String type) {
		int sum = 0;
		for (JsonNode entry : array) {
			if (type.equals(entry.get("type").asText())) {
				sum += entry.get("count").asInt();
			}
		}
		return sum;
	}
}
