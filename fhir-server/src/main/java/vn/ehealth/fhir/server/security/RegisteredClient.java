package vn.ehealth.fhir.server.security;

import com.nimbusds.jose.jwk.JWKSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A system allowed to ask for tokens: a facility's HIS/EMR/LIS, the national portal, a province's
 * sync job. It proves itself with a key from its JWKS and acts for one facility (Organization).
 *
 * @param purposes allowed purposes of use; the first is the default when a request names none
 * @param signatureRequired whether its transaction bundles must carry a signature by one of its keys
 *     (and its writes outside a signed transaction are refused)
 * @param dailyPatientLimit distinct patients it may access per day: null = the server's default, 0 = no limit
 */
public record RegisteredClient(
		String clientId,
		String name,
		JWKSet jwks,
		List<String> scopes,
		List<String> purposes,
		String facility,
		boolean enabled,
		boolean signatureRequired,
		Integer dailyPatientLimit) {

	SmartScopes allowedScopes() {
		return SmartScopes.parse(scopes);
	}

	String defaultPurpose() {
		return purposes.isEmpty() ? null : purposes.get(0);
	}

	/** The admin API's JSON shape (public keys only; the registry never holds private keys). */
	Map<String, Object> toJson() {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("client_id", clientId);
		json.put("name", name);
		json.put("jwks", jwks.toJSONObject(true));
		json.put("scopes", scopes);
		json.put("purposes", purposes);
		json.put("facility", facility);
		json.put("enabled", enabled);
		json.put("signature_required", signatureRequired);
		json.put("daily_patient_limit", dailyPatientLimit);
		return json;
	}
}
