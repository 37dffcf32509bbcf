package vn.ehealth.fhir.server.claimxml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import vn.ehealth.fhir.server.security.AccessControlInterceptor;
import vn.ehealth.fhir.server.security.AccessToken;
import vn.ehealth.fhir.server.security.SmartScopes;

/**
 * The caller's access at a job's kick-off, kept with the job (JSON) so that a resumed run, on this
 * node after a restart or on another, stores the episodes under the same client, facility, purpose
 * and scopes as the first run would have: the authority checked when the job was accepted.
 */
final class StoredAccess {

	private static final ObjectMapper JSON = new ObjectMapper();

	private StoredAccess() {}

	/** Null when there is no access (security off). */
	static String write(AccessControlInterceptor.Access access) {
		if (access == null) {
			return null;
		}
		ObjectNode node = JSON.createObjectNode();
		node.put("clientId", access.clientId()).put("facility", access.facility()).put("purpose", access.purpose());
		AccessToken token = access.token();
		if (token != null) {
			ObjectNode stored = node.putObject("token");
			stored.put("clientId", token.clientId()).put("facility", token.facility()).put("purpose", token.purpose())
					.put("scopes", token.scopes() == null ? null : token.scopes().toString())
					.put("issuer", token.issuer()).put("external", token.external())
					.put("expires", token.expires() == null ? null : token.expires().toString());
			if (token.purposes() != null) {
				token.purposes().forEach(stored.putArray("purposes")::add);
			}
		}
		return node.toString();
	}

	static AccessControlInterceptor.Access read(String stored) {
		if (stored == null) {
			return null;
		}
		try {
			JsonNode node = JSON.readTree(stored);
			JsonNode token = node.path("token");
			AccessToken accessToken = token.isMissingNode() ? null : new AccessToken(text(token, "clientId"),
					text(token, "facility"), token.hasNonNull("scopes") ? SmartScopes.parse(token.get("scopes").asText()) : null,
					text(token, "purpose"), purposes(token), text(token, "issuer"), token.path("external").asBoolean(),
					token.hasNonNull("expires") ? Instant.parse(token.get("expires").asText()) : null);
			return new AccessControlInterceptor.Access(accessToken, text(node, "clientId"), text(node, "facility"),
					text(node, "purpose"));
		} catch (IOException e) {
			throw new IllegalStateException("Unreadable access of a claim XML job", e);
		}
	}

	private static List<String> purposes(JsonNode token) {
		List<String> purposes = new ArrayList<>();
		token.path("purposes").forEach(p -> purposes.add(p.asText()));
		return purposes;
	}

	private static String text(JsonNode node, String field) {
		return node.hasNonNull(field) ? node.get(field).asText() : null;
	}
}
