package vn.ehealth.fhir.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** This server's access tokens (issued by /auth/token) and an external issuer's, as /fhir verifies them. */
class AccessTokensTest {

	private static final String ISSUER = "https://fhir.example.vn";
	private static final String FHIR_BASE = ISSUER + "/fhir";
	private static final String EXTERNAL_ISSUER = "https://sso.example.vn";

	@TempDir
	Path keysDir;
	private ServerKeys keys;

	@BeforeEach
	void keys() {
		keys = ServerKeys.loadOrCreate(keysDir, "ES256", "admin-secret");
	}

	@Test
	void verifiesItsOwnTokenWithClientFacilityScopesAndPurpose() throws Exception {
		AccessTokens tokens = tokens(Duration.ofMinutes(5), List.of());
		String token = tokens.issue(client(), SmartScopes.parse("system/Patient.rs"), "TREAT", ISSUER, FHIR_BASE);

		AccessToken verified = tokens.verify(token, ISSUER, FHIR_BASE);
		assertThat(verified.clientId()).isEqualTo("bv-bachmai");
		assertThat(verified.facility()).isEqualTo("Organization/bachmai");
		assertThat(verified.scopes().toString()).isEqualTo("system/Patient.rs");
		assertThat(verified.purpose()).isEqualTo("TREAT");
		assertThat(verified.external()).isFalse();
	}

	@Test
	void refusesATokenMeantForAnotherServer() {
		AccessTokens tokens = tokens(Duration.ofMinutes(5), List.of());
		String token = tokens.issue(client(), SmartScopes.parse("system/Patient.rs"), null, ISSUER, "https://other.example.vn/fhir");
		assertThatThrownBy(() -> tokens.verify(token, ISSUER, FHIR_BASE)).isInstanceOf(InvalidTokenException.class);
	}

	@Test
	void acceptsAConfiguredAudienceInsteadOfTheFhirBase() throws Exception {
		AccessTokens tokens = tokens(Duration.ofMinutes(5), List.of("urn:vietfhir"));
		String token = tokens.issue(client(), SmartScopes.parse("system/Patient.rs"), null, ISSUER, "urn:vietfhir");
		assertThat(tokens.verify(token, ISSUER, FHIR_BASE).clientId()).isEqualTo("bv-bachmai");
		String forTheBase = tokens.issue(client(), SmartScopes.parse("system/Patient.rs"), null, ISSUER, FHIR_BASE);
		assertThatThrownBy(() -> tokens.verify(forTheBase, ISSUER, FHIR_BASE)).isInstanceOf(InvalidTokenException.class);
	}

	@Test
	void refusesATokenIssuedUnderAnotherName() {
		AccessTokens tokens = tokens(Duration.ofMinutes(5), List.of());
		String token = tokens.issue(client(), SmartScopes.parse("system/Patient.rs"), null, "https://old.example.vn", FHIR_BASE);
		assertThatThrownBy(() -> tokens.verify(token, ISSUER, FHIR_BASE)).isInstanceOf(InvalidTokenException.class);
	}

	@Test
	void refusesAnExpiredToken() {
		AccessTokens tokens = tokens(Duration.ofMinutes(-5), List.of());
		String token = tokens.issue(client(), SmartScopes.parse("system/Patient.rs"), null, ISSUER, FHIR_BASE);
		assertThatThrownBy(() -> tokens.verify(token, ISSUER, FHIR_BASE)).isInstanceOf(InvalidTokenException.class);
	}

	@Test
	void refusesAnUnsignedToken() {
		AccessTokens tokens = tokens(Duration.ofMinutes(5), List.of());
		String unsigned = new PlainJWT(claims(ISSUER).claim("client_id", "bv-bachmai").build()).serialize();
		assertThatThrownBy(() -> tokens.verify(unsigned, ISSUER, FHIR_BASE))
				.isInstanceOf(InvalidTokenException.class).hasMessageContaining("Unsigned");
	}

	@Test
	void refusesATokenSignedByAnotherKey() throws Exception {
		AccessTokens tokens = tokens(Duration.ofMinutes(5), List.of());
		ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID(keys.keyId()).generate();
		SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(keys.keyId()).build(),
				claims(ISSUER).claim("client_id", "bv-bachmai").claim("scope", "system/*.cruds").build());
		forged.sign(new ECDSASigner(stranger));
		assertThatThrownBy(() -> tokens.verify(forged.serialize(), ISSUER, FHIR_BASE)).isInstanceOf(InvalidTokenException.class);
	}

	/** OpenID Connect issuers name the client in azp and list scopes in scp; their purposes travel in the token. */
	@Test
	void readsAnExternalIssuersTokenSignedByItsKey() throws Exception {
		ECKey idpKey = new ECKeyGenerator(Curve.P_256).keyID("idp-1").generate();
		AccessTokens tokens = externalTokens(idpKey);
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("idp-1").build(),
				claims(EXTERNAL_ISSUER).claim("azp", "national-portal").claim("scp", List.of("system/Patient.rs", "system/Encounter.r"))
						.claim("purpose_of_use", List.of("PUBHLTH", "TREAT")).build());
		jwt.sign(new ECDSASigner(idpKey));

		AccessToken verified = tokens.verify(jwt.serialize(), ISSUER, FHIR_BASE);
		assertThat(verified.external()).isTrue();
		assertThat(verified.clientId()).isEqualTo("national-portal");
		assertThat(verified.scopes().toString()).isEqualTo("system/Patient.rs system/Encounter.r");
		assertThat(verified.purpose()).isEqualTo("PUBHLTH");
		assertThat(verified.purposes()).containsExactly("PUBHLTH", "TREAT");
	}

	/** An HMAC secret would have to be shared with the issuer (and so with whoever holds it): never accepted. */
	@Test
	void refusesAnExternalTokenSignedWithASharedSecret() throws Exception {
		AccessTokens tokens = externalTokens(new ECKeyGenerator(Curve.P_256).keyID("idp-1").generate());
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256),
				claims(EXTERNAL_ISSUER).claim("azp", "national-portal").claim("scp", List.of("system/*.cruds")).build());
		jwt.sign(new MACSigner(new byte[32]));
		assertThatThrownBy(() -> tokens.verify(jwt.serialize(), ISSUER, FHIR_BASE)).isInstanceOf(InvalidTokenException.class);
	}

	@Test
	void keepsItsSigningKeyAcrossRestarts() {
		ServerKeys again = ServerKeys.loadOrCreate(keysDir, "RS256", null);
		assertThat(again.keyId()).isEqualTo(keys.keyId());
		assertThat(again.algorithm()).isEqualTo(JWSAlgorithm.ES256);
	}

	@Test
	void makesAnAdminSecretReadableByTheServerAloneWhenNoneIsConfigured(@TempDir Path dir) throws Exception {
		ServerKeys generated = ServerKeys.loadOrCreate(dir, "ES256", " ");
		Path file = dir.resolve(ServerKeys.ADMIN_SECRET_FILE);
		assertThat(generated.adminSecret()).hasSizeGreaterThanOrEqualTo(43).isEqualTo(Files.readString(file).trim());
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		assertThat(ServerKeys.loadOrCreate(dir, "ES256", null).adminSecret()).isEqualTo(generated.adminSecret());
		assertThat(keys.adminSecret()).isEqualTo("admin-secret");
	}

	@Test
	void refusesASigningAlgorithmItCannotGenerate(@TempDir Path dir) {
		assertThatThrownBy(() -> ServerKeys.loadOrCreate(dir, "HS256", "x"))
				.isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token-algorithm");
	}

	private AccessTokens tokens(Duration lifetime, List<String> audiences) {
		return new AccessTokens(keys, lifetime, Duration.ZERO, null, null, audiences);
	}

	private AccessTokens externalTokens(ECKey idpKey) {
		return new AccessTokens(keys, Duration.ofMinutes(5), Duration.ZERO, EXTERNAL_ISSUER,
				new ImmutableJWKSet<>(new JWKSet(idpKey.toPublicJWK())), List.of());
	}

	private static JWTClaimsSet.Builder claims(String issuer) {
		Instant now = Instant.now();
		return new JWTClaimsSet.Builder().issuer(issuer).audience(FHIR_BASE)
				.issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)));
	}

	private static RegisteredClient client() {
		return new RegisteredClient("bv-bachmai", "Bệnh viện Bạch Mai", null, List.of("system/*.rs"), List.of("TREAT"),
				"Organization/bachmai", true, false, null);
	}
}
