package vn.ehealth.fhir.tests.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.tests.security.RegisteredClients;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;
import vn.ehealth.fhir.tests.support.Tokens;

/** The daily limit on distinct patients per client, and the access-volume report for inspections. */
class AccessVolumeTest {

	private static TestServer server;
	private static Http http;
	private static String adminSecret;

	@BeforeAll
	static void start() {
		server = TestServer.shared();
		http = server.anonymousHttp();
		adminSecret = RegisteredClients.adminSecret(server);
	}

	private static List<IdType> newPatients(int count) {
		List<IdType> patients = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			patients.add((IdType) server.client().create()
					.resource(Fixtures.patient("Vũ", "Thị Đếm", Fixtures.uniqueValue()))
					.execute().getId().toUnqualifiedVersionless());
		}
		return patients;
	}

	private static Http.Response get(String token, String path) {
		return http.send(HttpRequest.newBuilder(http.uri(path))
				.header("Authorization", "Bearer " + token).header("Accept", "application/fhir+json").GET());
	}

	private static Http.Response asAdmin(String path, String accept) {
		return http.send(HttpRequest.newBuilder(http.uri(path))
				.header("Authorization", "Bearer " + adminSecret).header("Accept", accept).GET());
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> todaysRow(String clientId) {
		Http.Response report = asAdmin("/admin/audit/volume?client=" + clientId, "application/json");
		assertThat(report.status()).isEqualTo(200);
		List<Map<String, Object>> rows = (List<Map<String, Object>>) Tokens.json(report.body()).get("rows");
		assertThat(rows).hasSize(1);
		return rows.get(0);
	}

	@Test
	void theClientReadsUpToItsLimitOfDistinctPatientsThenIsRefusedAndFlagged() {
		RegisteredClients.Client portal = RegisteredClients.register(server, "cong-tra-cuu", Tokens.newKey(),
				List.of("system/Patient.rs", "system/Observation.rs"), List.of("TREAT"), "Organization/so-y-te", "\"daily_patient_limit\":3");
		String token = RegisteredClients.token(server, portal, "system/Patient.rs system/Observation.rs");
		List<IdType> patients = newPatients(4);

		for (int i = 0; i < 3; i++) {
			assertThat(get(token, "/fhir/" + patients.get(i).getValue()).status()).isEqualTo(200);
		}
		Http.Response fourth = get(token, "/fhir/" + patients.get(3).getValue());
		assertThat(fourth.status()).isEqualTo(429);
		assertThat(fourth.diagnostics()).contains("limit 3").contains(portal.clientId());
		assertThat(fourth.header("Retry-After")).isNotBlank();
		// a search that would return the fourth is refused too, whole
		Http.Response search = get(token, "/fhir/Patient?_id=" + patients.get(0).getIdPart() + "," + patients.get(3).getIdPart());
		assertThat(search.status()).isEqualTo(429);
		assertThat(search.body()).doesNotContain("Thị Đếm");

		// nor can a batch's GET entries go round the limit
		String batch = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"request\":{\"method\":\"GET\",\"url\":\""
				+ patients.get(3).getValue() + "\"}}]}";
		Http.Response batched = http.send(HttpRequest.newBuilder(http.uri("/fhir"))
				.header("Authorization", "Bearer " + token).header("Content-Type", "application/fhir+json")
				.POST(HttpRequest.BodyPublishers.ofString(batch)));
		assertThat(batched.status()).isEqualTo(200);
		assertThat(batched.resource(Bundle.class).getEntryFirstRep().getResponse().getStatus()).startsWith("429");
		assertThat(batched.body()).doesNotContain("Thị Đếm");

		// patients counted already stay readable, by read and by search
		assertThat(get(token, "/fhir/" + patients.get(0).getValue()).status()).isEqualTo(200);
		Http.Response again = get(token, "/fhir/Patient?_id=" + patients.get(1).getIdPart() + "," + patients.get(2).getIdPart());
		assertThat(again.status()).isEqualTo(200);
		assertThat(again.resource(Bundle.class).getEntry()).hasSize(2);

		Map<String, Object> row = todaysRow(portal.clientId());
		assertThat(row.get("day")).isEqualTo(LocalDate.now(ZoneId.of("Asia/Ho_Chi_Minh")).toString());
		assertThat(row.get("client_name")).isEqualTo("cong-tra-cuu");
		assertThat(((Number) row.get("distinct_patients")).intValue()).isEqualTo(3);
		assertThat(((Number) row.get("daily_patient_limit")).intValue()).isEqualTo(3);
		assertThat(((Number) row.get("refused_requests")).intValue()).isEqualTo(3);
		assertThat(row.get("flagged")).isEqualTo(true);

		// the refusal is in the audit trail as a flagged failure
		Http.Response events = asAdmin("/admin/audit/events?patient=" + patients.get(3).getValue(), "application/fhir+json");
		List<AuditEvent> refused = events.resource(Bundle.class).getEntry().stream().map(e -> (AuditEvent) e.getResource())
				.filter(e -> e.getOutcome() == AuditEvent.AuditEventOutcome._4).toList();
		assertThat(refused).isNotEmpty();
		assertThat(refused.get(0).getSubtype()).anySatisfy(c -> {
			assertThat(c.getSystem()).isEqualTo("urn:vietfhir:audit-flag");
			assertThat(c.getCode()).isEqualTo("volume-limit");
		});
		assertThat(refused.get(0).getOutcomeDesc()).contains("limit");

		// the CSV form for inspectors
		Http.Response csv = asAdmin("/admin/audit/volume?client=" + portal.clientId() + "&format=csv", "*/*");
		assertThat(csv.status()).isEqualTo(200);
		assertThat(csv.header("Content-Type")).startsWith("text/csv");
		assertThat(csv.body()).startsWith("\uFEFFday,client_id,client_name,distinct_patients,daily_patient_limit,refused_requests,flagged")
				.contains("," + portal.clientId() + ",cong-tra-cuu,3,3,3,true,");
	}

	@Test
	void raisingTheLimitThroughTheAdminApiLetsTheNextPatientThrough() {
		RegisteredClients.Client client = RegisteredClients.register(server, "his-gioi-han", Tokens.newKey(),
				List.of("system/Patient.rs"), List.of("TREAT"), "Organization/bv-gioi-han", "\"daily_patient_limit\":1");
		String token = RegisteredClients.token(server, client, "system/Patient.rs");
		List<IdType> patients = newPatients(2);
		assertThat(get(token, "/fhir/" + patients.get(0).getValue()).status()).isEqualTo(200);
		assertThat(get(token, "/fhir/" + patients.get(1).getValue()).status()).isEqualTo(429);

		Http.Response patch = http.send(HttpRequest.newBuilder(http.uri("/admin/clients/" + client.clientId()))
				.header("Authorization", "Bearer " + adminSecret).header("Content-Type", "application/json")
				.method("PATCH", HttpRequest.BodyPublishers.ofString("{\"daily_patient_limit\":2}")));
		assertThat(patch.status()).isEqualTo(200);
		assertThat(Tokens.json(patch.body()).get("daily_patient_limit")).isEqualTo(2L);
		assertThat(get(token, "/fhir/" + patients.get(1).getValue()).status()).isEqualTo(200);
		assertThat(((Number) todaysRow(client.clientId()).get("distinct_patients")).intValue()).isEqualTo(2);

		Http.Response bad = http.send(HttpRequest.newBuilder(http.uri("/admin/clients/" + client.clientId()))
				.header("Authorization", "Bearer " + adminSecret).header("Content-Type", "application/json")
				.method("PATCH", HttpRequest.BodyPublishers.ofString("{\"daily_patient_limit\":-5}")));
		assertThat(bad.status()).isEqualTo(400);
	}

	/**
	 * Ten first accesses at once against a limit of four: the client's day row is locked while its count
	 * changes (one database call per first access), so exactly four are admitted and counted, and the
	 * six others are refused and counted as refusals, never a fifth patient.
	 */
	@Test
	void concurrentFirstAccessesNeverCountPastTheLimit() throws Exception {
		RegisteredClients.Client client = RegisteredClients.register(server, "his-dong-thoi", Tokens.newKey(),
				List.of("system/Patient.rs"), List.of("TREAT"), "Organization/bv-dong-thoi", "\"daily_patient_limit\":4");
		String token = RegisteredClients.token(server, client, "system/Patient.rs");
		List<IdType> patients = newPatients(10);
		ExecutorService pool = Executors.newFixedThreadPool(10);
		try {
			List<Future<Integer>> statuses = new ArrayList<>();
			for (IdType patient : patients) {
				statuses.add(pool.submit(() -> get(token, "/fhir/" + patient.getValue()).status()));
			}
			List<Integer> seen = new ArrayList<>();
			for (Future<Integer> status : statuses) {
				seen.add(status.get(60, TimeUnit.SECONDS));
			}
			assertThat(seen).containsOnly(200, 429);
			assertThat(seen.stream().filter(s -> s == 200).count()).isEqualTo(4);
		} finally {
			pool.shutdownNow();
		}
		Map<String, Object> row = todaysRow(client.clientId());
		assertThat(((Number) row.get("distinct_patients")).intValue()).isEqualTo(4);
		assertThat(((Number) row.get("refused_requests")).intValue()).isEqualTo(6);
	}

	@Test
	void theVolumeReportIsForAdminsOnlyAndChecksItsDates() {
		assertThat(http.get("/admin/audit/volume").status()).isEqualTo(401);
		assertThat(server.http().get("/admin/audit/volume").status()).isEqualTo(403);
		Http.Response badDate = asAdmin("/admin/audit/volume?from=hom-qua", "application/json");
		assertThat(badDate.status()).isEqualTo(400);
		assertThat(badDate.body()).contains("from");
		assertThat(asAdmin("/admin/audit/volume?from=2026-02-01&to=2026-01-01", "application/json").status()).isEqualTo(400);
		assertThat(asAdmin("/admin/audit/volume", "application/json").status()).isEqualTo(200);
	}
}
