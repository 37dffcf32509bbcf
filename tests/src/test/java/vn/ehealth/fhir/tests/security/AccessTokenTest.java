package vn.ehealth.fhir.tests.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;
import vn.ehealth.fhir.tests.support.Tokens;

/** Bearer tokens on /fhir: each way a token can be wrong gives 401; an external issuer's token is accepted. */
class AccessTokenTest {

	private static TestServer server;
	private static Http anonymous;

	@BeforeAll
	static void server() {
		server = TestServer.shared();
		anonymous = server.anonymousHttp();
	}

	/** Claims of a token of the configured external issuer for this server, purpose PATRQT, valid two minutes. */
	private static JWTClaimsSet.Builder externalClaims(String subject, String authorisedParty) {
		Instant now = Instant.now();
		return new JWTClaimsSet.Builder()
				.issuer(Tokens.EXTERNAL_ISSUER)
				.subject(subject)
				.claim("azp", authorisedParty)
				.claim("purpose_of_use", List.of("PATRQT"))
				.audience(server.baseUrl())
				.issueTime(Date.from(now))
				.expirationTime(Date.from(now.plusSeconds(120)));
	}

	private static Http.Response getPatientsWith(String token) {
		return anonymous.send(HttpRequest.newBuilder(anonymous.uri("/fhir/Patient?_count=1"))
				.header("Authorization", "Bearer " + token)
				.header("Accept", "application/fhir+json")
				.GET());
	}

	private static void assertUnauthorised(Http.Response response, String diagnosticsPart) {
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
		assertThat(response.outcome().getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
		assertThat(response.outcome().getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.LOGIN);
		assertThat(response.diagnostics()).containsIgnoringCase(diagnosticsPart);
	}

	/** Claims as the server itself would issue them for the suite client. */
	private static JWTClaimsSet.Builder ownClaims() {
		Instant now = Instant.now();
		return new JWTClaimsSet.Builder()
				.issuer(server.rootUrl())
				.subject(Tokens.SUITE_CLIENT)
				.claim("client_id", Tokens.SUITE_CLIENT)
				.claim("scope", "system/*.cruds")
				.audience(server.baseUrl())
				.issueTime(Date.from(now))
				.expirationTime(Date.from(now.plusSeconds(120)))
				.jwtID(UUID.randomUUID().toString());
	}

	/** The server's own signing key, read from its keys directory, to forge otherwise perfect tokens. */
	private static JWK serverKey() throws Exception {
		return JWK.parse(Files.readString(server.dataDir().resolve("keys/token-signing-key.jwk.json")));
	}

	@Test
	void requestWithoutTokenIsRefusedWith401() {
		Http.Response response = anonymous.get("/fhir/Patient", "application/fhir+json");
		assertUnauthorised(response, "bearer access token is required");
	}

	@Test
	void tokenSignedByTheServerKeyIsAccepted() throws Exception {
		assertThat(getPatientsWith(Tokens.sign(serverKey(), ownClaims().build())).status()).isEqualTo(200);
	}

	@Test
	void expiredTokenIsRefused() throws Exception {
		Instant past = Instant.now().minusSeconds(600);
		String token = Tokens.sign(serverKey(), ownClaims()
				.issueTime(Date.from(past.minusSeconds(300)))
				.expirationTime(Date.from(past))
				.build());
		assertUnauthorised(getPatientsWith(token), "expired");
	}

	@Test
	void tokenWithWrongSignatureIsRefused() throws Exception {
		// another key under the server key's id, curve and algorithm: only the signature is wrong
		ECKey server = serverKey().toECKey();
		JWK impostor = new ECKeyGenerator(server.getCurve())
				.keyID(server.getKeyID())
				.algorithm(server.getAlgorithm())
				.generate();
		assertUnauthorised(getPatientsWith(Tokens.sign(impostor, ownClaims().build())), "signature");
	}

	@Test
	void unsignedTokenWithAlgNoneIsRefused() {
		String token = new PlainJWT(ownClaims().build()).serialize();
		assertUnauthorised(getPatientsWith(token), "alg");
	}

	@Test
	void tokenForAnotherAudienceIsRefused() throws Exception {
		String token = Tokens.sign(serverKey(), ownClaims().audience("https://fhir.other-province.vn/fhir").build());
		assertUnauthorised(getPatientsWith(token), "audience");
	}

	@Test
	void tokenOfAnExternalIssuerIsAcceptedThroughItsJwksFile() {
		JWTClaimsSet claims = externalClaims("service-account-cong-thong-tin", "cong-thong-tin-quoc-gia")
				.claim("scope", "system/Patient.rs")
				.build();
		String token = Tokens.sign(Tokens.externalKey(), claims);
		assertThat(getPatientsWith(token).status()).isEqualTo(200);

		Http.Response observations = anonymous.send(HttpRequest.newBuilder(anonymous.uri("/fhir/Observation"))
				.header("Authorization", "Bearer " + token).GET());
		assertThat(observations.status()).isEqualTo(403);

		// the same claims signed by a key the issuer's JWKS does not hold
		assertUnauthorised(getPatientsWith(Tokens.sign(Tokens.newKey(), claims)), "");
	}

	@Test
	void aSignedInPersonsUserScopeGrantsItsTypeAndAPatientScopeGrantsNothing() {
		JWTClaimsSet.Builder person = externalClaims("nguyen.thi.thu@soyte.hanoi.gov.vn", "vietfhir-dashboard");
		String user = Tokens.sign(Tokens.externalKey(), person.claim("scope", "openid user/Patient.rs").build());
		assertThat(getPatientsWith(user).status()).isEqualTo(200);
		Http.Response observations = anonymous.send(HttpRequest.newBuilder(anonymous.uri("/fhir/Observation"))
				.header("Authorization", "Bearer " + user).GET());
		assertThat(observations.status()).isEqualTo(403);

		String patientScoped = Tokens.sign(Tokens.externalKey(), person.claim("scope", "openid patient/Patient.rs").build());
		assertThat(getPatientsWith(patientScoped).status()).isEqualTo(403);
	}

	@Test
	void openEndpointsNeedNoToken() {
		assertThat(anonymous.get("/fhir/metadata", "application/fhir+json").status()).isEqualTo(200);
		assertThat(anonymous.get("/.well-known/smart-configuration", "application/json").status()).isEqualTo(200);
		assertThat(anonymous.get("/fhir/.well-known/smart-configuration", "application/json").status()).isEqualTo(200);
		assertThat(anonymous.get("/actuator/health", "application/json").status()).isEqualTo(200);
		assertThat(anonymous.get("/actuator/prometheus", "text/plain").status()).isEqualTo(200);
		assertThat(anonymous.get("/", "text/html").status()).isEqualTo(200);
		assertThat(anonymous.get("/fhir/swagger-ui/", "text/html").status()).isEqualTo(200);
		assertThat(anonymous.get("/fhir/api-docs", "application/json").status()).isEqualTo(200);
	}

	@Test
	void tokenTenSecondsPastExpiryIsRefused() throws Exception {
		Instant now = Instant.now();
		String token = Tokens.sign(serverKey(), ownClaims()
				.issueTime(Date.from(now.minusSeconds(130)))
				.expirationTime(Date.from(now.minusSeconds(10)))
				.build());
		assertUnauthorised(getPatientsWith(token), "expired");
	}

	@Test
	void tokenForTheHostAClientNamedIsRefusedEvenUnderThatHost() throws Exception {
		// perfect but for its issuer and audience, which follow a Host header the client chose
		String token = Tokens.sign(serverKey(), ownClaims().issuer("http://evil.org").audience("http://evil.org/fhir").build());
		ForeignHost.Response response = ForeignHost.send(server.port(), "evil.org", "GET", "/fhir/Patient?_count=1",
				Map.of("Authorization", "Bearer " + token, "Accept", "application/fhir+json"), null);
		assertThat(response.status()).isEqualTo(401);
		assertThat(getPatientsWith(token).status()).isEqualTo(401);
		// a token of this server stays good whatever Host the request names
		ForeignHost.Response good = ForeignHost.send(server.port(), "evil.org", "GET", "/fhir/Patient?_count=1",
				Map.of("Authorization", "Bearer " + Tokens.sign(serverKey(), ownClaims().build()), "Accept", "application/fhir+json"), null);
		assertThat(good.status()).isEqualTo(200);
	}

	@Test
	void missingScopeIsForbiddenWithTheInsufficientScopeChallenge() throws Exception {
		String token = Tokens.sign(serverKey(), ownClaims().claim("scope", "system/Patient.rs").build());
		Http.Response response = anonymous.send(HttpRequest.newBuilder(anonymous.uri("/fhir/Observation"))
				.header("Authorization", "Bearer " + token).GET());
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.header("WWW-Authenticate"))
				.isEqualTo("Bearer error=\"insufficient_scope\", scope=\"system/Observation.s\"");
		assertThat(response.outcome().getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.FORBIDDEN);
		assertThat(response.diagnostics()).contains("system/Observation.s");

		Http.Response purpose = anonymous.send(HttpRequest.newBuilder(anonymous.uri("/fhir/Patient?_count=1"))
				.header("Authorization", "Bearer " + token).header("X-Purpose-Of-Use", "NOT-A-PURPOSE").GET());
		assertThat(purpose.status()).isEqualTo(403);
		assertThat(purpose.header("WWW-Authenticate")).startsWith("Bearer error=\"insufficient_scope\"");
		assertThat(purpose.outcome().getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.FORBIDDEN);
	}
}
