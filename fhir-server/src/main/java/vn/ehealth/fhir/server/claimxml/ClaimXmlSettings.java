package vn.ehealth.fhir.server.claimxml;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Claim XML ingest ({@code $import-claim-xml}: the QĐ 4750/3176 tables a facility sends the
 * social-insurance portal).
 *
 * @param maxEnvelopeSize largest envelope (or bare table set) accepted in one request; the base64
 *     tables inside it count once more each when decoded, against the same limit
 * @param maxDepth deepest element nesting accepted in the envelope and in each decoded table (the
 *     tables are 4 levels deep; anything far deeper is an attack on the parser, not a claim)
 * @param maxEpisodes most episodes (HOSO) one synchronous request may carry
 */
@ConfigurationProperties(ClaimXmlSettings.PREFIX)
@Validated
public record ClaimXmlSettings(
		@DefaultValue("20MB") @NotNull DataSize maxEnvelopeSize,
		@DefaultValue("32") @Min(4) int maxDepth,
		@DefaultValue("200") @Min(1) int maxEpisodes) {

	static final String PREFIX = "vietfhir.claim-xml";
}
