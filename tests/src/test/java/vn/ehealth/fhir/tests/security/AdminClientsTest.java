package vn.ehealth.fhir.tests.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;
import vn.ehealth.fhir.tests.support.Tokens;

/** The client registry API: the admin secret may use it, a normal token may not. */
class AdminClientsTest {

	private final TestServer server = TestServer.shared();

	@Test
	void adminApiRefusesANormalTokenAndAnonymousCallers() {
		String normalToken = server.tokens().token(); // system/*.cruds, but not vietfhir/admin
		Http.Response withToken = RegisteredClients.postAsAdmin(server, "/admin/clients", normalToken,
				RegisteredClients.registration("sneaky", Tokens.newKey(), List.of("system/*.cruds"), List.of("TREAT")));
		assertThat(withToken.status()).isEqualTo(403);

		Http http = server.anonymousHttp();
		assertThat(http.get("/admin/clients", "application/json").status()).isEqualTo(401);
		assertThat(http.send(HttpRequest.newBuilder(http.uri("/admin/clients")).header("Authorization", "Bearer " + normalToken).GET()).status())
				.isEqualTo(403);
	}

	@Test
	void registeredClientGetsTokensUntilDisabled() {
		RegisteredClients.Client client = RegisteredClients.register(server, "cong-du-lieu-tinh", List.of("system/Patient.rs"), List.of("PUBHLTH"));
		Http.Response list = server.anonymousHttp().send(HttpRequest.newBuilder(server.anonymousHttp().uri("/admin/clients"))
				.header("Authorization", "Bearer " + RegisteredClients.adminSecret(server)).GET());
		assertThat(list.status()).isEqualTo(200);
		assertThat(list.body()).contains(client.clientId()).doesNotContain("\"d\":");

		assertThat(Tokens.request(server.rootUrl(), client.clientId(), client.key(), "system/Patient.rs", null).status()).isEqualTo(200);

		Http.Response disabled = RegisteredClients.postAsAdmin(server, "/admin/clients/" + client.clientId() + "/disable",
				RegisteredClients.adminSecret(server), "");
		assertThat(disabled.status()).isEqualTo(200);
		assertThat(Tokens.json(disabled.body()).get("enabled")).isEqualTo(false);
		Http.Response refused = Tokens.request(server.rootUrl(), client.clientId(), client.key(), "system/Patient.rs", null);
		assertThat(refused.status()).isEqualTo(401);
		assertThat(Tokens.json(refused.body()).get("error")).isEqualTo("invalid_client");
	}

	/** A token the server has already verified (and keeps verified) is refused as soon as its client is disabled. */
	@Test
	void tokenAlreadyInUseIsRefusedOnceItsClientIsDisabled() {
		RegisteredClients.Client client = RegisteredClients.register(server, "his-bi-khoa", List.of("system/Patient.rs"), List.of("TREAT"));
		Http.Response issued = Tokens.request(server.rootUrl(), client.clientId(), client.key(), "system/Patient.rs", null);
		assertThat(issued.status()).isEqualTo(200);
		String token = (String) Tokens.json(issued.body()).get("access_token");
		Http http = server.anonymousHttp();
		HttpRequest.Builder search = HttpRequest.newBuilder(http.uri("/fhir/Patient?_count=1"))
				.header("Authorization", "Bearer " + token).header("Accept", "application/fhir+json").GET();
		assertThat(http.send(search).status()).isEqualTo(200);
		assertThat(http.send(search).status()).isEqualTo(200);

		assertThat(RegisteredClients.postAsAdmin(server, "/admin/clients/" + client.clientId() + "/disable",
				RegisteredClients.adminSecret(server), "").status()).isEqualTo(200);
		Http.Response refused = http.send(search);
		assertThat(refused.status()).isEqualTo(401);
		assertThat(refused.body()).contains("disabled");
	}

	@Test
	void registrationRefusesPrivateKeysUnknownScopesAndPurposes() {
		String secret = RegisteredClients.adminSecret(server);
		String privateKey = "{\"client_id\":\"leaky\",\"jwks\":{\"keys\":[" + Tokens.newKey().toJSONString() + "]},"
				+ "\"scopes\":[\"system/*.cruds\"],\"purposes\":[\"TREAT\"]}";
		assertThat(RegisteredClients.postAsAdmin(server, "/admin/clients", secret, privateKey).status()).isEqualTo(400);
		Map<String, Object> badPurpose = Tokens.json(RegisteredClients.postAsAdmin(server, "/admin/clients", secret,
				RegisteredClients.registration("odd", Tokens.newKey(), List.of("system/*.cruds"), List.of("SELLDATA"))).body());
		assertThat(badPurpose.get("error")).isEqualTo("invalid_request");
	}
}
