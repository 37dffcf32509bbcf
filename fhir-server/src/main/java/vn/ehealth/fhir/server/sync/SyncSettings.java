package vn.ehealth.fhir.server.sync;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The scheduled pull of another VietFHIR server's changes into this one: {@code
 * $export?_since=<high-water mark>} on the source, imported here. These keys were
 * {@code vietfhir.bulk-import.sync.*} before; the old names are still read, with a warning.
 *
 * @param enabled run the scheduled sync
 * @param sourceBaseUrl FHIR base URL of the source server, e.g. https://fhir.soyte.hanoi.gov.vn/fhir
 * @param clientId our client id registered on the source (SMART Backend Services)
 * @param privateKeyFile private JWK file of that client (from keygen); its public half is registered
 *     on the source
 * @param scope scopes asked of the source: bulk export needs read and search on every type
 * @param interval time between the end of one run and the start of the next, unless cron is set
 * @param cron Spring cron expression (second minute hour day month weekday), e.g. 0 0 2 * * *; wins
 *     over interval
 * @param maxPollInterval longest wait between two polls of the source's export status, whatever its
 *     Retry-After says
 * @param timeout give up a run (the next run starts again from the same high-water mark) after this
 *     long
 * @param overlap how far before the high-water mark each run asks the source to start: a write whose
 *     transaction began before the source's export snapshot but committed after it is dated before
 *     the mark. Resources received twice change nothing (stored by id, unchanged ones keep their
 *     version)
 */
@ConfigurationProperties(SyncSettings.PREFIX)
@Validated
public record SyncSettings(
		@DefaultValue("false") boolean enabled,
		@DefaultValue("") @NotNull String sourceBaseUrl,
		@DefaultValue("") @NotNull String clientId,
		Path privateKeyFile,
		@DefaultValue("system/*.rs") @NotNull String scope,
		@DefaultValue("15m") @NotNull Duration interval,
		@DefaultValue("") @NotNull String cron,
		@DefaultValue("10s") @NotNull Duration maxPollInterval,
		@DefaultValue("6h") @NotNull Duration timeout,
		@DefaultValue("2m") @NotNull Duration overlap) {

	static final String PREFIX = "vietfhir.sync";
}
