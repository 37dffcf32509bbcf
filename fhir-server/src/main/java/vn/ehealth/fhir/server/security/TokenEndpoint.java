package vn.ehealth.fhir.server.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * POST /auth/token: the client_credentials grant of SMART Backend Services. The client proves
 * itself with a signed assertion; it gets the scopes it asked for narrowed to those registered, and
 * the purpose of use it named (or its default), which must be one registered for it.
 */
@RestController
public class TokenEndpoint {

	public static final String PATH = "/auth/token";

	private final ClientAssertions assertions;
	private final AccessTokens tokens;
	private final ServerUrls urls;

	public TokenEndpoint(ClientAssertions assertions, AccessTokens tokens, ServerUrls urls) {
		this.assertions = assertions;
		this.tokens = tokens;
		this.urls = urls;
	}

	@PostMapping(path = PATH, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
	public ResponseEntity<Map<String, Object>> token(
			@RequestParam MultiValueMap<String, String> form, HttpServletRequest request) {
		if (!"client_credentials".equals(form.getFirst("grant_type"))) {
			throw new OAuthError(400, "unsupported_grant_type", "grant_type must be client_credentials");
		}
		if (!ClientAssertions.ASSERTION_TYPE.equals(form.getFirst("client_assertion_type"))) {
			throw OAuthError.invalidRequest("client_assertion_type must be " + ClientAssertions.ASSERTION_TYPE);
		}
		String assertion = form.getFirst("client_assertion");
		if (assertion == null || assertion.isBlank()) {
			throw OAuthError.invalidRequest("client_assertion is required");
		}
		RegisteredClient client = assertions.authenticate(assertion, urls.tokenEndpoint(request));

		String requested = form.getFirst("scope");
		if (requested == null || requested.isBlank()) {
			throw new OAuthError(400, "invalid_scope", "scope is required, e.g. system/Patient.rs");
		}
		SmartScopes granted = client.allowedScopes().grant(SmartScopes.parse(requested));
		if (granted.isEmpty()) {
			throw new OAuthError(400, "invalid_scope", "None of the requested scopes is allowed for this client");
		}
		String purpose = form.getFirst("purpose_of_use");
		if (purpose == null || purpose.isBlank()) {
			purpose = client.defaultPurpose();
		} else if (!client.purposes().contains(purpose)) {
			throw new OAuthError(403, "access_denied", "Purpose of use " + purpose + " is not registered for this client");
		}

		Map<String, Object> body = new LinkedHashMap<>();
		body.put("access_token", tokens.issue(client, granted, purpose, urls.issuer(request), urls.fhirBase(request)));
		body.put("token_type", "bearer");
		body.put("expires_in", tokens.lifetime().toSeconds());
		body.put("scope", granted.toString());
		if (purpose != null) {
			body.put("purpose_of_use", purpose);
		}
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(body);
	}

	@ExceptionHandler(OAuthError.class)
	public ResponseEntity<Map<String, Object>> error(OAuthError error) {
		return ResponseEntity.status(error.status())
				.cacheControl(CacheControl.noStore())
				.contentType(MediaType.APPLICATION_JSON)
				.body(error.body());
	}
}
