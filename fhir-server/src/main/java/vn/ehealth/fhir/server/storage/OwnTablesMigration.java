package vn.ehealth.fhir.server.storage;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;

/**
 * Our own tables ({@code vf_*}: audit trail, bulk jobs, sync state, clients) are created and changed
 * only by the versioned scripts in {@code db/vietfhir/} (Flyway), recorded in {@code vf_schema_history}.
 * HAPI's tables stay HAPI's (Hibernate's schema update): Spring Boot's Flyway auto-configuration is
 * off, and this Flyway instance touches nothing but its own scripts and history table.
 *
 * <p>Runs on the DataSource as soon as it is built, right after {@link StartupLock} took the start-up
 * lock, so no bean gets the DataSource before the tables are in place, and nodes sharing a database
 * migrate one at a time (Flyway's own advisory lock guards the migration too).
 *
 * <p>A database from before migrations has the tables but no history table. V1 is idempotent
 * ({@code IF NOT EXISTS}) and such a database is baselined at version 0, so V1 still runs on it: it
 * completes whatever an older release left out (later tables, later columns) instead of assuming the
 * newest layout, as a baseline at version 1 would.
 */
public class OwnTablesMigration implements BeanPostProcessor, Ordered {

	private static final Logger LOG = LoggerFactory.getLogger(OwnTablesMigration.class);
	public static final String HISTORY_TABLE = "vf_schema_history";
	static final String LOCATION = "classpath:db/vietfhir";

	private boolean done;

	@Override
	public synchronized Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof DataSource dataSource && !done) {
			done = true;
			migrate(dataSource);
		}
		return bean;
	}

	/** Brings the vf_* tables to the newest version; returns what was applied. */
	public static MigrateResult migrate(DataSource dataSource) {
		MigrateResult result = Flyway.configure(OwnTablesMigration.class.getClassLoader())
				.dataSource(dataSource)
				.table(HISTORY_TABLE)
				.locations(LOCATION)
				// a schema that has tables (ours from before migrations, HAPI's) but no history table is
				// marked at version 0, below V1, so that V1 runs on it as well; an empty one just gets V1
				.baselineOnMigrate(true)
				.baselineVersion("0")
				.baselineDescription("vf_* tables from before migrations")
				.load()
				.migrate();
		if (result.migrationsExecuted > 0) {
			LOG.info("Own tables (vf_*) migrated to version {} ({} migration(s) applied)",
					result.targetSchemaVersion, result.migrationsExecuted);
		}
		return result;
	}

	/** Right after {@link StartupLock}, which takes the lock before anything else uses the DataSource. */
	@Override
	public int getOrder() {
		return StartupLock.ORDER + 1;
	}
}
