package vn.ehealth.fhir.tests.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.server.security.ServerKeys;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * The same new citizen sent to two server nodes on one PostgreSQL at the same moment, many times: the
 * database, not a check before the write, keeps one Patient per CCCD (issue 19). The nodes use their
 * own local Lucene index (a warning only): identifier searches read the database's token index.
 */
class TwoNodesOneCitizenTest {

	/** A thread per client, so that both reach the barrier whatever the common pool's size. */
	private static final Executor CLIENTS = Executors.newCachedThreadPool();

	private static EmbeddedPostgres postgres;
	private static TestServer nodeA;
	private static TestServer nodeB;
	private static Http httpA;
	private static Http httpB;

	@BeforeAll
	static void twoNodes() throws Exception {
		postgres = EmbeddedPostgres.builder()
				.setDataDirectory(Files.createTempDirectory("vietfhir-identity-pg-"))
				.setCleanDataDirectory(true)
				.setServerConfig("max_connections", "100")
				.setServerConfig("listen_addresses", "127.0.0.1")
				.setPGStartupWait(Duration.ofSeconds(60))
				.start();
		Path keysDir = Files.createTempDirectory("vietfhir-identity-keys-");
		ServerKeys.loadOrCreate(keysDir, "ES256", null);
		int portA;
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			portA = socket.getLocalPort();
		}
		String publicBase = "http://localhost:" + portA + "/fhir";
		Map<String, Object> propertiesA = nodeProperties(publicBase, keysDir);
		propertiesA.put("server.port", String.valueOf(portA));
		nodeA = TestServer.start("vietfhir-identity-a-", propertiesA);
		nodeB = TestServer.start("vietfhir-identity-b-", nodeProperties(publicBase, keysDir));
		httpA = nodeA.http();
		httpB = nodeB.http(nodeA.tokens());
	}

	private static Map<String, Object> nodeProperties(String publicBase, Path keysDir) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("vietfhir.fhir.server-address", publicBase);
		properties.put("vietfhir.database.mode", "external");
		properties.put("spring.datasource.url", "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres");
		properties.put("spring.datasource.username", "postgres");
		properties.put("spring.datasource.password", "");
		properties.put("spring.datasource.hikari.maximum-pool-size", "10");
		properties.put("vietfhir.security.keys-dir", keysDir.toString());
		return properties;
	}

	@AfterAll
	static void stop() throws IOException {
		if (nodeA != null) {
			nodeA.stop();
		}
		if (nodeB != null) {
			nodeB.stop();
		}
		if (postgres != null) {
			postgres.close();
		}
	}

	@Test
	void theSameNewCitizenSentToBothNodesAtOnceIsStoredOnce() {
		for (int round = 0; round < 10; round++) {
			String cccd = Fixtures.cccd("001085");
			CyclicBarrier together = new CyclicBarrier(2);
			List<CompletableFuture<Integer>> clients = new ArrayList<>();
			// one node gets our guide's namespace, the other VN Core's: still one citizen
			clients.add(createAtOnce(httpA, OneCitizenOneRecordTest.OURS, cccd, together));
			clients.add(createAtOnce(httpB, OneCitizenOneRecordTest.VN_CORE, cccd, together));
			List<Integer> statuses = clients.stream().map(CompletableFuture::join).sorted().toList();

			assertThat(statuses).as("round " + round).containsExactly(201, 409);
			Bundle found = httpB.get("/fhir/Patient?identifier=" + URLEncoder.encode(cccd, StandardCharsets.UTF_8),
					"application/fhir+json").resource(Bundle.class);
			assertThat(found.getEntry()).as("round " + round).hasSize(1);
		}
	}

	private static CompletableFuture<Integer> createAtOnce(Http http, String system, String cccd, CyclicBarrier together) {
		String body = TestServer.fhirContext().newJsonParser()
				.encodeResourceToString(OneCitizenOneRecordTest.citizen(system, cccd));
		return CompletableFuture.supplyAsync(() -> {
			try {
				together.await();
			} catch (Exception e) {
				throw new IllegalStateException(e);
			}
			return http.post("/fhir/Patient", "application/fhir+json", body).status();
		});
	}
}
