package vn.ehealth.fhir.server.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * SMART Backend Services tokens, scopes and purpose of use on /fhir.
 *
 * @param enabled require a bearer token on /fhir (except the open endpoints); off only for local demos
 * @param issuer public root URL of this server (issuer of its tokens), e.g.
 *     https://fhir.soyte.hanoi.gov.vn; empty = from the request
 * @param tokenLifetime lifetime of the access tokens the server issues
 * @param clockSkew how far exp and nbf of tokens and client assertions may be off: clocks of
 *     NTP-synced hosts differ by far less
 * @param tokenAlgorithm signing algorithm of the server's own tokens: ES256 or ES384 (EC key) or
 *     RS256 (RSA key)
 * @param keysDir directory of the server's signing key and admin secret; empty means data-dir/keys
 * @param adminSecret secret that authorises /admin/clients; empty = generated at first start into
 *     keys-dir/admin-secret
 * @param externalIssuer issuer (iss) of access tokens from an external OpenID Connect provider that
 *     the server also accepts
 * @param externalJwksUri JWKS URL of the external issuer (fetched and cached)
 * @param externalJwksFile JWKS file of the external issuer, instead of the URL (offline deployments,
 *     tests)
 * @param audiences accepted token audiences; empty = the FHIR base URL
 * @param bootstrapClients clients registered (or updated) at every start, e.g. a facility's HIS in an
 *     automated deployment: bootstrap-clients[n].client-id, name, jwks-file (its public JWKS), scopes,
 *     purposes (the first is the default), facility (e.g. Organization/bv-bach-mai),
 *     signature-required (its transaction bundles must carry a verified signature),
 *     daily-patient-limit (empty = vietfhir.safeguards.daily-patient-limit, 0 = no limit)
 */
@ConfigurationProperties("vietfhir.security")
@Validated
public record SecuritySettings(
		@DefaultValue("true") boolean enabled,
		@DefaultValue("") @NotNull String issuer,
		@DefaultValue("5m") @NotNull Duration tokenLifetime,
		@DefaultValue("5s") @NotNull Duration clockSkew,
		@DefaultValue("ES256") @Pattern(regexp = "ES256|ES384|RS256") String tokenAlgorithm,
		Path keysDir,
		@DefaultValue("") @NotNull String adminSecret,
		@DefaultValue("") @NotNull String externalIssuer,
		@DefaultValue("") @NotNull String externalJwksUri,
		Path externalJwksFile,
		@DefaultValue List<String> audiences,
		@DefaultValue List<@Valid BootstrapClient> bootstrapClients) {

	/**
	 * A client given in configuration rather than through /admin/clients.
	 *
	 * @param clientId the client's id
	 * @param name its readable name
	 * @param jwksFile file holding the client's public JWKS
	 * @param scopes SMART scopes it may be granted
	 * @param purposes allowed purposes of use; the first is the default
	 * @param facility the Organization the client acts for, e.g. Organization/bv-bach-mai
	 * @param signatureRequired whether its transaction bundles must carry a verified signature (and its
	 *     other writes are refused)
	 * @param dailyPatientLimit distinct patients it may access per day; empty =
	 *     vietfhir.safeguards.daily-patient-limit, 0 = no limit
	 */
	public record BootstrapClient(
			@NotBlank String clientId,
			String name,
			Path jwksFile,
			@DefaultValue List<String> scopes,
			@DefaultValue List<String> purposes,
			String facility,
			boolean signatureRequired,
			@Min(0) Integer dailyPatientLimit) {}
}
