package vn.ehealth.fhir.tests.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import vn.ehealth.fhir.server.storage.OwnTablesMigration;
import vn.ehealth.fhir.tests.security.RegisteredClients;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;
import vn.ehealth.fhir.tests.support.Tokens;

/**
 * Our own vf_* tables are Flyway's (storage/OwnTablesMigration, db/vietfhir): a database made by a
 * release before migrations upgrades in place with its rows, an older one gains what came later,
 * and a fresh one gets V1 and every later migration. The old databases live on a PostgreSQL
 * started here, as an operator's.
 */
class SchemaMigrationTest {

	private static final String OLD_CLIENT = "hospital-before-migrations";
	/** The tables of the layout before migrations (schema/previous-layout.sql), which V1 baselines. */
	private static final List<String> PREVIOUS_TABLES = List.of(
			"vf_audit_event", "vf_audit_patient", "vf_audit_volume", "vf_audit_volume_day", "vf_bulk_export_job",
			"vf_bulk_import_job", "vf_bulk_import_error", "vf_sync_state", "vf_security_client", "vf_security_assertion_jti");
	/** Migrations after V1, as the history lists them, and the tables they add (add each new one here). */
	private static final List<String> LATER_MIGRATIONS = List.of("2 SQL true", "3 SQL true", "4 SQL true", "5 SQL true", "6 SQL true", "8 SQL true", "9 SQL true");
	private static final List<String> LATER_TABLES = List.of("vf_patient_cccd", "vf_patient_cccd_backfill",
			"vf_report_patient", "vf_report_encounter", "vf_report_condition", "vf_report_facility", "vf_report_death_cause",
			"vf_patient_match", "vf_patient_match_key", "vf_patient_duplicate", "vf_patient_match_backfill",
			"vf_claim_xml_job", "vf_claim_xml_error", "vf_report_rollup", "vf_claim_xml_job_input");
	private static final List<String> TABLES =
			java.util.stream.Stream.concat(PREVIOUS_TABLES.stream(), LATER_TABLES.stream()).toList();

	private static EmbeddedPostgres postgres;

	@BeforeAll
	static void postgres() throws Exception {
		postgres = EmbeddedPostgres.builder()
				.setDataDirectory(Files.createTempDirectory("vietfhir-migration-pg-"))
				.setCleanDataDirectory(true)
				.setServerConfig("listen_addresses", "127.0.0.1")
				.setPGStartupWait(Duration.ofSeconds(60))
				.start();
	}

	@AfterAll
	static void stop() throws Exception {
		if (postgres != null) {
			postgres.close();
		}
	}

	@Test
	void databaseOfThePreviousLayoutUpgradesInPlaceWithItsRows() {
		DataSource db = database("previous_layout");
		JWK key = Tokens.newKey();
		new JdbcTemplate(db).update(
				"INSERT INTO vf_security_client (client_id, name, jwks, scopes, purposes, facility, enabled, registered_at) "
						+ "VALUES (?, 'Bệnh viện từ bản trước', ?, 'system/Patient.rs', 'TREAT', 'Organization/bv-cu', TRUE, now())",
				OLD_CLIENT, new JWKSet(key.toPublicJWK()).toString(true));

		TestServer server = TestServer.start("vietfhir-migrated-", external("previous_layout"));
		try {
			// baselined below V1 (the tables were there, the history was not), then V1 over them, then the rest
			assertThat(history(db)).containsExactlyElementsOf(after("0 BASELINE true", "1 SQL true"));
			// the client registered before still gets a token and reads
			Http.Response token = Tokens.request(server.rootUrl(), OLD_CLIENT, key, "system/Patient.rs", null);
			assertThat(token.status()).as(token.body()).isEqualTo(200);
			Http http = server.anonymousHttp();
			Http.Response read = http.send(HttpRequest.newBuilder(http.uri("/fhir/Patient?_count=1"))
					.header("Authorization", "Bearer " + Tokens.json(token.body()).get("access_token")).GET());
			assertThat(read.status()).as(read.body()).isEqualTo(200);
			// the audit chain goes on from the old records: still intact, the old patient's records found
			Map<String, Object> verify = Tokens.json(asAdmin(server, "/admin/audit/verify").body());
			assertThat(verify).containsEntry("status", "OK");
			assertThat(((Number) verify.get("count")).longValue()).isGreaterThan(2);
			Http.Response events = asAdmin(server, "/admin/audit/events?patient=Patient/before-migrations");
			assertThat(events.status()).as(events.body()).isEqualTo(200);
			assertThat(events.resource(Bundle.class).getEntry()).hasSize(2);
		} finally {
			server.stop();
		}
	}

	@Test
	void databaseOfAnOlderReleaseGainsTheLaterTablesAndColumns() {
		DataSource db = database("older_release");
		// before the access-volume limit and the sync: neither their tables nor the client's later columns
		new JdbcTemplate(db).execute("DROP TABLE vf_audit_volume, vf_audit_volume_day, vf_sync_state; "
				+ "ALTER TABLE vf_security_client DROP COLUMN signature_required, DROP COLUMN daily_patient_limit");

		assertThat(OwnTablesMigration.migrate(db).migrationsExecuted).isEqualTo(1 + LATER_MIGRATIONS.size());

		assertThat(tables(db)).containsExactlyInAnyOrderElementsOf(TABLES);
		assertThat(new JdbcTemplate(db).queryForList(
						"SELECT column_name FROM information_schema.columns WHERE table_name = 'vf_security_client'", String.class))
				.contains("signature_required", "daily_patient_limit");
		assertThat(new JdbcTemplate(db).queryForObject("SELECT count(*) FROM vf_audit_event", Long.class)).isEqualTo(2);
		assertThat(history(db)).containsExactlyElementsOf(after("0 BASELINE true", "1 SQL true"));
		// the next start has nothing to do
		assertThat(OwnTablesMigration.migrate(db).migrationsExecuted).isZero();
	}

	@Test
	void freshDatabaseGetsItsTablesFromV1() {
		DataSource db = TestServer.shared().context().getBean(DataSource.class);
		assertThat(history(db)).containsExactlyElementsOf(after("1 SQL true"));
		assertThat(tables(db)).containsExactlyInAnyOrderElementsOf(TABLES);
	}

	/** The history entries given, then the later migrations. */
	private static List<String> after(String... first) {
		return java.util.stream.Stream.concat(java.util.Arrays.stream(first), LATER_MIGRATIONS.stream()).toList();
	}

	/** A new database on the operator's PostgreSQL holding the previous layout and its rows. */
	private static DataSource database(String name) {
		new JdbcTemplate(postgres.getPostgresDatabase()).execute("CREATE DATABASE " + name);
		DataSource db = postgres.getDatabase("postgres", name);
		new ResourceDatabasePopulator(new ClassPathResource("schema/previous-layout.sql")).execute(db);
		assertThat(tables(db)).containsExactlyInAnyOrderElementsOf(PREVIOUS_TABLES);
		return db;
	}

	private static Map<String, Object> external(String database) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("vietfhir.database.mode", "external");
		properties.put("spring.datasource.url", "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + database);
		properties.put("spring.datasource.username", "postgres");
		properties.put("spring.datasource.password", "");
		properties.put("spring.datasource.hikari.maximum-pool-size", "8");
		return properties;
	}

	private static List<String> history(DataSource db) {
		return new JdbcTemplate(db).queryForList("SELECT version || ' ' || type || ' ' || success FROM "
				+ OwnTablesMigration.HISTORY_TABLE + " ORDER BY installed_rank", String.class);
	}

	private static List<String> tables(DataSource db) {
		return new JdbcTemplate(db).queryForList("SELECT table_name FROM information_schema.tables "
				+ "WHERE table_schema = current_schema() AND table_name LIKE 'vf\\_%' AND table_name <> ?",
				String.class, OwnTablesMigration.HISTORY_TABLE);
	}

	private static Http.Response asAdmin(TestServer server, String path) {
		Http http = server.anonymousHttp();
		return http.send(HttpRequest.newBuilder(http.uri(path))
				.header("Authorization", "Bearer " + RegisteredClients.adminSecret(server)).GET());
	}
}
