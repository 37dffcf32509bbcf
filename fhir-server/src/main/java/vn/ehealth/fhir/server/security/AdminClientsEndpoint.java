package vn.ehealth.fhir.server.security;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import jakarta.servlet.http.HttpServletRequest;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * /admin/clients: register, list, disable and enable clients, and set a client's safeguards (signed
 * submissions required, daily patient limit). Authorised by {@link AdminAccess}.
 */
@RestController
@RequestMapping(path = "/admin/clients", produces = MediaType.APPLICATION_JSON_VALUE)
class AdminClientsEndpoint {

	private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");
	private static final Pattern FACILITY = Pattern.compile("Organization/[A-Za-z0-9.-]{1,64}");

	private final ClientRegistry registry;
	private final AdminAccess adminAccess;

	AdminClientsEndpoint(ClientRegistry registry, AdminAccess adminAccess) {
		this.registry = registry;
		this.adminAccess = adminAccess;
	}

	@GetMapping
	List<Map<String, Object>> list(HttpServletRequest request) {
		authorise(request);
		return registry.list().stream().map(RegisteredClient::toJson).toList();
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Map<String, Object>> register(@RequestBody Map<String, Object> body, HttpServletRequest request) {
		authorise(request);
		RegisteredClient client = parse(body);
		if (!registry.register(client)) {
			throw new OAuthError(409, "conflict", "Client " + client.clientId() + " is already registered");
		}
		return ResponseEntity.status(HttpStatus.CREATED).body(client.toJson());
	}

	@PostMapping("/{clientId}/disable")
	Map<String, Object> disable(@PathVariable String clientId, HttpServletRequest request) {
		return setEnabled(clientId, false, request);
	}

	@PostMapping("/{clientId}/enable")
	Map<String, Object> enable(@PathVariable String clientId, HttpServletRequest request) {
		return setEnabled(clientId, true, request);
	}

	private Map<String, Object> setEnabled(String clientId, boolean enabled, HttpServletRequest request) {
		authorise(request);
		if (!registry.setEnabled(clientId, enabled)) {
			throw new OAuthError(404, "not_found", "No client " + clientId);
		}
		return registry.find(clientId).orElseThrow().toJson();
	}

	/**
	 * Changes what a client must do and may do per day: {@code signature_required} (boolean) and
	 * {@code daily_patient_limit} (a number ≥ 0, 0 = no limit; null = the server's default). Fields left
	 * out keep their value.
	 */
	@PatchMapping(path = "/{clientId}", consumes = MediaType.APPLICATION_JSON_VALUE)
	Map<String, Object> update(
			@PathVariable String clientId, @RequestBody Map<String, Object> body, HttpServletRequest request) {
		authorise(request);
		RegisteredClient client = registry.find(clientId)
				.orElseThrow(() -> new OAuthError(404, "not_found", "No client " + clientId));
		boolean signatureRequired = body.containsKey("signature_required")
				? signatureRequired(body)
				: client.signatureRequired();
		Integer limit = body.containsKey("daily_patient_limit") ? dailyPatientLimit(body) : client.dailyPatientLimit();
		registry.setSafeguards(clientId, signatureRequired, limit);
		return registry.find(clientId).orElseThrow().toJson();
	}

	private void authorise(HttpServletRequest request) {
		adminAccess.authorise(request);
	}

	static RegisteredClient parse(Map<String, Object> body) {
		String clientId = string(body, "client_id");
		if (clientId == null || !CLIENT_ID.matcher(clientId).matches()) {
			throw OAuthError.invalidRequest("client_id must be 1-200 letters, digits, '.', '_' or '-'");
		}
		if (!(body.get("jwks") instanceof Map<?, ?> jwksJson)) {
			throw OAuthError.invalidRequest("jwks must be a JWK Set object with the client's public keys");
		}
		JWKSet jwks;
		try {
			@SuppressWarnings("unchecked")
			Map<String, Object> json = (Map<String, Object>) jwksJson;
			jwks = JWKSet.parse(json);
		} catch (ParseException e) {
			throw OAuthError.invalidRequest("jwks does not parse: " + e.getMessage());
		}
		if (jwks.getKeys().isEmpty() || jwks.getKeys().stream().anyMatch(JWK::isPrivate)) {
			throw OAuthError.invalidRequest("jwks must hold at least one key, and public keys only");
		}
		List<String> scopes = strings(body, "scopes");
		for (String scope : scopes) {
			if (!SmartScopes.isGrantable(scope)) {
				throw OAuthError.invalidRequest("Not a scope this server grants: " + scope);
			}
		}
		if (scopes.isEmpty()) {
			throw OAuthError.invalidRequest("scopes must name at least one scope, e.g. system/Patient.rs");
		}
		List<String> purposes = strings(body, "purposes");
		for (String purpose : purposes) {
			if (!PurposeOfUse.isKnown(purpose)) {
				throw OAuthError.invalidRequest("Not an HL7 v3 PurposeOfUse code this server accepts: " + purpose);
			}
		}
		if (purposes.isEmpty()) {
			throw OAuthError.invalidRequest("purposes must name at least one purpose of use, e.g. TREAT");
		}
		String facility = string(body, "facility");
		if (facility != null && !FACILITY.matcher(facility).matches()) {
			throw OAuthError.invalidRequest("facility must be a reference Organization/<id>");
		}
		String name = string(body, "name");
		return new RegisteredClient(clientId, name != null ? name : clientId, jwks, scopes, purposes, facility, true,
				signatureRequired(body), dailyPatientLimit(body));
	}

	private static boolean signatureRequired(Map<String, Object> body) {
		Object value = body.get("signature_required");
		if (value == null || value instanceof Boolean) {
			return Boolean.TRUE.equals(value);
		}
		throw OAuthError.invalidRequest("signature_required must be true or false");
	}

	private static Integer dailyPatientLimit(Map<String, Object> body) {
		Object value = body.get("daily_patient_limit");
		if (value == null) {
			return null;
		}
		if (value instanceof Integer limit && limit >= 0) {
			return limit;
		}
		throw OAuthError.invalidRequest("daily_patient_limit must be a whole number ≥ 0 (0 = no limit), or null for the server's default");
	}

	private static String string(Map<String, Object> body, String key) {
		return body.get(key) instanceof String s && !s.isBlank() ? s.trim() : null;
	}

	private static List<String> strings(Map<String, Object> body, String key) {
		List<String> values = new ArrayList<>();
		if (body.get(key) instanceof List<?> list) {
			list.forEach(v -> values.add(String.valueOf(v).trim()));
		} else if (body.get(key) instanceof String s) {
			values.addAll(List.of(s.trim().split("\\s+")));
		}
		return values;
	}

	@ExceptionHandler(OAuthError.class)
	ResponseEntity<Map<String, Object>> error(OAuthError error) {
		return AdminAccess.refusal(error);
	}
}
