package vn.ehealth.fhir.server.security;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * POST /auth/token: the client_credentials grant of SMART Backend Services. The client proves
 * itself with a signed assertion; it gets the scopes it asked for narrowed to those registered (and
 * to FHIR R4 resource types), and the purpose of use it named (or its default), which must be one
 * registered for it. Every refusal, a malformed request included, is an OAuth error JSON (RFC 6749
 * section 5.2), never the framework's own error page.
 */
@RestController
public class TokenEndpoint {

	public static final String PATH = "/auth/token";

	private final ClientAssertions assertions;
	private final AccessTokens tokens;
	private final ServerUrls urls;
	private final Set<String> resourceTypes;

	TokenEndpoint(ClientAssertions assertions, AccessTokens tokens, ServerUrls urls, FhirContext fhirContext) {
		this.assertions = assertions;
		this.tokens = tokens;
		this.urls = urls;
		this.resourceTypes = Set.copyOf(fhirContext.getResourceTypes());
	}

	@PostMapping(path = PATH)
	ResponseEntity<Map<String, Object>> token(HttpServletRequest request) {
		Map<String, String> form = form(request);
		String grantType = form.get("grant_type");
		if (grantType == null || grantType.isBlank()) {
			throw OAuthError.invalidRequest("Thiếu grant_type / grant_type is required: client_credentials");
		}
		if (!"client_credentials".equals(grantType)) {
			throw new OAuthError(400, "unsupported_grant_type", "grant_type must be client_credentials");
		}
		if (!ClientAssertions.ASSERTION_TYPE.equals(form.get("client_assertion_type"))) {
			throw OAuthError.invalidRequest("client_assertion_type must be " + ClientAssertions.ASSERTION_TYPE);
		}
		String assertion = form.get("client_assertion");
		if (assertion == null || assertion.isBlank()) {
			throw OAuthError.invalidRequest("client_assertion is required");
		}
		RegisteredClient client = assertions.authenticate(assertion, urls.tokenEndpoint(request));

		String requested = form.get("scope");
		if (requested == null || requested.isBlank()) {
			throw new OAuthError(400, "invalid_scope", "scope is required, e.g. system/Patient.rs");
		}
		SmartScopes granted = client.allowedScopes().grant(SmartScopes.parse(requested).onlyTypes(resourceTypes));
		if (granted.isEmpty()) {
			throw new OAuthError(400, "invalid_scope", "Không có scope nào được cấp / None of the requested scopes is"
					+ " allowed for this client (scopes on types that are not FHIR R4 resource types are never granted)");
		}
		String purpose = form.get("purpose_of_use");
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
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).contentType(MediaType.APPLICATION_JSON).body(body);
	}

	/** GET, PUT and the rest: 405 as an OAuth error, not the framework's page. */
	@RequestMapping(path = PATH)
	ResponseEntity<Map<String, Object>> otherMethod(HttpServletRequest request) {
		OAuthError error = new OAuthError(405, "invalid_request",
				"Chỉ nhận POST / The token endpoint takes POST only, not " + request.getMethod());
		return ResponseEntity.status(error.status()).header(HttpHeaders.ALLOW, "POST").cacheControl(CacheControl.noStore())
				.contentType(MediaType.APPLICATION_JSON).body(error.body());
	}

	/**
	 * The parameters of a token request: form-encoded in the body, each at most once (RFC 6749
	 * sections 3.2 and 4.4.2); a query string is refused, as it would put the credential in access logs.
	 */
	private static Map<String, String> form(HttpServletRequest request) {
		if (!isFormEncoded(request.getContentType())) {
			throw OAuthError.invalidRequest("Sai Content-Type / The token request must be a form:"
					+ " Content-Type: application/x-www-form-urlencoded, not " + request.getContentType());
		}
		if (request.getQueryString() != null) {
			throw OAuthError.invalidRequest("Tham số phải nằm trong thân yêu cầu / Parameters belong in the form body,"
					+ " not in the query string");
		}
		Map<String, String> form = new LinkedHashMap<>();
		request.getParameterMap().forEach((name, values) -> {
			if (values.length > 1) {
				throw OAuthError.invalidRequest("Tham số lặp lại / Parameter " + name + " is given more than once");
			}
			form.put(name, values[0]);
		});
		return form;
	}

	private static boolean isFormEncoded(String contentType) {
		try {
			return contentType != null
					&& MediaType.APPLICATION_FORM_URLENCODED.equalsTypeAndSubtype(MediaType.parseMediaType(contentType));
		} catch (InvalidMediaTypeException e) {
			return false;
		}
	}

	@ExceptionHandler(OAuthError.class)
	ResponseEntity<Map<String, Object>> error(OAuthError error) {
		return ResponseEntity.status(error.status())
				.cacheControl(CacheControl.noStore())
				.contentType(MediaType.APPLICATION_JSON)
				.body(error.body());
	}
}
