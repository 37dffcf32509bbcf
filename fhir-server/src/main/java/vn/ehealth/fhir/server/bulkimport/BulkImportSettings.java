package vn.ehealth.fhir.server.bulkimport;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Bulk import ($import).
 *
 * @param allowedUrlPrefixes URL prefixes that $import may fetch NDJSON from (scheme, host, port and
 *     path prefix must match, e.g. https://files.soyte.hanoi.gov.vn/export/). Empty (the default):
 *     URL inputs are refused, only uploads are accepted; the server never fetches an address a
 *     client chose freely (SSRF)
 * @param maxUploadSize largest NDJSON body uploaded to $import, and largest file fetched from an
 *     input URL
 * @param chunkSize resources stored per database transaction; a failing chunk is retried entry by
 *     entry
 * @param storeThreads chunks of one job stored at the same time, each in its own database
 *     transaction (a chunk referring to a resource of another waits for it); 1 = one after another
 * @param workers jobs one server node works on at the same time
 * @param workDir directory of uploaded and fetched NDJSON files while their job runs; empty means
 *     data-dir/bulk-import
 * @param staleAfter a running job whose node has not reported for this long is taken over (its node
 *     died)
 * @param retention how long finished jobs (status, manifest, error file) are kept before they are
 *     removed
 */
@ConfigurationProperties(BulkImportSettings.PREFIX)
@Validated
public record BulkImportSettings(
		@DefaultValue List<String> allowedUrlPrefixes,
		@DefaultValue("1GB") @NotNull DataSize maxUploadSize,
		@DefaultValue("500") @Min(1) int chunkSize,
		@DefaultValue("2") @Min(1) int storeThreads,
		@DefaultValue("1") @Min(1) int workers,
		Path workDir,
		@DefaultValue("2m") @NotNull Duration staleAfter,
		@DefaultValue("7d") @NotNull Duration retention) {

	static final String PREFIX = "vietfhir.bulk-import";
}
