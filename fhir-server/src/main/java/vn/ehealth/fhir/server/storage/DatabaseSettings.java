package vn.ehealth.fhir.server.storage;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The PostgreSQL database: embedded (started by the server) or external.
 *
 * @param mode {@code embedded}: PostgreSQL started by the server from the zonky binaries jar, data
 *     under data-dir/postgres; {@code external}: the database given by spring.datasource.url,
 *     username and password
 * @param embeddedPort port of the embedded PostgreSQL on loopback; 0 picks a free port at each start
 * @param embeddedDataDir embedded PostgreSQL data directory; empty means data-dir/postgres
 * @param embeddedMaxConnections max_connections of the embedded PostgreSQL: a little above the
 *     connection pool size
 * @param embeddedSharedBuffers shared_buffers of the embedded PostgreSQL, e.g. 256MB
 */
@ConfigurationProperties(DatabaseSettings.PREFIX)
@Validated
public record DatabaseSettings(
		@DefaultValue("embedded") @NotNull DatabaseMode mode,
		@DefaultValue("0") @Min(0) @Max(65535) int embeddedPort,
		Path embeddedDataDir,
		@DefaultValue("40") @Min(1) int embeddedMaxConnections,
		@DefaultValue("256MB") @Pattern(regexp = "\\d+\\s*(kB|MB|GB|TB)?") String embeddedSharedBuffers) {

	static final String PREFIX = "vietfhir.database";
	/** The mode key, for {@code @ConditionalOnProperty}. */
	static final String MODE_KEY = PREFIX + ".mode";

	public enum DatabaseMode {
		/** PostgreSQL started by the application from the zonky binaries jar, data under dataDir/postgres. */
		EMBEDDED,
		/** An external PostgreSQL given by spring.datasource.url / username / password. */
		EXTERNAL
	}
}
