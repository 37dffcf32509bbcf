package vn.ehealth.fhir.server.bulkimport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Fetches an NDJSON file over HTTP(S) into a local file, streaming (never the whole file in memory),
 * with a size limit, without following redirects (an allowed host must not be able to send the
 * fetch elsewhere).
 */
public final class InputFetcher {

	/** The input could not be fetched: its URL, its server or its size is at fault, not this server. */
	static final class InputProblem extends RuntimeException {
		InputProblem(String message) {
			super(message);
		}
	}

	private final HttpClient http;
	private final long maxBytes;

	public InputFetcher(long maxBytes) {
		this.http = HttpClient.newBuilder()
				.connectTimeout(Duration.ofSeconds(15))
				.followRedirects(HttpClient.Redirect.NEVER)
				.build();
		this.maxBytes = maxBytes;
	}

	/**
	 * GETs {@code url} into {@code target}; returns its size. {@code bearer} (may be null) is sent as the
	 * access token; {@code alive} is called every few seconds while bytes arrive and may stop the
	 * fetch by returning false.
	 */
	public long fetch(String url, String bearer, Path target, java.util.function.BooleanSupplier alive) throws IOException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
				.timeout(Duration.ofMinutes(10))
				.header("Accept", "application/fhir+ndjson")
				.GET();
		if (bearer != null) {
			request.header("Authorization", "Bearer " + bearer);
		}
		HttpResponse<InputStream> response;
		try {
			response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
		} catch (IOException e) {
			throw new InputProblem("could not fetch " + url + ": " + e.getMessage());
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new InputProblem("fetching " + url + " was interrupted");
		}
		try (InputStream body = response.body()) {
			if (response.statusCode() / 100 != 2) {
				throw new InputProblem(url + " answered HTTP " + response.statusCode()
						+ (response.statusCode() / 100 == 3 ? " (redirects are not followed)" : ""));
			}
			long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
			if (declared > maxBytes) {
				throw new InputProblem(url + " is " + declared + " bytes, above vietfhir.bulk-import.max-upload-size (" + maxBytes + ")");
			}
			long total = 0;
			Instant nextBeat = Instant.now().plusSeconds(5);
			try (OutputStream out = Files.newOutputStream(target)) {
				byte[] buffer = new byte[64 * 1024];
				int n;
				while ((n = body.read(buffer)) >= 0) {
					total += n;
					if (total > maxBytes) {
						throw new InputProblem(url + " is larger than vietfhir.bulk-import.max-upload-size (" + maxBytes + " bytes)");
					}
					out.write(buffer, 0, n);
					if (Instant.now().isAfter(nextBeat)) {
						nextBeat = Instant.now().plusSeconds(5);
						if (!alive.getAsBoolean()) {
							throw new InputProblem("fetching " + url + " was stopped");
						}
					}
				}
			}
			return total;
		} catch (IOException e) {
			throw new InputProblem("could not read " + url + ": " + e.getMessage());
		}
	}
}
