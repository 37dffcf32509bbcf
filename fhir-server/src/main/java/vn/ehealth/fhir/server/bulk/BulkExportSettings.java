package vn.ehealth.fhir.server.bulk;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Bulk Data $export (Bulk Data Access IG): where files go, how big, how long they are kept.
 *
 * @param engine {@code vietfhir}: ours, streams the stored JSON straight from the resource table.
 *     {@code hapi} (HAPI's stock batch2 export, with its own scope check) is a comparison switch for
 *     the benchmarks only, not for production; the server logs a warning when it is on
 * @param directory where NDJSON files are written; every node must see the same directory; empty
 *     means data-dir/bulk-export
 * @param maxResourcesPerFile a type's output is split into files of at most this many resources
 * @param retention completed exports (files and status) are removed this long after they finish
 * @param workers exports run at once on this node; more wait in the queue
 * @param staleAfter a running job whose node has not reported for this long is taken over and
 *     restarted (crash, restart)
 * @param pollInterval how often idle workers look for queued jobs (other nodes' kick-offs)
 * @param retryAfter Retry-After sent to clients polling a running job
 */
@ConfigurationProperties("vietfhir.bulk-export")
@Validated
public record BulkExportSettings(
		@DefaultValue("vietfhir") @NotNull Engine engine,
		Path directory,
		@DefaultValue("100000") @Min(1) int maxResourcesPerFile,
		@DefaultValue("24h") @NotNull Duration retention,
		@DefaultValue("1") @Min(1) int workers,
		@DefaultValue("60s") @NotNull Duration staleAfter,
		@DefaultValue("2s") @NotNull Duration pollInterval,
		@DefaultValue("2s") @NotNull Duration retryAfter) {

	public enum Engine {
		/** Ours: streams the stored JSON straight from the resource table. */
		VIETFHIR,
		/** HAPI's stock batch2 export: a comparison switch for the benchmarks, not for production. */
		HAPI
	}
}
