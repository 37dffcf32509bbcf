package vn.ehealth.fhir.tests.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.jdbc.core.JdbcTemplate;
import vn.ehealth.fhir.bench.BulkImportBenchmark;
import vn.ehealth.fhir.tests.security.RegisteredClients;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;
import vn.ehealth.fhir.tests.support.Tokens;

/**
 * An export of 5,000 patients: counted against the daily limit at kick-off and recorded in the audit
 * trail in one SQL pass each. Prints what the kick-off costs; the server logs how long the audit
 * record with its 5,000 patients took (docs/bulk-export.md).
 */
class BulkExportAuditCostTest {

	private static final int PATIENTS = 5_000;
	private static final int PER_UPLOAD = 500;
	private static final String EXPORT_LOGGER = "vn.ehealth.fhir.server.bulk.ExportRunner";

	@Test
	void anExportOfFiveThousandPatientsIsCountedAndAuditedForEachOfThem() throws Exception {
		TestServer server = TestServer.shared();
		// the suite's server logs at WARN; the export's INFO line gives the audit append's time
		LoggingSystem logging = server.context().getBean(LoggingSystem.class);
		logging.setLogLevel(EXPORT_LOGGER, LogLevel.INFO);
		Instant before = Instant.now().minusMillis(5);
		Thread.sleep(10);
		// one fixed seed for all (tests/README.md, "How to change a test or add one"); a patient and a
		// condition each, uploads under the test server's 4 MB
		for (int first = 0; first < PATIENTS; first += PER_UPLOAD) {
			String ndjson = BulkImportBenchmark.ndjson(PER_UPLOAD, 9_401L, 0, first);
			assertThat(BulkImportBenchmark.run(server.baseUrl(), server.tokens().token(), ndjson).errors()).isZero();
		}
		RegisteredClients.Client registry = RegisteredClients.register(server, "xuat-5000", Tokens.newKey(),
				List.of("system/*.rs"), List.of("PUBHLTH"), "Organization/so-y-te", "\"daily_patient_limit\":0");
		String token = RegisteredClients.token(server, registry, "system/*.rs");
		Http http = server.anonymousHttp();

		long start = System.nanoTime();
		Http.Response kickOff = http.send(HttpRequest.newBuilder(http.uri("/fhir/$export?_type=Patient,Condition&_since="
						+ URLEncoder.encode(before.toString(), StandardCharsets.UTF_8)))
				.header("Authorization", "Bearer " + token).header("Prefer", "respond-async")
				.header("Accept", "application/fhir+json").GET());
		long kickOffMillis = (System.nanoTime() - start) / 1_000_000;
		assertThat(kickOff.status()).as(kickOff.body()).isEqualTo(202);
		String status = kickOff.header("Content-Location");
		String jobId = status.substring(status.indexOf("_jobId=") + 7);
		Http.Response polled;
		do {
			Thread.sleep(200);
			polled = http.send(HttpRequest.newBuilder(http.uri(status.substring(server.rootUrl().length())))
					.header("Authorization", "Bearer " + token).GET());
		} while (polled.status() == 202);
		assertThat(polled.status()).as(polled.body()).isEqualTo(200);
		long exportMillis = (System.nanoTime() - start) / 1_000_000;

		JdbcTemplate jdbc = new JdbcTemplate(server.context().getBean(javax.sql.DataSource.class));
		String record = jdbc.queryForObject("SELECT record FROM vf_audit_event WHERE record LIKE ?", String.class,
				"%\"job\":\"" + jobId + "\"%");
		long patientCount = ((Number) Tokens.json(record).get("patient_count")).longValue();
		assertThat(patientCount).isGreaterThanOrEqualTo(PATIENTS);
		@SuppressWarnings("unchecked")
		var rows = (List<Map<String, Object>>) Tokens.json(http.send(HttpRequest.newBuilder(
						http.uri("/admin/audit/volume?client=" + registry.clientId()))
				.header("Authorization", "Bearer " + RegisteredClients.adminSecret(server)).GET()).body()).get("rows");
		assertThat(((Number) rows.get(0).get("distinct_patients")).longValue()).isEqualTo(patientCount);
		long seq = new ObjectMapper().readTree(record).get("seq").asLong();
		assertThat(jdbc.queryForObject("SELECT count(*) FROM vf_audit_patient WHERE seq = ?", Long.class, seq))
				.isEqualTo(patientCount);
		System.out.printf("$export of %d patients: kick-off (count against the limit) %d ms, to manifest %d ms%n",
				patientCount, kickOffMillis, exportMillis);
		logging.setLogLevel(EXPORT_LOGGER, null);
	}
}
