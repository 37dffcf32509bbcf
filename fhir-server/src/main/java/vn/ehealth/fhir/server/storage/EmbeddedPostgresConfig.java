package vn.ehealth.fhir.server.storage;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded default: a real PostgreSQL started from the binaries in the zonky jar, its data kept
 * under {@code vietfhir.data-dir/postgres} so a restart keeps every record. With
 * {@code vietfhir.database.mode=external} this is skipped and Spring Boot builds the pool from
 * {@code spring.datasource.*} instead.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = DatabaseSettings.MODE_KEY, havingValue = "embedded", matchIfMissing = true)
class EmbeddedPostgresConfig {

	private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresConfig.class);
	/** How long a PostgreSQL orphaned by a killed server gets to shut down before it is killed. */
	private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(30);

	@Bean(destroyMethod = "close")
	EmbeddedPostgres embeddedPostgres(DatabaseSettings db, DataDirectory dataDirectory) throws IOException {
		Path dataDir = dataDirectory.postgres(db.embeddedDataDir()).toAbsolutePath();
		Files.createDirectories(dataDir);
		// a PostgreSQL left running by a server JVM that was killed would make this start fail
		OrphanedPostgres.stopIfOrphaned(dataDir, ORPHAN_STOP_WAIT);
		EmbeddedPostgres postgres = EmbeddedPostgres.builder()
				.setDataDirectory(dataDir)
				.setCleanDataDirectory(false) // keep records across restarts
				.setPort(db.embeddedPort()) // 0: zonky picks a free port
				.setServerConfig("max_connections", String.valueOf(db.embeddedMaxConnections()))
				.setServerConfig("shared_buffers", db.embeddedSharedBuffers())
				.setServerConfig("listen_addresses", "127.0.0.1")
				// zonky starts throwaway test databases (fsync off, commits not waited for); ours keeps health
				// records across restarts, so a commit is on disk before the client hears of it
				.setServerConfig("fsync", "on")
				.setServerConfig("synchronous_commit", "on")
				.setPGStartupWait(Duration.ofSeconds(60))
				// stopped by this bean's close, after everything that uses it: with the library's own JVM
				// shutdown hook PostgreSQL went down while HAPI's scheduled jobs still ran, and they waited
				// for connections until their timeouts (minutes before the process exited on SIGTERM)
				.setRegisterShutdownHook(false)
				.start();
		LOG.info("Embedded PostgreSQL running on 127.0.0.1:{} with data in {}", postgres.getPort(), dataDir);
		return postgres;
	}

	/**
	 * Stops PostgreSQL if this JVM dies without stopping it (see {@link PostgresWatchdog}). Closed
	 * before the database (it depends on it): told to stand down, as this JVM stops PostgreSQL itself.
	 */
	@Bean(destroyMethod = "close")
	AutoCloseable embeddedPostgresWatchdog(
			EmbeddedPostgres postgres, DatabaseSettings db, DataDirectory dataDirectory) {
		PostgresWatchdog watchdog = PostgresWatchdog.watch(dataDirectory.postgres(db.embeddedDataDir()).toAbsolutePath());
		return watchdog != null ? watchdog : () -> {};
	}

	/** Pool settings come from spring.datasource.hikari.*, the same keys as for an external database. */
	@Bean
	@ConfigurationProperties("spring.datasource.hikari")
	HikariDataSource dataSource(EmbeddedPostgres postgres) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
		dataSource.setUsername("postgres");
		dataSource.setDriverClassName("org.postgresql.Driver");
		return dataSource;
	}
}
