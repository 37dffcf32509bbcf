package vn.ehealth.fhir.server.dashboard;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The statistics dashboard at /dashboard/ and its OpenID Connect sign-in (authorization code + PKCE,
 * done by the browser as a public client; see docs/dashboard.md).
 *
 * @param enabled serve the dashboard at /dashboard/
 * @param issuer the OpenID Connect issuer users sign in with; empty = vietfhir.security.external-issuer
 *     (whose access tokens /fhir accepts)
 * @param authorizationEndpoint the issuer's authorization endpoint; empty = from the issuer's discovery
 *     document (issuer + /.well-known/openid-configuration, read by the server)
 * @param tokenEndpoint the issuer's token endpoint; empty = from the discovery document. The browser
 *     posts the code to it, so the issuer must allow this server's origin (CORS, "Web origins" in Keycloak)
 * @param clientId the dashboard's client id at the issuer: a public client (no secret), PKCE S256,
 *     redirect URI https://(this server)/dashboard/
 * @param scopes scopes asked for at sign-in; the access token must carry MeasureReport read for the
 *     charts: the signed-in person's user/MeasureReport.r (or system/MeasureReport.r, or wider)
 * @param purpose purpose of use sent with every statistics request (header X-Purpose-Of-Use)
 */
@ConfigurationProperties("vietfhir.dashboard")
@Validated
public record DashboardSettings(
		@DefaultValue("true") boolean enabled,
		@DefaultValue("") @NotNull String issuer,
		@DefaultValue("") @NotNull String authorizationEndpoint,
		@DefaultValue("") @NotNull String tokenEndpoint,
		@DefaultValue("vietfhir-dashboard") @NotBlank String clientId,
		@DefaultValue("openid user/MeasureReport.r") @NotBlank String scopes,
		@DefaultValue("PUBHLTH") @NotBlank String purpose) {

	/** The key, for {@code @ConditionalOnProperty}. */
	static final String ENABLED = "vietfhir.dashboard.enabled";
}
