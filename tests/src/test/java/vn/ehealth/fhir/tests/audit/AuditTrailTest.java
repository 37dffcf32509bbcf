package vn.ehealth.fhir.tests.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import vn.ehealth.fhir.tests.security.RegisteredClients;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;
import vn.ehealth.fhir.tests.support.Tokens;

/** The audit trail: one record per access with its purpose, refused attempts, no forged records, tamper evidence, the citizen access report. */
class AuditTrailTest {

	private static TestServer server;
	private static Http http;
	private static String adminSecret;

	@BeforeAll
	static void start() {
		server = TestServer.shared();
		http = server.http();
		adminSecret = RegisteredClients.adminSecret(server);
	}

	private static IdType newPatient() {
		return (IdType) server.client().create()
				.resource(Fixtures.patient("Lê", "Thị Hoa", Fixtures.uniqueValue()))
				.execute().getId().toUnqualifiedVersionless();
	}

	private static Http.Response get(String path, String purpose) {
		return http.send(HttpRequest.newBuilder(http.uri(path))
				.header("Accept", "application/fhir+json").header("X-Purpose-Of-Use", purpose).GET());
	}

	private static Http.Response asAdmin(String path) {
		return http.send(HttpRequest.newBuilder(http.uri(path)).header("Authorization", "Bearer " + adminSecret).GET());
	}

	/** The patient's audit records through the admin API, newest first. */
	private static List<AuditEvent> events(IdType patient) {
		Http.Response response = asAdmin("/admin/audit/events?patient=" + patient.getValue());
		assertThat(response.status()).isEqualTo(200);
		return response.resource(Bundle.class).getEntry().stream().map(e -> (AuditEvent) e.getResource()).toList();
	}

	private static String interaction(AuditEvent event) {
		return event.getSubtypeFirstRep().getCode();
	}

	private static String purpose(AuditEvent event) {
		return event.getPurposeOfEventFirstRep().getCodingFirstRep().getCode();
	}

	private static String clientId(AuditEvent event) {
		return event.getAgentFirstRep().getWho().getIdentifier().getValue();
	}

	@Test
	void everyPatientReadYieldsExactlyOneAuditRecordWithItsPurpose() {
		IdType patient = newPatient();
		assertThat(get("/fhir/" + patient.getValue(), "HPAYMT").status()).isEqualTo(200);

		List<AuditEvent> reads = events(patient).stream().filter(e -> interaction(e).equals("read")).toList();
		assertThat(reads).hasSize(1);
		AuditEvent read = reads.get(0);
		assertThat(purpose(read)).isEqualTo("HPAYMT");
		assertThat(read.getAction()).isEqualTo(AuditEvent.AuditEventAction.R);
		assertThat(read.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
		assertThat(clientId(read)).isEqualTo(Tokens.SUITE_CLIENT);
		assertThat(read.getAgent()).extracting(a -> a.getWho().getReference()).contains("Organization/test-facility");
		assertThat(read.getAgentFirstRep().getNetwork().getAddress()).isNotBlank();
		assertThat(read.getEntity()).extracting(e -> e.getWhat().getReference()).contains(patient.getValue());

		assertThat(get("/fhir/" + patient.getValue(), "PUBHLTH").status()).isEqualTo(200);
		assertThat(events(patient).stream().filter(e -> interaction(e).equals("read")).map(AuditTrailTest::purpose))
				.containsExactly("PUBHLTH", "HPAYMT");
	}

	@Test
	void refusedAttemptsAreAudited() {
		IdType patient = newPatient();
		RegisteredClients.Client lab = RegisteredClients.register(server, "lis-kiem-tra", List.of("system/Observation.rs"), List.of("TREAT"));
		String labToken = (String) Tokens.json(
				Tokens.request(server.rootUrl(), lab.clientId(), lab.key(), "system/Observation.rs", null).body()).get("access_token");
		Http anonymous = server.anonymousHttp();
		Http.Response forbidden = anonymous.send(HttpRequest.newBuilder(anonymous.uri("/fhir/" + patient.getValue()))
				.header("Authorization", "Bearer " + labToken).GET());
		assertThat(forbidden.status()).isEqualTo(403);
		assertThat(anonymous.get("/fhir/" + patient.getValue()).status()).isEqualTo(401);

		List<AuditEvent> refused = events(patient).stream()
				.filter(e -> e.getOutcome() != AuditEvent.AuditEventOutcome._0).toList();
		assertThat(refused).hasSize(2);
		assertThat(refused).allSatisfy(e -> {
			assertThat(e.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
			assertThat(interaction(e)).isEqualTo("read");
			assertThat(e.getOutcomeDesc()).isNotBlank();
		});
		// newest first: the anonymous attempt (no client known), then the lab's
		assertThat(clientId(refused.get(0))).isNull();
		assertThat(clientId(refused.get(1))).isEqualTo(lab.clientId());
		assertThat(purpose(refused.get(1))).isEqualTo("TREAT");
	}

	@Test
	void auditEventsCannotBeCreatedUpdatedOrDeletedThroughFhir() {
		String forged = "{\"resourceType\":\"AuditEvent\",\"id\":\"forged\",\"type\":{\"code\":\"rest\"},"
				+ "\"recorded\":\"2025-01-01T00:00:00Z\",\"agent\":[{\"requestor\":true}],\"source\":{\"observer\":{\"display\":\"x\"}}}";
		Http.Response create = http.post("/fhir/AuditEvent", "application/fhir+json", forged);
		assertThat(create.status()).isEqualTo(405);
		assertThat(create.diagnostics()).contains("AuditEvent");

		Http.Response update = http.send(HttpRequest.newBuilder(http.uri("/fhir/AuditEvent/forged"))
				.header("Content-Type", "application/fhir+json")
				.PUT(HttpRequest.BodyPublishers.ofString(forged, StandardCharsets.UTF_8)));
		assertThat(update.status()).isEqualTo(405);
		assertThat(update.outcome().getIssue()).isNotEmpty();

		Http.Response delete = http.send(HttpRequest.newBuilder(http.uri("/fhir/AuditEvent/1")).DELETE());
		assertThat(delete.status()).isEqualTo(405);

		String transaction = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":" + forged
				+ ",\"request\":{\"method\":\"PUT\",\"url\":\"AuditEvent/forged\"}}]}";
		Http.Response inTransaction = http.post("/fhir", "application/fhir+json", transaction);
		assertThat(inTransaction.status()).isEqualTo(403);
		assertThat(http.get("/fhir/AuditEvent/forged", "application/fhir+json").status()).isIn(404, 410);
	}

	@Test
	void accessLogListsWhoAccessedThePatientNewestFirstWithPurposes() {
		IdType patient = newPatient();
		assertThat(get("/fhir/" + patient.getValue(), "TREAT").status()).isEqualTo(200);
		assertThat(get("/fhir/Patient?_id=" + patient.getIdPart(), "HPAYMT").status()).isEqualTo(200);
		Http.Response withUser = http.send(HttpRequest.newBuilder(http.uri("/fhir/" + patient.getValue()))
				.header("X-Purpose-Of-Use", "HRESCH").header("X-User", "bs.nguyenvana").GET());
		assertThat(withUser.status()).isEqualTo(200);

		Http.Response report = get("/fhir/" + patient.getValue() + "/$access-log", "PATRQT");
		assertThat(report.status()).isEqualTo(200);
		List<AuditEvent> log = report.resource(Bundle.class).getEntry().stream().map(e -> (AuditEvent) e.getResource()).toList();
		assertThat(log).extracting(AuditTrailTest::interaction).containsExactly("read", "search-type", "read", "create");
		assertThat(log).extracting(AuditTrailTest::purpose).containsExactly("HRESCH", "HPAYMT", "TREAT", "TREAT");
		assertThat(log).extracting(e -> e.getAction().toCode()).containsExactly("R", "R", "R", "C");
		assertThat(log.get(0).getAgent()).extracting(a -> a.getAltId()).contains("bs.nguyenvana");
		assertThat(log.get(0).getAgentFirstRep().getWho().getDisplay()).isEqualTo("VietFHIR test suite");
		for (int i = 1; i < log.size(); i++) {
			assertThat(log.get(i).getRecorded()).isBeforeOrEqualTo(log.get(i - 1).getRecorded());
		}

		// the report is an access too: the next one starts with it
		List<AuditEvent> again = get("/fhir/" + patient.getValue() + "/$access-log", "PATRQT").resource(Bundle.class)
				.getEntry().stream().map(e -> (AuditEvent) e.getResource()).toList();
		assertThat(again).hasSize(5);
		Http.Response badCount = get("/fhir/" + patient.getValue() + "/$access-log?_count=abc", "PATRQT");
		assertThat(badCount.status()).isEqualTo(400);
		assertThat(badCount.diagnostics()).contains("_count");
		assertThat(again.get(0).getSubtype()).extracting(c -> c.getCode()).contains("operation", "$access-log");
		assertThat(purpose(again.get(0))).isEqualTo("PATRQT");
	}

	@Test
	void concurrentReadsFormOneUnbrokenChain() throws Exception {
		IdType patient = newPatient();
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<Integer>> reads = new ArrayList<>();
			for (int i = 0; i < 16; i++) {
				reads.add(pool.submit(() -> get("/fhir/" + patient.getValue(), "TREAT").status()));
			}
			for (Future<Integer> read : reads) {
				assertThat(read.get()).isEqualTo(200);
			}
		} finally {
			pool.shutdown();
		}
		List<AuditEvent> recorded = events(patient).stream().filter(e -> interaction(e).equals("read")).toList();
		assertThat(recorded).hasSize(16);
		assertThat(recorded).extracting(e -> e.getIdPart()).doesNotHaveDuplicates();
		assertThat(Tokens.json(asAdmin("/admin/audit/verify").body())).containsEntry("status", "OK");
	}

	/**
	 * Records handed in together are written together (one statement, one commit): each concurrent
	 * search still gets its own record, with its own patient, once, and the chain stays unbroken.
	 */
	@Test
	void concurrentSearchesOfManyPatientsAreEachRecordedOnceInOneChain() throws Exception {
		List<IdType> patients = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			patients.add(newPatient());
		}
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<Integer>> searches = new ArrayList<>();
			for (int i = 0; i < 24; i++) {
				IdType patient = patients.get(i % patients.size());
				searches.add(pool.submit(() -> get("/fhir/Condition?patient=" + patient.getIdPart(), "TREAT").status()));
			}
			for (Future<Integer> search : searches) {
				assertThat(search.get()).isEqualTo(200);
			}
		} finally {
			pool.shutdown();
		}
		JdbcTemplate jdbc = new JdbcTemplate(server.context().getBean(DataSource.class));
		for (IdType patient : patients) {
			List<AuditEvent> recorded = events(patient).stream().filter(e -> interaction(e).equals("search-type")).toList();
			assertThat(recorded).hasSize(6);
			assertThat(recorded).extracting(e -> e.getIdPart()).doesNotHaveDuplicates();
			// its index rows: the patient's create and its six searches
			assertThat(jdbc.queryForObject("SELECT count(*) FROM vf_audit_patient WHERE patient = ?", Long.class, patient.getValue()))
					.isEqualTo(7L);
		}
		assertThat(Tokens.json(asAdmin("/admin/audit/verify").body())).containsEntry("status", "OK");
	}

	/**
	 * Another server instance on the same database appends between two of ours: our next record must
	 * chain from that instance's record, not from the last one this server wrote.
	 */
	@Test
	void recordsAppendedByAnotherInstanceJoinTheChain() throws Exception {
		IdType patient = newPatient();
		assertThat(get("/fhir/" + patient.getValue(), "TREAT").status()).isEqualTo(200);
		JdbcTemplate jdbc = new JdbcTemplate(server.context().getBean(DataSource.class));
		Map<String, Object> last = jdbc.queryForMap("SELECT seq, hash FROM vf_audit_event ORDER BY seq DESC LIMIT 1");
		long foreignSeq = ((Number) last.get("seq")).longValue() + 1;
		String foreignRecord = "{\"interaction\":\"read\",\"seq\":" + foreignSeq + ",\"server\":\"node-2\"}";
		String foreignHash = sha256Hex(last.get("hash") + foreignRecord);
		jdbc.update("INSERT INTO vf_audit_event (seq, recorded, record, prev_hash, hash) VALUES (?, now(), ?, ?, ?)",
				foreignSeq, foreignRecord, last.get("hash"), foreignHash);

		assertThat(get("/fhir/" + patient.getValue(), "TREAT").status()).isEqualTo(200);
		long ours = jdbc.queryForObject("SELECT max(seq) FROM vf_audit_patient WHERE patient = ?", Long.class, patient.getValue());
		assertThat(ours).isGreaterThan(foreignSeq);
		assertThat(jdbc.queryForObject("SELECT prev_hash FROM vf_audit_event WHERE seq = ?", String.class, foreignSeq + 1))
				.isEqualTo(foreignHash);
		assertThat(Tokens.json(asAdmin("/admin/audit/verify").body())).containsEntry("status", "OK");
	}

	private static String sha256Hex(String text) throws java.security.NoSuchAlgorithmException {
		return java.util.HexFormat.of().formatHex(
				java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
	}

	@Test
	void adminAuditApiNeedsTheAdminSecretOrAnAdminToken() {
		assertThat(server.anonymousHttp().get("/admin/audit/verify").status()).isEqualTo(401);
		assertThat(http.get("/admin/audit/verify").status()).isEqualTo(403);
	}

	@Test
	void tamperingWithAStoredRecordIsDetectedByVerifyAtItsSequenceNumber() {
		Http.Response before = asAdmin("/admin/audit/verify");
		assertThat(before.status()).isEqualTo(200);
		assertThat(Tokens.json(before.body())).containsEntry("status", "OK");

		IdType patient = newPatient();
		assertThat(get("/fhir/" + patient.getValue(), "HPAYMT").status()).isEqualTo(200);
		JdbcTemplate jdbc = new JdbcTemplate(server.context().getBean(DataSource.class));
		long seq = jdbc.queryForObject(
				"SELECT max(seq) FROM vf_audit_patient WHERE patient = ?", Long.class, patient.getValue());
		String original = jdbc.queryForObject("SELECT record FROM vf_audit_event WHERE seq = ?", String.class, seq);
		assertThat(original).contains("\"purpose\":\"HPAYMT\"");
		try {
			// someone with database access rewrites the purpose of an access after the fact
			jdbc.update("UPDATE vf_audit_event SET record = ? WHERE seq = ?",
					original.replace("\"purpose\":\"HPAYMT\"", "\"purpose\":\"TREAT\""), seq);
			Http.Response broken = asAdmin("/admin/audit/verify");
			assertThat(broken.status()).isEqualTo(409);
			Map<String, Object> result = Tokens.json(broken.body());
			assertThat(result).containsEntry("status", "BROKEN");
			assertThat(((Number) result.get("first_broken_seq")).longValue()).isEqualTo(seq);
		} finally {
			jdbc.update("UPDATE vf_audit_event SET record = ? WHERE seq = ?", original, seq);
		}
		Map<String, Object> restored = Tokens.json(asAdmin("/admin/audit/verify").body());
		assertThat(restored).containsEntry("status", "OK");
		assertThat(((Number) restored.get("count")).longValue()).isGreaterThanOrEqualTo(seq);
	}
}
