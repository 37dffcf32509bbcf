package vn.ehealth.fhir.server.security;

import java.time.Instant;
import java.util.List;

/**
 * A verified access token: who is calling, for which facility, what it may do.
 *
 * @param clientId the client (our tokens: client_id; external issuers: client_id, azp or sub)
 * @param purposes the purposes the token itself names (external issuers), used when the client is not in our registry
 * @param external whether an external issuer signed it rather than this server
 */
public record AccessToken(
		String clientId,
		String facility,
		SmartScopes scopes,
		String purpose,
		List<String> purposes,
		String issuer,
		boolean external,
		Instant expires) {}
