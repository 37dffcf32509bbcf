package vn.ehealth.fhir.server.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import vn.ehealth.fhir.server.security.ClientTool;

/**
 * An access token from another VietFHIR server (or any SMART Backend Services server), as its
 * registered client: the token endpoint from the server's {@code .well-known/smart-configuration},
 * a client assertion signed with our private key, reused until shortly before it expires.
 */
public final class SmartBackendToken implements Supplier<String> {

	private static final ObjectMapper JSON = new ObjectMapper();
	private static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

	private final HttpClient http;
	private final String fhirBase;
	private final String clientId;
	private final JWK key;
	private final String scope;
	private final String purpose;
	private String token;
	private Instant renewAt = Instant.MIN;

	public SmartBackendToken(HttpClient http, String fhirBase, String clientId, JWK key, String scope) {
		this(http, fhirBase, clientId, key, scope, null);
	}

	/** @param purpose the purpose of use asked for the token ({@code purpose_of_use}), or null */
	public SmartBackendToken(HttpClient http, String fhirBase, String clientId, JWK key, String scope, String purpose) {
		this.http = http;
		this.fhirBase = stripSlash(fhirBase);
		this.clientId = clientId;
		this.key = key;
		this.scope = scope;
		this.purpose = purpose;
	}

	/** Reads the private JWK file written by {@code keygen}. */
	public static JWK readKey(Path file) {
		try {
			return JWK.parse(Files.readString(file));
		} catch (IOException | ParseException e) {
			throw new SyncFailure("Cannot read the private key " + file + ": " + e.getMessage());
		}
	}

	@Override
	public synchronized String get() {
		if (token == null || Instant.now().isAfter(renewAt)) {
			fetch();
		}
		return token;
	}

	private void fetch() {
		try {
			HttpResponse<String> discovery = http.send(
					HttpRequest.newBuilder(URI.create(fhirBase + "/.well-known/smart-configuration"))
							.timeout(Duration.ofSeconds(30)).header("Accept", "application/json").build(),
					HttpResponse.BodyHandlers.ofString());
			if (discovery.statusCode() != 200) {
				throw new SyncFailure(fhirBase + "/.well-known/smart-configuration answered " + discovery.statusCode());
			}
			String tokenEndpoint = JSON.readTree(discovery.body()).path("token_endpoint").asText(null);
			if (tokenEndpoint == null) {
				throw new SyncFailure(fhirBase + " does not name a token_endpoint");
			}
			Map<String, String> form = new LinkedHashMap<>();
			form.put("grant_type", "client_credentials");
			form.put("client_assertion_type", ASSERTION_TYPE);
			form.put("client_assertion", ClientTool.clientAssertion(clientId, key, tokenEndpoint));
			form.put("scope", scope);
			if (purpose != null) {
				form.put("purpose_of_use", purpose);
			}
			String body = form.entrySet().stream()
					.map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
					.collect(Collectors.joining("&"));
			HttpResponse<String> response = http.send(
					HttpRequest.newBuilder(URI.create(tokenEndpoint))
							.timeout(Duration.ofSeconds(30))
							.header("Content-Type", "application/x-www-form-urlencoded")
							.POST(HttpRequest.BodyPublishers.ofString(body))
							.build(),
					HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new SyncFailure("The token endpoint of " + fhirBase + " refused client " + clientId + ": "
						+ response.statusCode() + " " + response.body());
			}
			JsonNode json = JSON.readTree(response.body());
			token = json.path("access_token").asText();
			long lifetime = json.path("expires_in").asLong(300);
			renewAt = Instant.now().plusSeconds(Math.max(10, lifetime - 60));
		} catch (IOException | JOSEException e) {
			throw new SyncFailure("No token from " + fhirBase + ": " + e.getMessage());
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new SyncFailure("Interrupted while asking " + fhirBase + " for a token");
		}
	}

	static String stripSlash(String url) {
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}
}
