package vn.ehealth.fhir.server.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
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
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Issues this server's access tokens and verifies bearer tokens: ours (signed by {@link ServerKeys})
 * or an external OpenID Connect issuer's (signed by a key of its JWKS). Unsigned tokens, other
 * algorithms, wrong issuers or audiences, and tokens past exp/before nbf are refused.
 */
class AccessTokens {

	/** What an external issuer may sign with; never "none", never HMAC (its secret would be shared). */
	private static final Set<JWSAlgorithm> EXTERNAL_ALGORITHMS = Set.of(
			JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
			JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
			JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

	private final ServerKeys keys;
	private final Duration lifetime;
	private final Duration clockSkew;
	private final String externalIssuer;
	private final JWKSource<SecurityContext> externalKeys;
	private final List<String> configuredAudiences;
	/** Tokens whose signature and claims were checked, by issuer, audience and token text. */
	private final Cache<String, AccessToken> verified = Caffeine.newBuilder()
			.maximumSize(10_000)
			.expireAfterWrite(Duration.ofMinutes(10))
			.build();

	/**
	 * @param clockSkew how far past exp (or before nbf) a token is still accepted
	 * @param externalKeys the external issuer's keys, or null when no external issuer is configured
	 * @param configuredAudiences accepted audiences; empty = the FHIR base URL of {@link ServerUrls}
	 */
	AccessTokens(
			ServerKeys keys,
			Duration lifetime,
			Duration clockSkew,
			String externalIssuer,
			JWKSource<SecurityContext> externalKeys,
			List<String> configuredAudiences) {
		this.keys = keys;
		this.lifetime = lifetime;
		this.clockSkew = clockSkew;
		this.externalIssuer = externalIssuer;
		this.externalKeys = externalKeys;
		this.configuredAudiences = List.copyOf(configuredAudiences);
	}

	Duration lifetime() {
		return lifetime;
	}

	/** The clock skew allowed on exp and nbf, also for client assertions ({@code vietfhir.security.clock-skew}). */
	Duration clockSkew() {
		return clockSkew;
	}

	String issue(RegisteredClient client, SmartScopes scopes, String purpose, String issuer, String audience) {
		Instant now = Instant.now();
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
				.issuer(issuer)
				.subject(client.clientId())
				.audience(audience)
				.issueTime(Date.from(now))
				.notBeforeTime(Date.from(now))
				.expirationTime(Date.from(now.plus(lifetime)))
				.jwtID(UUID.randomUUID().toString())
				.claim("client_id", client.clientId())
				.claim("scope", scopes.toString());
		if (client.facility() != null) {
			claims.claim("facility", client.facility());
		}
		if (purpose != null) {
			claims.claim("purpose_of_use", purpose);
		}
		SignedJWT jwt = new SignedJWT(
				new JWSHeader.Builder(keys.algorithm()).keyID(keys.keyId()).type(JOSEObjectType.JWT).build(),
				claims.build());
		try {
			jwt.sign(keys.signer());
		} catch (JOSEException e) {
			throw new IllegalStateException("Cannot sign an access token", e);
		}
		return jwt.serialize();
	}

	/**
	 * @param ownIssuer the issuer our own tokens must name (this server's root URL)
	 * @param fhirBase the FHIR base URL the token must be meant for, unless audiences are configured
	 */
	AccessToken verify(String token, String ownIssuer, String fhirBase) throws InvalidTokenException {
		// a signature check costs about a millisecond of CPU: a token already verified for this issuer
		// and audience is taken from the cache until it expires (the registry is still asked each time)
		String key = ownIssuer + ' ' + fhirBase + ' ' + token;
		AccessToken known = verified.getIfPresent(key);
		if (known != null) {
			if (known.expires() == null || Instant.now().isBefore(known.expires().plus(clockSkew))) {
				return known;
			}
			verified.invalidate(key);
		}
		AccessToken checked = verifySignatureAndClaims(token, ownIssuer, fhirBase);
		verified.put(key, checked);
		return checked;
	}

	private AccessToken verifySignatureAndClaims(String token, String ownIssuer, String fhirBase)
			throws InvalidTokenException {
		SignedJWT signed;
		try {
			JWT jwt = JWTParser.parse(token);
			if (!(jwt instanceof SignedJWT s)) {
				throw new InvalidTokenException("Unsigned tokens (alg \"none\") are refused");
			}
			signed = s;
			boolean external = externalKeys != null && externalIssuer.equals(signed.getJWTClaimsSet().getIssuer());

			DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
			processor.setJWSTypeVerifier(
					new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
			processor.setJWSKeySelector(external
					? new JWSVerificationKeySelector<>(EXTERNAL_ALGORITHMS, externalKeys)
					: new JWSVerificationKeySelector<>(keys.algorithm(), new ImmutableJWKSet<>(keys.publicJwks())));
			// mutable sets: Nimbus asks them whether they contain null
			Set<String> audiences = new HashSet<>(configuredAudiences.isEmpty() ? List.of(fhirBase) : configuredAudiences);
			DefaultJWTClaimsVerifier<SecurityContext> claimsVerifier = new DefaultJWTClaimsVerifier<>(
					audiences,
					new JWTClaimsSet.Builder().issuer(external ? externalIssuer : ownIssuer).build(),
					new HashSet<>(Set.of("exp", "iat")),
					new HashSet<>());
			claimsVerifier.setMaxClockSkew((int) clockSkew.toSeconds());
			processor.setJWTClaimsSetVerifier(claimsVerifier);
			JWTClaimsSet claims = processor.process(signed, null);
			return toAccessToken(claims, external);
		} catch (ParseException e) {
			throw new InvalidTokenException("The bearer token is not a JWT: " + e.getMessage());
		} catch (BadJOSEException | JOSEException e) {
			throw new InvalidTokenException(e.getMessage());
		}
	}

	private static AccessToken toAccessToken(JWTClaimsSet claims, boolean external) throws ParseException {
		String clientId = firstNonNull(claims.getStringClaim("client_id"), claims.getStringClaim("azp"), claims.getSubject());
		SmartScopes scopes = claims.getClaim("scope") instanceof String scope
				? SmartScopes.parse(scope)
				: SmartScopes.parse(stringList(claims.getClaim("scp")));
		List<String> purposes = stringList(claims.getClaim("purpose_of_use"));
		return new AccessToken(
				clientId,
				claims.getStringClaim("facility"),
				scopes,
				purposes.isEmpty() ? null : purposes.get(0),
				purposes,
				claims.getIssuer(),
				external,
				claims.getExpirationTime().toInstant());
	}

	private static List<String> stringList(Object claim) {
		List<String> values = new ArrayList<>();
		if (claim instanceof String s) {
			values.add(s);
		} else if (claim instanceof List<?> list) {
			list.forEach(v -> values.add(String.valueOf(v)));
		}
		return values;
	}

	private static String firstNonNull(String... values) {
		for (String v : values) {
			if (v != null) {
				return v;
			}
		}
		return null;
	}
}
