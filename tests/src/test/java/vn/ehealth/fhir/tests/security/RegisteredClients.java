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

	static String adminSecret(TestServer server) {
		try {
			return Files.readString(server.dataDir().resolve("keys/admin-secret")).trim();
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	static Http.Response postAsAdmin(TestServer server, String path, String bearer, String json) {
		Http http = server.anonymousHttp();
		return http.send(HttpRequest.newBuilder(http.uri(path))
				.header("Authorization", "Bearer " + bearer)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
	}

	static String registration(String clientId, JWK key, List<String> scopes, List<String> purposes) {
		return "{\"client_id\":\"" + clientId + "\",\"name\":\"Bệnh viện thử nghiệm\","
				+ "\"jwks\":" + new JWKSet(key.toPublicJWK()).toString(true) + ","
				+ "\"scopes\":" + jsonArray(scopes) + ",\"purposes\":" + jsonArray(purposes) + ","
				+ "\"facility\":\"Organization/bv-thu-nghiem\"}";
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
