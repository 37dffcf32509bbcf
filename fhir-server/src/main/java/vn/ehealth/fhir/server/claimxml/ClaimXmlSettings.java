package vn.ehealth.fhir.server.claimxml;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Claim XML ingest ({@code $import-claim-xml}: the QĐ 4750/3176 tables a facility sends the
 * social-insurance portal).
 *
 * @param maxEnvelopeSize largest envelope (or bare table set) accepted in one request, and largest
 *     envelope inside a ZIP; the base64 tables inside it count once more each when decoded, against
 *     the same limit
 * @param maxDepth deepest element nesting accepted in the envelope and in each decoded table (the
 *     tables are 4 levels deep; anything far deeper is an attack on the parser, not a claim)
 * @param maxEpisodes most episodes (HOSO) answered synchronously; a request with more runs as a job
 * @param syncMaxSize largest body answered synchronously; a larger one (or one sent with
 *     {@code Prefer: respond-async}) runs as a job: 202 with its status URL
 * @param maxZipSize largest ZIP of envelopes ({@code Content-Type: application/zip}) accepted
 * @param maxZipEntries most files one ZIP may hold
 * @param maxZipExpandedSize most bytes all the files of one ZIP may expand to (a zip bomb is refused
 *     while it is read, before it reaches that size)
 * @param maxZipRatio largest expansion ratio (expanded bytes over compressed bytes) a ZIP may show
 *     once past its first megabyte; claim XML compresses 5 to 20 times, a zip bomb thousands of times
 * @param jobTakeoverAfter how long a running job's node may go without reporting before another node
 *     takes the job over (a node reports before every episode; one episode takes seconds)
 * @param signature the envelope's signature ({@code CHUKYDONVI}): whether it is checked, and against which CAs
 */
@ConfigurationProperties(ClaimXmlSettings.PREFIX)
@Validated
public record ClaimXmlSettings(
		@DefaultValue("20MB") @NotNull DataSize maxEnvelopeSize,
		@DefaultValue("32") @Min(4) int maxDepth,
		@DefaultValue("200") @Min(1) int maxEpisodes,
		@DefaultValue("2MB") @NotNull DataSize syncMaxSize,
		@DefaultValue("100MB") @NotNull DataSize maxZipSize,
		@DefaultValue("10000") @Min(1) int maxZipEntries,
		@DefaultValue("1GB") @NotNull DataSize maxZipExpandedSize,
		@DefaultValue("100") @Min(2) int maxZipRatio,
		@DefaultValue("5m") @NotNull Duration jobTakeoverAfter,
		@DefaultValue @Valid @NotNull Signature signature) {

	static final String PREFIX = "vietfhir.claim-xml";

	/**
	 * The facility's XML signature on the envelope (see EnvelopeSignatures).
	 *
	 * @param mode {@code off}: not checked; {@code record}: checked, and the result (valid or why not,
	 *     the signer's certificate) recorded on a Provenance of each episode of a signed envelope,
	 *     which is stored either way; {@code enforce}: an envelope that is unsigned or whose signature
	 *     does not hold is refused whole with 422, nothing of it stored
	 * @param trustedCa the CA certificates a signer's certificate must chain to: a PEM or DER file
	 *     (several certificates allowed), a PKCS#12 file ({@code .p12}, {@code .pfx}) or a folder of
	 *     such files. Required in {@code enforce} mode; without it every signature is recorded as
	 *     untrusted
	 * @param trustedCaPassword the password of PKCS#12 files in {@code trusted-ca}, if they have one
	 */
	public record Signature(
			@DefaultValue("record") @NotNull SignatureMode mode,
			@DefaultValue("") @NotNull String trustedCa,
			@DefaultValue("") @NotNull String trustedCaPassword) {}

	public enum SignatureMode {
		OFF,
		RECORD,
		ENFORCE
	}
}
