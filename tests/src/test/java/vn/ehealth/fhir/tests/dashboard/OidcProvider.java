package vn.ehealth.fhir.tests.dashboard;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;

/**
 * A real OpenID Connect provider for the dashboard's sign-in (no.nav.security:mock-oauth2-server from Maven
 * Central): discovery, an interactive login page, the authorization code flow with PKCE, a JWKS, CORS on its
 * token endpoint. Its tokens carry what a provincial Keycloak would be configured to put in them for the
 * dashboard's client: the FHIR base as audience, the statistics scope, and purpose of use PUBHLTH.
 */
final class OidcProvider implements AutoCloseable {

	static final String ISSUER_ID = "vietfhir";

	private final MockOAuth2Server server;
	private final int port;

	private OidcProvider(MockOAuth2Server server, int port) {
		this.server = server;
		this.port = port;
	}

	/**
	 * @param audience the FHIR base URL the server accepts tokens for
	 * @param scope the scope claim of the access tokens issued at sign-in
	 */
	static OidcProvider start(String audience, String scope) throws IOException {
		String config = """
				{"interactiveLogin": true,
				 "tokenCallbacks": [{"issuerId": "%s", "tokenExpiry": 900, "requestMappings": [
				   {"requestParam": "grant_type", "match": "authorization_code",
				    "claims": {"aud": ["%s"], "scope": "%s", "purpose_of_use": "PUBHLTH", "name": "Nguyễn Thị Thống Kê"}}]}]}
				""".formatted(ISSUER_ID, audience, scope);
		MockOAuth2Server server = new MockOAuth2Server(OAuth2Config.Companion.fromJson(config));
		int port = freePort();
		server.start(InetAddress.getByName("localhost"), port);
		return new OidcProvider(server, port);
	}

	/** The issuer as the browser and the server both name it (one host name: tokens name it as iss). */
	String issuer() {
		return "http://localhost:" + port + "/" + ISSUER_ID;
	}

	/** The provider's public keys, saved to a file: the FHIR server trusts the issuer through it. */
	Path writeJwks(Path dir) throws IOException, InterruptedException {
		HttpResponse<String> jwks = HttpClient.newHttpClient().send(
				HttpRequest.newBuilder(URI.create(issuer() + "/jwks")).build(), HttpResponse.BodyHandlers.ofString());
		if (jwks.statusCode() != 200) {
			throw new IllegalStateException("JWKS of the OIDC provider: HTTP " + jwks.statusCode());
		}
		return Files.writeString(Files.createDirectories(dir).resolve("oidc-provider.jwks.json"), jwks.body());
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	@Override
	public void close() {
		server.shutdown();
	}
}
