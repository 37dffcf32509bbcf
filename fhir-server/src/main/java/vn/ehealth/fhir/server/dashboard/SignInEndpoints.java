package vn.ehealth.fhir.server.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the browser signs in: the issuer's authorization and token endpoints, as configured or read from
 * its OpenID Connect discovery document (OpenID Connect Discovery 1.0 §4). The server reads the document,
 * not the browser: providers do not all allow cross-origin reads of it, and the endpoints are then known
 * before the page asks. A failed read is retried on the next page load rather than kept.
 */
class SignInEndpoints {

	private static final Logger log = LoggerFactory.getLogger(SignInEndpoints.class);
	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	/** The endpoints the browser uses. */
	record Endpoints(String issuer, String authorization, String token) {}

	private final String issuer;
	private final String configuredAuthorization;
	private final String configuredToken;
	private final ObjectMapper json;
	private final HttpClient http = HttpClient.newBuilder()
			.connectTimeout(TIMEOUT)
			.followRedirects(HttpClient.Redirect.NORMAL)
			.build();
	private volatile Endpoints discovered;

	SignInEndpoints(String issuer, String authorization, String token, ObjectMapper json) {
		this.issuer = issuer;
		this.configuredAuthorization = authorization;
		this.configuredToken = token;
		this.json = json;
	}

	/** The endpoints, or empty when no issuer is configured or its discovery document cannot be read. */
	Optional<Endpoints> endpoints() {
		if (issuer.isBlank()) {
			return Optional.empty();
		}
		if (!configuredAuthorization.isBlank() && !configuredToken.isBlank()) {
			return Optional.of(new Endpoints(issuer, configuredAuthorization, configuredToken));
		}
		Endpoints known = discovered;
		if (known == null) {
			known = discover();
			discovered = known;
		}
		return Optional.ofNullable(known);
	}

	private Endpoints discover() {
		URI document = URI.create(issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration");
		try {
			HttpResponse<String> response = http.send(
					HttpRequest.newBuilder(document).timeout(TIMEOUT).header("Accept", "application/json").build(),
					HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				log.warn("Dashboard sign-in: {} answered HTTP {}", document, response.statusCode());
				return null;
			}
			JsonNode body = json.readTree(response.body());
			// OpenID Connect Discovery §4.3: the document's issuer must be the one asked for
			if (!issuer.equals(body.path("issuer").asText())) {
				log.warn("Dashboard sign-in: {} names issuer {}, not {}", document, body.path("issuer").asText(), issuer);
				return null;
			}
			return new Endpoints(issuer,
					configuredAuthorization.isBlank() ? body.path("authorization_endpoint").asText() : configuredAuthorization,
					configuredToken.isBlank() ? body.path("token_endpoint").asText() : configuredToken);
		} catch (IOException | IllegalArgumentException e) {
			log.warn("Dashboard sign-in: cannot read {}: {}", document, e.toString());
			return null;
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return null;
		}
	}
}
