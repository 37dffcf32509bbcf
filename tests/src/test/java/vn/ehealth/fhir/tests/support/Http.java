package vn.ehealth.fhir.tests.support;

import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;

/** Plain HTTP against the server, for what a FHIR client library would hide (status, headers, raw bodies). */
public final class Http {

	private static final HttpClient CLIENT = HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(10))
			.version(HttpClient.Version.HTTP_1_1)
			.build();

	private final String root;
	/** Supplies the bearer token each request carries; null for anonymous requests. */
	private final Supplier<String> token;

	Http(String root, Supplier<String> token) {
		this.root = root;
		this.token = token;
	}

	/** The one HTTP/1.1 client the suite's requests share. */
	static HttpClient client() {
		return CLIENT;
	}

	/** Requests without a token (open endpoints, and the 401 cases). */
	public static Http anonymous(String root) {
		return new Http(root, null);
	}

	public Response get(String path) {
		return send(HttpRequest.newBuilder(uri(path)).GET());
	}

	public Response get(String path, String accept) {
		return send(HttpRequest.newBuilder(uri(path)).header("Accept", accept).GET());
	}

	public Response post(String path, String contentType, String body) {
		return send(HttpRequest.newBuilder(uri(path))
				.header("Content-Type", contentType)
				.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
	}

	/** A body sent with chunked transfer encoding: no Content-Length for the server to check up front. */
	public Response postChunked(String path, String contentType, Supplier<InputStream> body) {
		return send(HttpRequest.newBuilder(uri(path))
				.header("Content-Type", contentType)
				.POST(HttpRequest.BodyPublishers.ofInputStream(body)));
	}

	/** Sends the request, adding the bearer token unless the request has its own Authorization header. */
	public Response send(HttpRequest.Builder builder) {
		HttpRequest request = builder.timeout(Duration.ofMinutes(2)).build();
		if (token != null && request.headers().firstValue("Authorization").isEmpty()) {
			request = HttpRequest.newBuilder(request, (name, value) -> true)
					.header("Authorization", "Bearer " + token.get())
					.build();
		}
		try {
			HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
			return new Response(response);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	public URI uri(String path) {
		return URI.create(root + path);
	}

	public record Response(HttpResponse<String> raw) {
		public int status() {
			return raw.statusCode();
		}

		public String body() {
			return raw.body();
		}

		public String header(String name) {
			return raw.headers().firstValue(name).orElse(null);
		}

		public <T extends IBaseResource> T resource(Class<T> type) {
			String contentType = header("Content-Type");
			IParser parser = contentType != null && contentType.contains("xml")
					? TestServer.fhirContext().newXmlParser()
					: TestServer.fhirContext().newJsonParser();
			return parser.parseResource(type, body());
		}

		public OperationOutcome outcome() {
			return resource(OperationOutcome.class);
		}

		/** All diagnostics of the OperationOutcome in one string, for assertions on what it names. */
		public String diagnostics() {
			StringBuilder text = new StringBuilder();
			outcome().getIssue().forEach(issue -> text.append(issue.getDiagnostics()).append('\n'));
			return text.toString();
		}
	}
}
