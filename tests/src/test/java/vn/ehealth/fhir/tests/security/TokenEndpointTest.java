package vn.ehealth.fhir.tests.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.factories.DefaultJWSSignerFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;
import vn.ehealth.fhir.tests.support.Tokens;

/** SMART Backend Services discovery and the client_credentials grant with private_key_jwt. */
class TokenEndpointTest {

	private static TestServer server;
	private static RegisteredClients.Client client;

	@BeforeAll
	static void client() {
		server = TestServer.shared();
		client = RegisteredClients.register(server, "his-noi-tru", List.of("system/Patient.rs", "system/Observation.cruds"), List.of("TREAT", "HPAYMT"));
	}

	private static List<String> strings(Object list) {
		return ((List<?>) list).stream().map(String::valueOf).toList();
	}

	private static String tokenEndpoint() {
		return server.rootUrl() + "/auth/token";
	}

	@Test
	void smartConfigurationAdvertisesBackendServices() {
		for (String path : List.of("/.well-known/smart-configuration", "/fhir/.well-known/smart-configuration")) {
			Map<String, Object> config = Tokens.json(server.anonymousHttp().get(path, "application/json").body());
			assertThat(config.get("token_endpoint")).isEqualTo(tokenEndpoint());
			assertThat(strings(config.get("grant_types_supported"))).containsExactly("client_credentials");
			assertThat(strings(config.get("token_endpoint_auth_methods_supported"))).containsExactly("private_key_jwt");
			assertThat(strings(config.get("token_endpoint_auth_signing_alg_values_supported"))).contains("RS384", "ES384");
			assertThat(strings(config.get("capabilities"))).contains("client-confidential-asymmetric", "permission-v2");
			assertThat(strings(config.get("scopes_supported"))).contains("system/*.cruds");
		}
	}

	@Test
	void grantsTheRequestedScopesNarrowedToTheRegisteredOnes() {
		Http.Response response = Tokens.request(server.rootUrl(), client.clientId(), client.key(), "system/*.rs", "HPAYMT");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.header("Cache-Control")).contains("no-store");
		Map<String, Object> json = Tokens.json(response.body());
		assertThat(json.get("token_type")).isEqualTo("bearer");
		assertThat(((Number) json.get("expires_in")).intValue()).isEqualTo(300);
		assertThat(((String) json.get("scope")).split(" ")).containsExactlyInAnyOrder("system/Patient.rs", "system/Observation.rs");
		assertThat(json.get("purpose_of_use")).isEqualTo("HPAYMT");
	}

	@Test
	void scopeOutsideTheRegisteredOnesIsInvalidScope() {
		Http.Response response = Tokens.request(server.rootUrl(), client.clientId(), client.key(), "system/Condition.rs", null);
		assertThat(response.status()).isEqualTo(400);
		assertThat(Tokens.json(response.body()).get("error")).isEqualTo("invalid_scope");
	}

	@Test
	void unregisteredPurposeIsRefusedWith403() {
		Http.Response response = Tokens.request(server.rootUrl(), client.clientId(), client.key(), "system/Patient.rs", "HRESCH");
		assertThat(response.status()).isEqualTo(403);
	}

	@Test
	void replayedClientAssertionIsRefused() {
		String assertion = Tokens.sign(client.key(), Tokens.assertionClaims(client.clientId(), tokenEndpoint()).build());
		assertThat(Tokens.post(server.rootUrl(), assertion, "system/Patient.rs", null).status()).isEqualTo(200);
		Http.Response replay = Tokens.post(server.rootUrl(), assertion, "system/Patient.rs", null);
		assertThat(replay.status()).isEqualTo(401);
		assertThat(Tokens.json(replay.body()).get("error")).isEqualTo("invalid_client");
		assertThat((String) Tokens.json(replay.body()).get("error_description")).contains("jti");
	}

	@Test
	void assertionSignedByAnUnregisteredKeyIsInvalidClient() {
		String assertion = Tokens.sign(Tokens.newKey(), Tokens.assertionClaims(client.clientId(), tokenEndpoint()).build());
		Http.Response response = Tokens.post(server.rootUrl(), assertion, "system/Patient.rs", null);
		assertThat(response.status()).isEqualTo(401);
		assertThat(Tokens.json(response.body()).get("error")).isEqualTo("invalid_client");
	}

	@Test
	void unsignedAssertionIsInvalidClient() {
		String assertion = new PlainJWT(Tokens.assertionClaims(client.clientId(), tokenEndpoint()).build()).serialize();
		assertThat(Tokens.post(server.rootUrl(), assertion, "system/Patient.rs", null).status()).isEqualTo(401);
	}

	@Test
	void assertionForAnotherAudienceOrTooLongLivedIsInvalidClient() {
		String otherAudience = Tokens.sign(client.key(),
				Tokens.assertionClaims(client.clientId(), "https://fhir.other.vn/auth/token").build());
		assertThat(Tokens.post(server.rootUrl(), otherAudience, "system/Patient.rs", null).status()).isEqualTo(401);

		String longLived = Tokens.sign(client.key(), Tokens.assertionClaims(client.clientId(), tokenEndpoint())
				.expirationTime(new java.util.Date(System.currentTimeMillis() + 3_600_000))
				.build());
		assertThat(Tokens.post(server.rootUrl(), longLived, "system/Patient.rs", null).status()).isEqualTo(401);
	}

	@Test
	void scopesOnTypesThatAreNotFhirResourceTypesAreNeverGranted() {
		Http.Response mixed = Tokens.request(server.rootUrl(), Tokens.SUITE_CLIENT, Tokens.suiteKey(),
				"system/UnknownResource.r system/Patient.r", null);
		assertThat(mixed.status()).isEqualTo(200);
		assertThat(Tokens.json(mixed.body()).get("scope")).isEqualTo("system/Patient.r");

		Http.Response unknownOnly = Tokens.request(server.rootUrl(), Tokens.SUITE_CLIENT, Tokens.suiteKey(),
				"system/UnknownResource.r", null);
		assertThat(unknownOnly.status()).isEqualTo(400);
		assertThat(Tokens.json(unknownOnly.body()).get("error")).isEqualTo("invalid_scope");
	}

	@Test
	void onlyScopesTheClientIsRegisteredForAreGranted() {
		Http.Response response = Tokens.request(server.rootUrl(), client.clientId(), client.key(),
				"system/Patient.cruds system/Condition.rs system/Observation.d vietfhir/admin", null);
		assertThat(response.status()).isEqualTo(200);
		assertThat(((String) Tokens.json(response.body()).get("scope")).split(" "))
				.containsExactlyInAnyOrder("system/Patient.rs", "system/Observation.d");
	}

	@Test
	void assertionThatNamesOrCarriesItsOwnKeyIsInvalidClientAndNothingIsFetched() throws Exception {
		try (ServerSocket keyHost = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			URI keyUrl = URI.create("http://127.0.0.1:" + keyHost.getLocalPort() + "/jwks.json");
			List<UnaryOperator<JWSHeader.Builder>> headers = List.of(
					h -> h.jwkURL(keyUrl),
					h -> h.x509CertURL(keyUrl),
					h -> h.jwk(client.key().toPublicJWK()));
			for (UnaryOperator<JWSHeader.Builder> header : headers) {
				// signed by the registered key: only the header is wrong
				String assertion = signWithHeader(client.key(), header, Tokens.assertionClaims(client.clientId(), tokenEndpoint()).build());
				Http.Response response = Tokens.post(server.rootUrl(), assertion, "system/Patient.rs", null);
				assertThat(response.status()).isEqualTo(401);
				assertThat(Tokens.json(response.body()).get("error")).isEqualTo("invalid_client");
				assertThat((String) Tokens.json(response.body()).get("error_description")).contains("jku");
			}
			keyHost.setSoTimeout(500);
			assertThatThrownBy(keyHost::accept).isInstanceOf(SocketTimeoutException.class);
		}
	}

	private static String signWithHeader(JWK key, UnaryOperator<JWSHeader.Builder> header, JWTClaimsSet claims) throws Exception {
		JWSAlgorithm algorithm = JWSAlgorithm.parse(key.getAlgorithm().getName());
		SignedJWT jwt = new SignedJWT(
				header.apply(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).type(JOSEObjectType.JWT)).build(), claims);
		jwt.sign(new DefaultJWSSignerFactory().createJWSSigner(key, algorithm));
		return jwt.serialize();
	}

	@Test
	void malformedTokenRequestsGetOAuthErrorJson() {
		String assertion = Tokens.sign(client.key(), Tokens.assertionClaims(client.clientId(), tokenEndpoint()).build());
		Map<String, String> valid = new LinkedHashMap<>();
		valid.put("grant_type", "client_credentials");
		valid.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
		valid.put("client_assertion", assertion);
		valid.put("scope", "system/Patient.rs");
		Http http = server.anonymousHttp();

		assertOAuthError(http.post("/auth/token", "application/json", "{\"grant_type\":\"client_credentials\"}"), 400, "invalid_request");
		assertOAuthError(http.post("/auth/token", "application/x-www-form-urlencoded", ""), 400, "invalid_request");
		assertOAuthError(http.send(HttpRequest.newBuilder(http.uri("/auth/token")).POST(HttpRequest.BodyPublishers.noBody())),
				400, "invalid_request");
		Map<String, String> noGrant = new LinkedHashMap<>(valid);
		noGrant.remove("grant_type");
		assertOAuthError(http.post("/auth/token", "application/x-www-form-urlencoded", form(noGrant)), 400, "invalid_request");
		Map<String, String> password = new LinkedHashMap<>(valid);
		password.put("grant_type", "password");
		assertOAuthError(http.post("/auth/token", "application/x-www-form-urlencoded", form(password)), 400, "unsupported_grant_type");
		assertOAuthError(http.post("/auth/token", "application/x-www-form-urlencoded", form(valid) + "&scope=system%2FObservation.rs"),
				400, "invalid_request");
		assertOAuthError(http.get("/auth/token", "text/html"), 405, "invalid_request");
		// after all that, the same assertion is still good: none of the refusals got as far as using it
		assertThat(http.post("/auth/token", "application/x-www-form-urlencoded; charset=UTF-8", form(valid)).status()).isEqualTo(200);
	}

	private static void assertOAuthError(Http.Response response, int status, String error) {
		assertThat(response.status()).isEqualTo(status);
		assertThat(response.header("Content-Type")).startsWith("application/json");
		Map<String, Object> json = Tokens.json(response.body());
		assertThat(json.get("error")).isEqualTo(error);
		assertThat((String) json.get("error_description")).isNotBlank();
	}

	private static String form(Map<String, String> parameters) {
		return parameters.entrySet().stream()
				.map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
				.collect(Collectors.joining("&"));
	}

	@Test
	void aForeignHostHeaderDoesNotChooseTheTokenAudience() {
		// an assertion for the token endpoint as the Host header names it
		String assertion = Tokens.sign(client.key(), Tokens.assertionClaims(client.clientId(), "http://evil.org/auth/token").build());
		Map<String, String> parameters = new LinkedHashMap<>();
		parameters.put("grant_type", "client_credentials");
		parameters.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
		parameters.put("client_assertion", assertion);
		parameters.put("scope", "system/Patient.rs");
		ForeignHost.Response response = ForeignHost.send(server.port(), "evil.org", "POST", "/auth/token",
				Map.of("Content-Type", "application/x-www-form-urlencoded"), form(parameters));
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.text()).contains("invalid_client").doesNotContain("access_token");
	}

	@Test
	void theServersOwnAddressIsAnAudienceToo() {
		String root = "http://127.0.0.1:" + server.port();
		Http.Response response = Tokens.request(root, client.clientId(), client.key(), "system/Patient.rs", null);
		assertThat(response.status()).isEqualTo(200);
		String token = (String) Tokens.json(response.body()).get("access_token");
		Http http = Http.anonymous(root);
		assertThat(http.send(HttpRequest.newBuilder(http.uri("/fhir/Patient?_count=1"))
				.header("Authorization", "Bearer " + token)).status()).isEqualTo(200);
	}
}
