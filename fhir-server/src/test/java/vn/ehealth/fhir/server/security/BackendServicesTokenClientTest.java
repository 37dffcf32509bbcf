package vn.ehealth.fhir.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The client assertion and token request the CLI, the sync and the tests send, against what SMART
 * Backend Services asks (https://hl7.org/fhir/smart-app-launch/backend-services.html#authenticating-to-the-token-endpoint).
 */
class BackendServicesTokenClientTest {

	private static final String TOKEN_ENDPOINT = "https://fhir.soyte.hanoi.gov.vn/auth/token";

	@Test
	void es384AssertionCarriesTheClaimsAndVerifiesWithThePublicKey() throws Exception {
		JWK key = new ECKeyGenerator(Curve.P_384).algorithm(JWSAlgorithm.ES384).keyID("his-1").generate();

		SignedJWT jwt = SignedJWT.parse(BackendServicesTokenClient.clientAssertion("his-bv-bach-mai", key, TOKEN_ENDPOINT));

		assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES384);
		assertThat(jwt.getHeader().getKeyID()).isEqualTo("his-1");
		assertThat(jwt.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
		assertThat(jwt.verify(new DefaultJWSVerifierFactory().createJWSVerifier(jwt.getHeader(), key.toECKey().toPublicKey()))).isTrue();
		JWTClaimsSet claims = jwt.getJWTClaimsSet();
		assertThat(claims.getIssuer()).isEqualTo("his-bv-bach-mai");
		assertThat(claims.getSubject()).isEqualTo("his-bv-bach-mai");
		assertThat(claims.getAudience()).containsExactly(TOKEN_ENDPOINT);
		// exp: no more than five minutes ahead
		Instant expires = claims.getExpirationTime().toInstant();
		assertThat(expires).isAfter(Instant.now()).isBefore(Instant.now().plus(Duration.ofMinutes(5)));
		assertThat(claims.getJWTID()).isNotBlank();
	}

	@Test
	void eachAssertionHasItsOwnJti() throws Exception {
		JWK key = new ECKeyGenerator(Curve.P_384).algorithm(JWSAlgorithm.ES384).keyID("his-1").generate();

		String first = SignedJWT.parse(BackendServicesTokenClient.clientAssertion("his", key, TOKEN_ENDPOINT)).getJWTClaimsSet().getJWTID();
		String second = SignedJWT.parse(BackendServicesTokenClient.clientAssertion("his", key, TOKEN_ENDPOINT)).getJWTClaimsSet().getJWTID();

		assertThat(first).isNotEqualTo(second);
	}

	/** A key without "alg" (some tools write none): RSA keys sign RS384, the other algorithm SMART names. */
	@Test
	void rsaKeyWithoutAlgorithmSignsRs384() throws Exception {
		JWK key = new RSAKeyGenerator(2048).keyID("lab-1").generate();

		SignedJWT jwt = SignedJWT.parse(BackendServicesTokenClient.clientAssertion("lab", key, TOKEN_ENDPOINT));

		assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS384);
		assertThat(jwt.getHeader().getKeyID()).isEqualTo("lab-1");
		assertThat(jwt.verify(new DefaultJWSVerifierFactory().createJWSVerifier(jwt.getHeader(), key.toRSAKey().toPublicKey()))).isTrue();
	}

	@Test
	void formIsClientCredentialsWithTheJwtBearerAssertion() {
		Map<String, String> form = decode(BackendServicesTokenClient.form("a.b.c", "system/Patient.rs system/*.cud", "TREAT"));

		assertThat(form).containsExactly(
				Map.entry("grant_type", "client_credentials"),
				Map.entry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
				Map.entry("client_assertion", "a.b.c"),
				Map.entry("scope", "system/Patient.rs system/*.cud"),
				Map.entry("purpose_of_use", "TREAT"));
		assertThat(decode(BackendServicesTokenClient.form("a.b.c", "system/*.rs", null))).doesNotContainKey("purpose_of_use");
	}

	private static Map<String, String> decode(String form) {
		return Arrays.stream(form.split("&"))
				.map(pair -> pair.split("=", 2))
				.collect(Collectors.toMap(pair -> pair[0], pair -> URLDecoder.decode(pair[1], StandardCharsets.UTF_8),
						(a, b) -> b, java.util.LinkedHashMap::new));
	}
}
