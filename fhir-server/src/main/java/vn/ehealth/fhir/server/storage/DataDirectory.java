package vn.ehealth.fhir.server.storage;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;
import jakarta.validation.constraints.NotNull;

/**
 * The server's directory on local disk, and where each feature keeps its files under it unless its
 * own setting names another directory.
 *
 * @param dataDir root of everything the server keeps on local disk: embedded PostgreSQL data, Lucene
 *     index, keys, bulk export and import files
 */
@ConfigurationProperties("vietfhir")
@Validated
public record DataDirectory(@DefaultValue("data") @NotNull Path dataDir) {

	/** Directory of the server's token-signing key and generated admin secret. */
	public Path keys(Path configured) {
		return orUnder(configured, "keys");
	}

	/** Directory of the embedded PostgreSQL data. */
	Path postgres(Path configured) {
		return orUnder(configured, "postgres");
	}

	/** Directory of the local Lucene index. */
	public Path lucene(Path configured) {
		return orUnder(configured, "lucene");
	}

	/** Directory of bulk export NDJSON files. */
	public Path bulkExport(Path configured) {
		return orUnder(configured, "bulk-export");
	}

	/** Directory of bulk import work files. */
	public Path bulkImport(Path configured) {
		return orUnder(configured, "bulk-import");
	}

	private Path orUnder(Path configured, String name) {
		return configured != null ? configured : dataDir.resolve(name);
	}
}
