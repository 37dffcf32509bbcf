package vn.ehealth.fhir.server.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * SMART discovery: /.well-known/smart-configuration (also under /fhir, where SMART clients look
 * first) and the public keys of our tokens at /.well-known/jwks.json. Both open.
 */
@RestController
class SmartConfigurationEndpoint {

	static final String PATH = "/.well-known/smart-configuration";
	static final String JWKS_PATH = "/.well-known/jwks.json";

	private final ServerUrls urls;
	private final ServerKeys keys;

	SmartConfigurationEndpoint(ServerUrls urls, ServerKeys keys) {
		this.urls = urls;
		this.keys = keys;
	}

	@GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
	Map<String, Object> smartConfiguration(HttpServletRequest request) {
		Map<String, Object> config = new LinkedHashMap<>();
		config.put("issuer", urls.issuer(request));
		config.put("jwks_uri", urls.issuer(request) + JWKS_PATH);
		config.put("token_endpoint", urls.tokenEndpoint(request));
		config.put("grant_types_supported", List.of("client_credentials"));
		config.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt"));
		config.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
		config.put("scopes_supported", List.of(
				"system/*.cruds", "system/*.rs", "system/Patient.rs", "system/Observation.cruds",
				"system/*.read", "system/*.write", SmartScopes.ADMIN));
		config.put("capabilities", List.of("client-confidential-asymmetric", "permission-v2", "permission-v1"));
		config.put("purposes_of_use_supported", PurposeOfUse.CODES.stream().sorted().toList());
		return config;
	}

	@GetMapping(path = JWKS_PATH, produces = MediaType.APPLICATION_JSON_VALUE)
	Map<String, Object> jwks() {
		return keys.publicJwks().toJSONObject(true);
	}

	/** Hands /fhir/.well-known/* (inside the FHIR servlet's path) to the endpoints above. */
	static class UnderFhirBase extends OncePerRequestFilter {
		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			String path = request.getRequestURI().substring(request.getContextPath().length());
			String target = path.substring(path.indexOf("/.well-known/"));
			if (target.equals(PATH) || target.equals(JWKS_PATH)) {
				request.getRequestDispatcher(target).forward(request, response);
			} else {
				chain.doFilter(request, response);
			}
		}
	}
}
