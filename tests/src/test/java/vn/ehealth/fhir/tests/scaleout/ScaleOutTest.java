package vn.ehealth.fhir.tests.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.server.security.ServerKeys;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.OpenSearchNode;
import vn.ehealth.fhir.tests.support.TestServer;
import vn.ehealth.fhir.tests.support.Tokens;

/**
 * Scale-out, with real engines: a real OpenSearch 2.x node (its own JVM, see {@link OpenSearchNode}),
 * one PostgreSQL (embedded, started here as an operator would run an external one) and two server
 * nodes on random ports that share both, started at the same moment as a two-replica deployment
 * would be.
 */
class ScaleOutTest {

	private static final String INDEX_PREFIX = "vietfhir-scaleout";
	private static final ObjectMapper JSON = new ObjectMapper();

	private static OpenSearchNode openSearch;
	private static EmbeddedPostgres postgres;
	private static Path keysDir;
	private static Path exportDir;
	private static TestServer nodeA;
	private static TestServer nodeB;
	/** Requests to each node; both carry tokens from the public token endpoint (node A's). */
	private static Http httpA;
	private static Http httpB;

	@BeforeAll
	static void cluster() throws Exception {
		CompletableFuture<OpenSearchNode> search = CompletableFuture.supplyAsync(OpenSearchNode::shared);
		Path pgData = Files.createTempDirectory("vietfhir-scaleout-pg-");
		postgres = EmbeddedPostgres.builder()
				.setDataDirectory(pgData)
				.setCleanDataDirectory(true)
				.setServerConfig("max_connections", "100")
				.setServerConfig("shared_buffers", "128MB")
				.setServerConfig("listen_addresses", "127.0.0.1")
				.setPGStartupWait(Duration.ofSeconds(60))
				.start();
		// every node signs and verifies tokens with one key: the operator makes it once (ClientTool server-keys)
		keysDir = Files.createTempDirectory("vietfhir-scaleout-keys-");
		exportDir = Files.createTempDirectory("vietfhir-scaleout-export-");
		ServerKeys.loadOrCreate(keysDir, "ES256", null);
		openSearch = search.join();

		// one public address for both, as behind a load balancer: here node A's, so that links, token
		// issuer and audience are the same whichever node answers
		int portA;
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			portA = socket.getLocalPort();
		}
		String publicBase = "http://localhost:" + portA + "/fhir";
		Map<String, Object> propertiesA = nodeProperties(publicBase);
		propertiesA.put("server.port", String.valueOf(portA));
		CompletableFuture<TestServer> a = CompletableFuture.supplyAsync(() -> TestServer.start("vietfhir-node-a-", propertiesA));
		// B starts while A initialises the empty database (A holds the start-up lock: B waits for it).
		// Not at the very same instant: Spring Boot's logging set-up is not safe for two starts at once in one JVM.
		await(Duration.ofMinutes(2), () -> a.isDone() || startupLockHeld());
		CompletableFuture<TestServer> b =
				CompletableFuture.supplyAsync(() -> TestServer.start("vietfhir-node-b-", nodeProperties(publicBase)));
		nodeA = a.join();
		nodeB = b.join();
		httpA = nodeA.http();
		httpB = nodeB.http(nodeA.tokens());
	}

	private static Map<String, Object> nodeProperties(String publicBase) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("vietfhir.fhir.server-address", publicBase);
		properties.put("vietfhir.cluster.job-maintenance-interval", "3s");
		properties.put("vietfhir.database.mode", "external");
		properties.put("spring.datasource.url", "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres");
		properties.put("spring.datasource.username", "postgres");
		properties.put("spring.datasource.password", "");
		properties.put("spring.datasource.hikari.maximum-pool-size", "15");
		properties.put("vietfhir.search.backend", "elasticsearch");
		properties.put("vietfhir.search.elasticsearch-hosts", openSearch.hosts());
		properties.put("vietfhir.search.elasticsearch-protocol", "http");
		properties.put("vietfhir.search.index-prefix", INDEX_PREFIX);
		properties.put("vietfhir.security.keys-dir", keysDir.toString());
		properties.put("vietfhir.cluster.terminology-refresh", "2s");
		// export files on storage every node sees (a shared volume in a deployment)
		properties.put("vietfhir.bulk-export.directory", exportDir.toString());
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
		if (openSearch != null) {
			openSearch.stop();
		}
	}

	@Test
	void nodesStartedTogetherInstallTheGuideOnce() {
		Bundle profiles = httpB
				.get("/fhir/StructureDefinition?url=https://vietfhir.org/fhir/StructureDefinition/vn-patient&_summary=count",
						"application/fhir+json")
				.resource(Bundle.class);
		assertThat(profiles.getTotal()).isEqualTo(1);
	}

	@Test
	void fullTextSearchRunsOnOpenSearch() throws IOException {
		String marker = marker();
		Patient patient = Fixtures.patient("Đặng", "Thùy Trâm", marker);
		patient.getText().setStatus(Narrative.NarrativeStatus.GENERATED)
				.setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">Bác sĩ, tiền sử sốt xuất huyết Dengue</div>");
		String id = create(nodeA, patient);

		// the document is in OpenSearch, in an index named with the configured prefix
		JsonNode indices = JSON.readTree(openSearch.request("GET", "/_cat/indices?format=json", null).body());
		List<String> names = new ArrayList<>();
		indices.forEach(index -> names.add(index.get("index").asText()));
		assertThat(names).anyMatch(name -> name.startsWith(INDEX_PREFIX + "-resourcetable"));
		// write-sync (the default on a cluster): searchable on every node within the refresh interval
		awaitSearchable(nodeB, "/fhir/Patient?_content=" + marker, List.of(id));
		assertThat(openSearchHits(marker)).isEqualTo(1);

		// _text (narrative) and _content (all text values), with and without diacritics, on the other node
		assertThat(patientIds(nodeB, "/fhir/Patient?_text=s%E1%BB%91t%20xu%E1%BA%A5t%20huy%E1%BA%BFt")).contains(id);
		assertThat(patientIds(nodeB, "/fhir/Patient?_text=sot%20xuat%20huyet")).contains(id);
		assertThat(patientIds(nodeB, "/fhir/Patient?_content=" + marker)).containsExactly(id);
		assertThat(patientIds(nodeB, "/fhir/Patient?_content=Tr%C3%A2m&_content=" + marker)).containsExactly(id);
		assertThat(patientIds(nodeB, "/fhir/Patient?_content=dang%20thuy%20tram&identifier="
						+ Fixtures.TEST_ID_SYSTEM + "%7C" + marker))
				.containsExactly(id);
		assertThat(patientIds(nodeB, "/fhir/Patient?_text=vi%C3%AAm%20gan&_content=" + marker)).isEmpty();
		// and a deleted resource leaves the index
		assertThat(httpA.send(HttpRequest.newBuilder(httpA.uri("/fhir/Patient/" + id)).DELETE()).status())
				.isEqualTo(200);
		awaitSearchable(nodeB, "/fhir/Patient?_content=" + marker, List.of());
		await(Duration.ofSeconds(5), () -> openSearchHits(marker) == 0);
	}

	@Test
	void aWriteOnOneNodeIsReadAndFoundAtOnceOnTheOther() {
		String marker = marker();
		String id = create(nodeA, Fixtures.patient("Lê", "Văn Hưu", marker));

		Patient read = httpB.get("/fhir/Patient/" + id, "application/fhir+json").resource(Patient.class);
		assertThat(read.getNameFirstRep().getFamily()).isEqualTo("Lê");
		assertThat(patientIds(nodeB, "/fhir/Patient?family=le&identifier=" + Fixtures.TEST_ID_SYSTEM + "%7C" + marker))
				.containsExactly(id);

		read.getNameFirstRep().setFamily("Lý");
		Http.Response updated = httpB.send(HttpRequest.newBuilder(httpB.uri("/fhir/Patient/" + id))
				.header("Content-Type", "application/fhir+json")
				.PUT(HttpRequest.BodyPublishers.ofString(
						TestServer.fhirContext().newJsonParser().encodeResourceToString(read))));
		assertThat(updated.status()).as(updated.body()).isEqualTo(200);
		Patient again = httpA.get("/fhir/Patient/" + id, "application/fhir+json").resource(Patient.class);
		assertThat(again.getMeta().getVersionId()).isEqualTo("2");
		assertThat(again.getNameFirstRep().getFamily()).isEqualTo("Lý");
		awaitSearchable(nodeA, "/fhir/Patient?_content=L%C3%BD&_content=" + marker, List.of(id));

		httpA.send(HttpRequest.newBuilder(httpA.uri("/fhir/Patient/" + id)).DELETE());
		assertThat(httpB.get("/fhir/Patient/" + id, "application/fhir+json").status()).isEqualTo(410);
	}

	/** $everything pages by key, not by a search stored on one node: each next page may go to either node. */
	@Test
	void everythingPagesCanBeFollowedOnEitherNode() {
		String patient = create(nodeA, Fixtures.patient("Trần", "Thị Nhàn", marker()));
		for (int i = 0; i < 4; i++) {
			Observation observation = new Observation();
			observation.setStatus(Observation.ObservationStatus.FINAL);
			observation.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
			observation.setSubject(new Reference("Patient/" + patient));
			Http.Response created = (i % 2 == 0 ? httpA : httpB).post("/fhir/Observation", "application/fhir+json",
					TestServer.fhirContext().newJsonParser().encodeResourceToString(observation));
			assertThat(created.status()).as(created.body()).isEqualTo(201);
		}
		List<String> seen = new ArrayList<>();
		String path = "/fhir/Patient/" + patient + "/$everything?_count=2";
		int pages = 0;
		while (path != null) {
			Http.Response page = (pages % 2 == 0 ? httpA : httpB).get(path, "application/fhir+json");
			assertThat(page.status()).as(page.body()).isEqualTo(200);
			Bundle bundle = page.resource(Bundle.class);
			assertThat(bundle.getTotal()).isEqualTo(5);
			bundle.getEntry().forEach(e -> seen.add(e.getResource().getIdElement().toUnqualifiedVersionless().getValue()));
			path = bundle.getLink(Bundle.LINK_NEXT) == null ? null : pathOf(bundle.getLink(Bundle.LINK_NEXT).getUrl());
			pages++;
		}
		assertThat(pages).isEqualTo(3);
		assertThat(seen).hasSize(5).doesNotHaveDuplicates().contains("Patient/" + patient);
	}

	@Test
	void aTokenIssuedByEitherNodeIsAcceptedByTheOther() {
		// a client behind the load balancer signs for the public token endpoint; node B answers it
		String assertion = Tokens.sign(Tokens.suiteKey(),
				Tokens.assertionClaims(Tokens.SUITE_CLIENT, nodeA.rootUrl() + "/auth/token").build());
		Http.Response issued = Tokens.post(nodeB.rootUrl(), assertion, "system/Patient.rs", "TREAT");
		assertThat(issued.status()).as(issued.body()).isEqualTo(200);
		String tokenOfB = (String) Tokens.json(issued.body()).get("access_token");

		Http.Response onA = nodeA.anonymousHttp().send(HttpRequest.newBuilder(nodeA.anonymousHttp().uri("/fhir/Patient?_count=1"))
				.header("Authorization", "Bearer " + tokenOfB)
				.header("Accept", "application/fhir+json")
				.GET());
		assertThat(onA.status()).as(onA.body()).isEqualTo(200);
		// the replayed assertion is refused by the other node too (the jti is recorded in the shared database)
		assertThat(Tokens.post(nodeA.rootUrl(), assertion, "system/Patient.rs", "TREAT").status()).isEqualTo(401);
	}

	@Test
	void anExportStartedOnOneNodeCompletesOnceAndIsVisibleOnBoth() throws Exception {
		create(nodeA, Fixtures.patient("Hồ", "Xuân Hương", marker()));
		create(nodeB, Fixtures.patient("Nguyễn", "Du", marker()));
		int patients = count(nodeA, "/fhir/Patient?_summary=count");
		long jobsBefore = exportJobs();

		Http.Response kickOff = httpA.send(HttpRequest.newBuilder(httpA.uri("/fhir/$export?_type=Patient"))
				.header("Accept", "application/fhir+json")
				.header("Prefer", "respond-async")
				.GET());
		assertThat(kickOff.status()).as(kickOff.body()).isEqualTo(202);
		String statusPath = pathOf(kickOff.header("Content-Location"));

		// polled on the other node until done
		Http.Response manifest = null;
		long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
		while (System.nanoTime() < deadline) {
			manifest = httpB.get(statusPath, "application/json");
			if (manifest.status() != 202) {
				break;
			}
			Thread.sleep(1000);
		}
		assertThat(manifest.status()).as(manifest.body()).isEqualTo(200);
		assertThat(httpA.get(statusPath, "application/json").body()).isEqualTo(manifest.body());

		JsonNode outputs = JSON.readTree(manifest.body()).get("output");
		assertThat(outputs).isNotEmpty();
		int lines = 0;
		for (JsonNode output : outputs) {
			assertThat(output.get("type").asText()).isEqualTo("Patient");
			String file = pathOf(output.get("url").asText());
			Http.Response onA = httpA.get(file, "application/fhir+ndjson");
			Http.Response onB = httpB.get(file, "application/fhir+ndjson");
			assertThat(onA.status()).as(onA.body()).isEqualTo(200);
			assertThat(onB.body()).isEqualTo(onA.body());
			lines += (int) onA.body().lines().filter(line -> !line.isBlank()).count();
		}
		// once: one job, run by one node in one attempt, every patient exactly once
		assertThat(exportJobs() - jobsBefore).isEqualTo(1);
		assertThat(exportAttempts()).isEqualTo(1);
		assertThat(lines).isEqualTo(patients);
	}

	@Test
	void theReindexCommandRebuildsALostIndexOncePerCluster() throws Exception {
		String marker = marker();
		String narrativeMarker = marker();
		Patient patient = Fixtures.patient("Trần", "Nhân Tông", marker);
		patient.getText().setStatus(Narrative.NarrativeStatus.GENERATED).setDivAsString(
				"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Thiền sư <b>Trúc Lâm</b></p><p>" + narrativeMarker + "</p></div>");
		String id = create(nodeA, patient);
		awaitSearchable(nodeB, "/fhir/Patient?_content=" + marker, List.of(id));
		assertThat(patientIds(nodeB, "/fhir/Patient?_text=" + narrativeMarker)).containsExactly(id);

		// the cluster loses the document (as after losing an index): search no longer finds it
		Http.Response deleted = openSearch.request("POST",
				"/" + INDEX_PREFIX + "-resourcetable-write/_delete_by_query?refresh=true",
				"{\"query\":{\"match\":{\"myContentText\":\"" + marker + "\"}}}");
		assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
		assertThat(JSON.readTree(deleted.body()).get("deleted").asInt()).isEqualTo(1);
		assertThat(patientIds(nodeB, "/fhir/Patient?_content=" + marker)).isEmpty();

		String admin = "Bearer " + Files.readString(keysDir.resolve(ServerKeys.ADMIN_SECRET_FILE)).trim();
		// while a rebuild holds the cluster-wide lock (here: taken as another node would), none starts
		try (Connection other = postgres.getPostgresDatabase().getConnection()) {
			advisoryLock(other, "pg_advisory_lock");
			Http.Response refused = adminPost(nodeA, admin);
			assertThat(refused.status()).as(refused.body()).isEqualTo(409);
			assertThat(adminGet(nodeB, admin).get("running_anywhere").asBoolean()).isTrue();
			advisoryLock(other, "pg_advisory_unlock");
		}
		assertThat(adminPost(nodeA, "Bearer not-the-secret").status()).isEqualTo(401);

		Http.Response started = adminPost(nodeA, admin);
		assertThat(started.status()).as(started.body()).isEqualTo(202);
		await(Duration.ofMinutes(3), () -> !adminGet(nodeA, admin).get("this_node").get("state").asText().equals("running"));
		JsonNode run = adminGet(nodeA, admin).get("this_node");
		assertThat(run.get("state").asText()).as(run.toString()).isEqualTo("completed");
		assertThat(run.get("resources_indexed").asLong()).isGreaterThan(1);
		assertThat(run.get("concepts_indexed").asLong()).isGreaterThan(100);
		assertThat(adminGet(nodeB, admin).get("running_anywhere").asBoolean()).isFalse();

		awaitSearchable(nodeB, "/fhir/Patient?_content=" + marker, List.of(id));
		assertThat(patientIds(nodeB, "/fhir/Patient?_text=tr%C3%BAc%20l%C3%A2m&_text=" + narrativeMarker)).containsExactly(id);
	}

	@Test
	void aListImportedThroughOneNodeIsKnownToTheOther() {
		String validate = "/fhir/ValueSet/$validate-code?url=https://vietfhir.org/fhir/ValueSet/vn-commune"
				+ "&system=https://vietfhir.org/fhir/CodeSystem/vn-commune&code=25747";
		assertThat(known(nodeB, validate)).isFalse();

		Http.Response imported = httpA.post("/fhir/CodeSystem/$import-communes", "text/csv",
				"code,display_vi,province_code,display_en\n25747,Phường Thủ Dầu Một,79,Thu Dau Mot Ward\n");
		assertThat(imported.status()).as(imported.body()).isEqualTo(200);
		assertThat(known(nodeA, validate)).isTrue();

		// within vietfhir.cluster.terminology-refresh (2 s here)
		await(Duration.ofSeconds(30), () -> known(nodeB, validate));
	}

	private static String create(TestServer node, Patient patient) {
		Http.Response created = http(node).post("/fhir/Patient", "application/fhir+json",
				TestServer.fhirContext().newJsonParser().encodeResourceToString(patient));
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		return new IdType(created.header("Location")).getIdPart();
	}

	private static Http http(TestServer node) {
		return node == nodeA ? httpA : httpB;
	}

	/** The promise of docs/scale-out.md for a cluster: a write is found by a search on any node within the refresh interval (1 s). */
	private static void awaitSearchable(TestServer node, String path, List<String> expectedIds) {
		long started = System.nanoTime();
		while (!patientIds(node, path).equals(expectedIds) && System.nanoTime() - started < Duration.ofSeconds(5).toNanos()) {
			try {
				Thread.sleep(100);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(e);
			}
		}
		assertThat(patientIds(node, path)).isEqualTo(expectedIds);
	}

	private static List<String> patientIds(TestServer node, String path) {
		Http.Response response = http(node).get(path, "application/fhir+json");
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.resource(Bundle.class).getEntry().stream()
				.map(entry -> entry.getResource().getIdElement().getIdPart())
				.toList();
	}

	private static int count(TestServer node, String path) {
		return http(node).get(path, "application/fhir+json").resource(Bundle.class).getTotal();
	}

	private static boolean known(TestServer node, String path) {
		Parameters parameters = http(node).get(path, "application/fhir+json").resource(Parameters.class);
		return ((BooleanType) parameters.getParameter("result").getValue()).booleanValue();
	}

	private static long openSearchHits(String marker) {
		Http.Response found = openSearch.request("POST", "/" + INDEX_PREFIX + "-resourcetable-read/_search",
				"{\"query\":{\"match\":{\"myContentText\":\"" + marker + "\"}}}");
		assertThat(found.status()).as(found.body()).isEqualTo(200);
		try {
			return JSON.readTree(found.body()).get("hits").get("total").get("value").asLong();
		} catch (IOException e) {
			throw new IllegalStateException(e);
		}
	}

	/** Export jobs in the shared database (bulk/ExportJobStore). */
	private static long exportJobs() throws SQLException {
		return queryLong("SELECT count(*) FROM vf_bulk_export_job");
	}

	/** How many times the newest export job was started (a second node taking it over would add one). */
	private static long exportAttempts() throws SQLException {
		return queryLong("SELECT attempts FROM vf_bulk_export_job ORDER BY created DESC LIMIT 1");
	}

	private static long queryLong(String sql) throws SQLException {
		try (Connection connection = postgres.getPostgresDatabase().getConnection();
				PreparedStatement query = connection.prepareStatement(sql);
				ResultSet result = query.executeQuery()) {
			result.next();
			return result.getLong(1);
		}
	}

	/** Whether a node holds the start-up lock (StartupLock, "VFSTART"). */
	private static boolean startupLockHeld() {
		try (Connection connection = postgres.getPostgresDatabase().getConnection();
				PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
						+ "AND granted AND ((classid::bigint << 32) | objid::bigint) = ?")) {
			query.setLong(1, 0x5646535441525400L);
			try (ResultSet result = query.executeQuery()) {
				result.next();
				return result.getLong(1) > 0;
			}
		} catch (SQLException e) {
			throw new IllegalStateException(e);
		}
	}

	private static void advisoryLock(Connection connection, String function) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("SELECT " + function + "(?)")) {
			// the key of FullTextIndexRebuild ("VFINDEX")
			statement.setLong(1, 0x5646494E44455800L);
			statement.execute();
		}
	}

	private static Http.Response adminPost(TestServer node, String authorization) {
		return node.anonymousHttp().send(HttpRequest.newBuilder(node.anonymousHttp().uri("/admin/search/reindex"))
				.header("Authorization", authorization)
				.POST(HttpRequest.BodyPublishers.noBody()));
	}

	private static JsonNode adminGet(TestServer node, String authorization) {
		Http.Response response = node.anonymousHttp().send(
				HttpRequest.newBuilder(node.anonymousHttp().uri("/admin/search/reindex"))
						.header("Authorization", authorization)
						.GET());
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		try {
			return JSON.readTree(response.body());
		} catch (IOException e) {
			throw new IllegalStateException(e);
		}
	}

	/** The path and query of an absolute URL the server wrote (it names the node that wrote it). */
	private static String pathOf(String url) {
		java.net.URI uri = java.net.URI.create(url);
		return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
	}

	/** A word the standard analyzer keeps whole, unique to one test. */
	private static String marker() {
		byte[] random = new byte[6];
		ThreadLocalRandom.current().nextBytes(random);
		return "vf" + HexFormat.of().formatHex(random);
	}

	private static void await(Duration timeout, BooleanSupplier condition) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition not met within " + timeout).isLessThan(deadline);
			try {
				Thread.sleep(500);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(e);
			}
		}
	}
}
