package vn.ehealth.fhir.server.storage;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import vn.ehealth.fhir.server.config.VietFhirProperties;

/**
 * The embedded default: a real PostgreSQL started from the binaries in the zonky jar, its data kept
 * under {@code vietfhir.data-dir/postgres} so a restart keeps every record. With
 * {@code vietfhir.database.mode=external} this is skipped and Spring Boot builds the pool from
 * {@code spring.datasource.*} instead.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "vietfhir.database.mode", havingValue = "embedded", matchIfMissing = true)
public class EmbeddedPostgresConfig {

	private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresConfig.class);

	@Bean(destroyMethod = "close")
	public EmbeddedPostgres embeddedPostgres(VietFhirProperties properties) throws IOException {
		VietFhirProperties.Database db = properties.getDatabase();
		Path dataDir = properties.embeddedPostgresDir().toAbsolutePath();
		Files.createDirectories(dataDir);
		EmbeddedPostgres postgres = EmbeddedPostgres.builder()
				.setDataDirectory(dataDir)
				.setCleanDataDirectory(false) // keep records across restarts
				.setPort(db.getEmbeddedPort()) // 0: zonky picks a free port
				.setServerConfig("max_connections", String.valueOf(db.getEmbeddedMaxConnections()))
				.setServerConfig("shared_buffers", db.getEmbeddedSharedBuffers())
				.setServerConfig("listen_addresses", "127.0.0.1")
				// zonky starts throwaway test databases (fsync off, commits not waited for); ours keeps health
				// records across restarts, so a commit is on disk before the client hears of it
				.setServerConfig("fsync", "on")
				.setServerConfig("synchronous_commit", "on")
				.setPGStartupWait(java.time.Duration.ofSeconds(60))
				// stopped by this bean's close, after everything that uses it: with the library's own JVM
				// shutdown hook PostgreSQL went down while HAPI's scheduled jobs still ran, and they waited
				// for connections until their timeouts (minutes before the process exited on SIGTERM)
				.setRegisterShutdownHook(false)
				.start();
		LOG.info("Embedded PostgreSQL running on 127.0.0.1:{} with data in {}", postgres.getPort(), dataDir);
		return postgres;
	}

	/** Pool settings come from spring.datasource.hikari.*, the same keys as for an external database. */
	@Bean
	@ConfigurationProperties("spring.datasource.hikari")
	public HikariDataSource dataSource(EmbeddedPostgres postgres) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
		dataSource.setUsername("postgres");
		dataSource.setDriverClassName("org.postgresql.Driver");
		return dataSource;
	}
}
