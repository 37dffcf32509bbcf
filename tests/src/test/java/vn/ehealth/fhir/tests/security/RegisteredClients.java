package vn.ehealth.fhir.tests.security;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/** Clients with narrower rights than the suite's, registered through the admin API with the admin secret. */
public final class RegisteredClients {

	public record Client(String clientId, JWK key) {}

	private RegisteredClients() {}

	public static String adminSecret(TestServer server) {
		try {
			return Files.readString(server.dataDir().resolve("keys/admin-secret")).trim();
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	public static Http.Response postAsAdmin(TestServer server, String path, String bearer, String json) {
		Http http = server.anonymousHttp();
		return http.send(HttpRequest.newBuilder(http.uri(path))
				.header("Authorization", "Bearer " + bearer)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
	}

	public static String registration(String clientId, JWK key, List<String> scopes, List<String> purposes) {
		return "{\"client_id\":\"" + clientId + "\",\"name\":\"Bệnh viện thử nghiệm\","
				+ "\"jwks\":" + new JWKSet(key.toPublicJWK()).toString(true) + ","
				+ "\"scopes\":" + jsonArray(scopes) + ",\"purposes\":" + jsonArray(purposes) + ","
				+ "\"facility\":\"Organization/bv-thu-nghiem\"}";
	}

	/**
	 * Registers a client with the given key, facility and further registration fields (raw JSON members,
	 * e.g. {@code "signature_required":true}); its id is the name plus a unique suffix.
	 */
	public static Client register(
			TestServer server, String name, JWK key, List<String> scopes, List<String> purposes, String facility, String extraMembers) {
		String clientId = name + "-" + Fixtures.uniqueValue();
		String json = "{\"client_id\":\"" + clientId + "\",\"name\":\"" + name + "\","
				+ "\"jwks\":" + new JWKSet(key.toPublicJWK()).toString(true) + ","
				+ "\"scopes\":" + jsonArray(scopes) + ",\"purposes\":" + jsonArray(purposes) + ","
				+ "\"facility\":\"" + facility + "\"" + (extraMembers == null ? "" : "," + extraMembers) + "}";
		Http.Response response = postAsAdmin(server, "/admin/clients", adminSecret(server), json);
		if (response.status() != 201) {
			throw new IllegalStateException("Registration failed: " + response.status() + " " + response.body());
		}
		return new Client(clientId, key);
	}

	/** An access token of the client for the scope (its default purpose). */
	public static String token(TestServer server, Client client, String scope) {
		Http.Response response = vn.ehealth.fhir.tests.support.Tokens.request(server.rootUrl(), client.clientId(), client.key(), scope, null);
		if (response.status() != 200) {
			throw new IllegalStateException("No token: " + response.status() + " " + response.body());
		}
		return (String) vn.ehealth.fhir.tests.support.Tokens.json(response.body()).get("access_token");
	}

	public static Client register(TestServer server, String name, List<String> scopes, List<String> purposes) {
		String clientId = name + "-" + Fixtures.uniqueValue();
		JWK key = vn.ehealth.fhir.tests.support.Tokens.newKey();
		Http.Response response = postAsAdmin(server, "/admin/clients", adminSecret(server), registration(clientId, key, scopes, purposes));
		if (response.status() != 201) {
			throw new IllegalStateException("Registration failed: " + response.status() + " " + response.body());
		}
		return new Client(clientId, key);
	}

	private static String jsonArray(List<String> values) {
		return values.stream().map(v -> "\"" + v + "\"").collect(java.util.stream.Collectors.joining(",", "[", "]"));
	}
}
