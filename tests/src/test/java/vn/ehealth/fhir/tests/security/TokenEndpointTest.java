package vn.ehealth.fhir.tests.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.PlainJWT;
import java.util.List;
import java.util.Map;
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
}
