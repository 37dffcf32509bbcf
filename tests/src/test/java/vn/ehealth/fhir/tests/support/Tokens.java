package vn.ehealth.fhir.tests.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Map;
import java.util.UUID;
import vn.ehealth.fhir.server.security.BackendServicesTokenClient;

/**
 * Real SMART Backend Services tokens for tests: signed client assertions exchanged at /auth/token,
 * cached until shortly before they expire: the server's own {@link BackendServicesTokenClient}, as the
 * command line and the sync use it; its pieces (claims, signing, form) stay reachable here so tests can
 * send wrong assertions. {@link #SUITE_CLIENT} is the client every existing test acts as
 * (system/*.cruds, every purpose), registered through configuration by {@link TestServer}.
 */
public final class Tokens {

	public static final String SUITE_CLIENT = "vietfhir-test-suite";
	/** The issuer of the "external" OpenID Connect provider whose JWKS file the server trusts. */
	public static final String EXTERNAL_ISSUER = "https://sso.example.vn/realms/y-te";

	private static final JWK SUITE_KEY = newKey();
	private static final JWK EXTERNAL_KEY = newKey();

	private final BackendServicesTokenClient client;

	public Tokens(String rootUrl, String clientId, JWK key) {
		this.client = BackendServicesTokenClient.at(Http.client(), rootUrl + "/auth/token", clientId, key, "system/*.cruds", null);
	}

	public static JWK newKey() {
		try {
			return new ECKeyGenerator(Curve.P_384)
					.algorithm(JWSAlgorithm.ES384)
					.keyID(UUID.randomUUID().toString())
					.generate();
		} catch (JOSEException e) {
			throw new IllegalStateException(e);
		}
	}

	/** An RSA key (2048 bits) for RS384, the other algorithm SMART Backend Services names. */
	public static JWK newRsaKey() {
		try {
			return new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048)
					.algorithm(JWSAlgorithm.RS384)
					.keyID(UUID.randomUUID().toString())
					.generate();
		} catch (JOSEException e) {
			throw new IllegalStateException(e);
		}
	}

	public static JWK suiteKey() {
		return SUITE_KEY;
	}

	public static JWK externalKey() {
		return EXTERNAL_KEY;
	}

	/** Writes the public half of a key as a JWKS file, as a client would hand it over. */
	public static Path writeJwks(Path dir, String name, JWK key) {
		try {
			Path file = dir.resolve(name + ".jwks.json");
			Files.writeString(file, new JWKSet(key.toPublicJWK()).toString(true));
			return file;
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** A valid access token for all scopes of this client, reused while it has a minute left. */
	public String token() {
		return client.get();
	}

	/** POST /auth/token with a fresh, correctly signed client assertion. */
	public static Http.Response request(String rootUrl, String clientId, JWK key, String scope, String purpose) {
		String assertion = sign(key, assertionClaims(clientId, rootUrl + "/auth/token").build());
		return post(rootUrl, assertion, scope, purpose);
	}

	/** POST /auth/token with the given client assertion. */
	public static Http.Response post(String rootUrl, String assertion, String scope, String purpose) {
		return Http.anonymous(rootUrl).post("/auth/token", "application/x-www-form-urlencoded",
				BackendServicesTokenClient.form(assertion, scope, purpose));
	}

	/** Claims of a correct client assertion, for tests to alter. */
	public static JWTClaimsSet.Builder assertionClaims(String clientId, String tokenEndpoint) {
		return BackendServicesTokenClient.assertionClaims(clientId, tokenEndpoint);
	}

	/** Signs claims with the key (its own algorithm and kid). */
	public static String sign(JWK key, JWTClaimsSet claims) {
		try {
			return BackendServicesTokenClient.sign(key, claims);
		} catch (JOSEException e) {
			throw new IllegalStateException(e);
		}
	}

	public static Map<String, Object> json(String body) {
		try {
			return JSONObjectUtils.parse(body);
		} catch (ParseException e) {
			throw new IllegalStateException("Not JSON: " + body, e);
		}
	}
}
