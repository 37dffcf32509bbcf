package vn.ehealth.fhir.server.security;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may call the admin APIs (/admin/clients, /admin/audit): the admin secret (configured, or
 * generated into the keys directory at first start) as a bearer token, or an access token of ours
 * carrying the {@code vietfhir/admin} scope. Anything else: 401 without a token, 403 with another.
 */
public class AdminAccess {

	private final ServerKeys keys;
	private final AccessTokens tokens;
	private final ServerUrls urls;

	AdminAccess(ServerKeys keys, AccessTokens tokens, ServerUrls urls) {
		this.keys = keys;
		this.tokens = tokens;
		this.urls = urls;
	}

	/** The admin APIs' answer to a refusal: the OAuth error body, with a Bearer challenge on 401. */
	public static org.springframework.http.ResponseEntity<java.util.Map<String, Object>> refusal(OAuthError error) {
		org.springframework.http.ResponseEntity.BodyBuilder response = org.springframework.http.ResponseEntity.status(error.status())
				.contentType(org.springframework.http.MediaType.APPLICATION_JSON);
		if (error.status() == 401) {
			response.header("WWW-Authenticate", "Bearer");
		}
		return response.body(error.body());
	}

	/** Returns normally for an admin; throws {@link OAuthError} (401 or 403) otherwise. */
	public void authorise(HttpServletRequest request) {
		String header = request.getHeader("Authorization");
		if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
			throw new OAuthError(401, "invalid_token", "The admin API needs the admin secret or an admin token as a bearer token");
		}
		String bearer = header.substring(7).trim();
		if (MessageDigest.isEqual(
				bearer.getBytes(StandardCharsets.UTF_8), keys.adminSecret().getBytes(StandardCharsets.UTF_8))) {
			return;
		}
		AccessToken token;
		try {
			token = tokens.verify(bearer, urls.issuer(request), urls.fhirBase(request));
		} catch (InvalidTokenException e) {
			throw new OAuthError(401, "invalid_token", e.getMessage());
		}
		if (token.external() || !token.scopes().has(SmartScopes.ADMIN)) {
			throw new OAuthError(403, "insufficient_scope", "The admin API needs the scope " + SmartScopes.ADMIN);
		}
	}
}
