package vn.ehealth.fhir.server.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.factories.DefaultJWSSignerFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
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
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * An access token from a SMART Backend Services server (this one or another VietFHIR), as its
 * registered client (https://hl7.org/fhir/smart-app-launch/backend-services.html): a client
 * assertion signed with the client's private key, posted with {@code grant_type=client_credentials}
 * to the token endpoint, the token reused until a minute before it expires. The one place the
 * client side of the token request is written: the command line, the province sync and the tests use it.
 */
public final class BackendServicesTokenClient implements Supplier<String> {

	/** The SMART discovery document, under the FHIR base (and, on VietFHIR, the server root too). */
	static final String DISCOVERY_PATH = SmartConfigurationEndpoint.PATH;
	/** Assertion lifetime: under the five minutes servers accept (SMART Backend Services, "exp"). */
	private static final Duration ASSERTION_LIFETIME = Duration.ofSeconds(240);
	private static final Duration TIMEOUT = Duration.ofSeconds(30);
	private static final ObjectMapper JSON = new ObjectMapper();

	/** No token: discovery, the token endpoint or the key file failed; the message says which. */
	public static class Failure extends RuntimeException {
		Failure(String message) {
			super(message);
		}
	}

	private final HttpClient http;
	private final String server;
	private final String clientId;
	private final JWK key;
	private final String scope;
	private final String purpose;
	private String tokenEndpoint;
	private String token;
	private Instant renewAt = Instant.MIN;

	private BackendServicesTokenClient(HttpClient http, String server, String tokenEndpoint, String clientId, JWK key,
			String scope, String purpose) {
		this.http = http;
		this.server = server;
		this.tokenEndpoint = tokenEndpoint;
		this.clientId = clientId;
		this.key = key;
		this.scope = scope;
		this.purpose = purpose;
	}

	/**
	 * Tokens from the server at {@code server} (its FHIR base or root), the token endpoint read from
	 * its {@code .well-known/smart-configuration} at the first request.
	 *
	 * @param purpose the purpose of use asked for ({@code purpose_of_use}), or null for the client's default
	 */
	public static BackendServicesTokenClient discovering(HttpClient http, String server, String clientId, JWK key,
			String scope, String purpose) {
		return new BackendServicesTokenClient(http, stripSlash(server), null, clientId, key, scope, purpose);
	}

	/** Tokens from a known token endpoint (no discovery). */
	public static BackendServicesTokenClient at(HttpClient http, String tokenEndpoint, String clientId, JWK key,
			String scope, String purpose) {
		return new BackendServicesTokenClient(http, tokenEndpoint, tokenEndpoint, clientId, key, scope, purpose);
	}

	/** Reads a private JWK file (as {@code keygen} writes it). */
	public static JWK readKey(Path file) {
		try {
			return JWK.parse(Files.readString(file));
		} catch (IOException | ParseException e) {
			throw new Failure("Cannot read the private key " + file + ": " + e);
		}
	}

	/** A valid access token, fetched when there is none or it has less than a minute left. */
	@Override
	public synchronized String get() {
		if (token == null || Instant.now().isAfter(renewAt)) {
			fetch();
		}
		return token;
	}

	private void fetch() {
		try {
			if (tokenEndpoint == null) {
				tokenEndpoint = discoverTokenEndpoint();
			}
			HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(tokenEndpoint))
					.header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers.ofString(form(clientAssertion(clientId, key, tokenEndpoint), scope, purpose))));
			if (response.statusCode() != 200) {
				throw new Failure("The token endpoint of " + server + " refused client " + clientId + ": "
						+ response.statusCode() + " " + response.body());
			}
			JsonNode json = JSON.readTree(response.body());
			token = json.path("access_token").asText();
			long lifetime = json.path("expires_in").asLong(300);
			renewAt = Instant.now().plusSeconds(Math.max(10, lifetime - 60));
		} catch (IOException | JOSEException e) {
			throw new Failure("No token from " + server + ": " + e);
		}
	}

	private String discoverTokenEndpoint() throws IOException {
		HttpResponse<String> discovery = send(HttpRequest.newBuilder(URI.create(server + DISCOVERY_PATH))
				.header("Accept", "application/json"));
		if (discovery.statusCode() != 200) {
			throw new Failure(server + DISCOVERY_PATH + " answered " + discovery.statusCode());
		}
		String endpoint = JSON.readTree(discovery.body()).path("token_endpoint").asText(null);
		if (endpoint == null) {
			throw new Failure(server + " does not name a token_endpoint");
		}
		return endpoint;
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
		try {
			return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new Failure("Interrupted while asking " + server + " for a token");
		}
	}

	/** The token request's form body (RFC 6749 section 4.4, RFC 7523 section 2.2). */
	public static String form(String clientAssertion, String scope, String purpose) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "client_credentials");
		form.put("client_assertion_type", ClientAssertions.ASSERTION_TYPE);
		form.put("client_assertion", clientAssertion);
		form.put("scope", scope);
		if (purpose != null) {
			form.put("purpose_of_use", purpose);
		}
		return form.entrySet().stream()
				.map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
				.collect(Collectors.joining("&"));
	}

	/** A client assertion (private_key_jwt) for the token endpoint, signed by the key. */
	static String clientAssertion(String clientId, JWK key, String tokenEndpoint) throws JOSEException {
		return sign(key, assertionClaims(clientId, tokenEndpoint).build());
	}

	/** The claims SMART Backend Services asks of an assertion: iss = sub = client_id, aud = token endpoint, exp, unique jti. */
	public static JWTClaimsSet.Builder assertionClaims(String clientId, String tokenEndpoint) {
		Instant now = Instant.now();
		return new JWTClaimsSet.Builder()
				.issuer(clientId)
				.subject(clientId)
				.audience(tokenEndpoint)
				.issueTime(Date.from(now))
				.expirationTime(Date.from(now.plus(ASSERTION_LIFETIME)))
				.jwtID(UUID.randomUUID().toString());
	}

	/** Signs claims with the key: its own algorithm, else RS384 for RSA keys and ES384 otherwise; its kid in the header. */
	public static String sign(JWK key, JWTClaimsSet claims) throws JOSEException {
		JWSAlgorithm algorithm = key.getAlgorithm() != null
				? JWSAlgorithm.parse(key.getAlgorithm().getName())
				: key.getKeyType().getValue().equals("RSA") ? JWSAlgorithm.RS384 : JWSAlgorithm.ES384;
		SignedJWT jwt = new SignedJWT(
				new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
		jwt.sign(new DefaultJWSSignerFactory().createJWSSigner(key, algorithm));
		return jwt.serialize();
	}

	private static String stripSlash(String url) {
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}
}
