package vn.ehealth.fhir.server.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * Authenticates a client by its private_key_jwt assertion, as SMART Backend Services asks
 * (https://hl7.org/fhir/smart-app-launch/backend-services.html): signed RS384 or ES384 by a key
 * the client registered, iss = sub = client_id, aud = our token endpoint, exp at most five
 * minutes ahead, and a jti never seen before from that client. The keys come only from the client's
 * registered JWKS: an assertion naming or carrying a key of its own (jku, x5u, jwk, x5c) is refused,
 * and nothing it points to is fetched (RFC 8725 section 3.10, SSRF and key substitution).
 */
class ClientAssertions {

	static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
	static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384);
	private static final Duration MAX_LIFETIME = Duration.ofMinutes(5);

	private final ClientRegistry registry;
	private final Duration clockSkew;

	ClientAssertions(ClientRegistry registry, Duration clockSkew) {
		this.registry = registry;
		this.clockSkew = clockSkew;
	}

	/** The client the assertion proves, or an {@link OAuthError} invalid_client (401). */
	RegisteredClient authenticate(String assertion, String tokenEndpoint) {
		SignedJWT signed;
		JWTClaimsSet unverified;
		try {
			JWT jwt = JWTParser.parse(assertion);
			if (!(jwt instanceof SignedJWT s)) {
				throw OAuthError.invalidClient("client_assertion must be signed (RS384 or ES384), not alg none");
			}
			signed = s;
			unverified = signed.getJWTClaimsSet();
		} catch (ParseException e) {
			throw OAuthError.invalidClient("client_assertion is not a JWT");
		}
		if (!ALGORITHMS.contains(signed.getHeader().getAlgorithm())) {
			throw OAuthError.invalidClient("client_assertion must be signed with RS384 or ES384");
		}
		if (namesItsOwnKey(signed.getHeader())) {
			throw OAuthError.invalidClient("Khóa chỉ lấy từ JWKS đã đăng ký / client_assertion must not name or carry"
					+ " its key (jku, x5u, jwk, x5c headers): only the client's registered JWKS is used");
		}
		String clientId = unverified.getIssuer();
		if (clientId == null || !clientId.equals(unverified.getSubject())) {
			throw OAuthError.invalidClient("client_assertion must have iss = sub = client_id");
		}
		RegisteredClient client = registry.find(clientId)
				.filter(RegisteredClient::enabled)
				.orElseThrow(() -> OAuthError.invalidClient("Unknown or disabled client"));

		JWTClaimsSet claims;
		try {
			DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
			processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, new ImmutableJWKSet<>(client.jwks())));
			DefaultJWTClaimsVerifier<SecurityContext> verifier = new DefaultJWTClaimsVerifier<>(
					// mutable sets: Nimbus asks them whether they contain null
					new HashSet<>(Set.of(tokenEndpoint)),
					new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).build(),
					new HashSet<>(Set.of("exp", "jti")),
					new HashSet<>());
			verifier.setMaxClockSkew((int) clockSkew.toSeconds());
			processor.setJWTClaimsSetVerifier(verifier);
			claims = processor.process(signed, null);
		} catch (BadJOSEException | JOSEException e) {
			throw OAuthError.invalidClient("client_assertion rejected: " + e.getMessage());
		}
		Instant expires = claims.getExpirationTime().toInstant();
		if (expires.isAfter(Instant.now().plus(MAX_LIFETIME).plus(clockSkew))) {
			throw OAuthError.invalidClient("client_assertion exp must be at most 5 minutes ahead");
		}
		// recorded only once the signature holds, so nobody can burn another client's jti
		if (!registry.firstUseOfAssertion(clientId, claims.getJWTID(), expires)) {
			throw OAuthError.invalidClient("client_assertion jti has been used before (replay)");
		}
		return client;
	}

	private static boolean namesItsOwnKey(JWSHeader header) {
		return header.getJWKURL() != null
				|| header.getX509CertURL() != null
				|| header.getJWK() != null
				|| header.getX509CertChain() != null;
	}
}
