package vn.ehealth.fhir.server.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import vn.ehealth.fhir.server.bulkimport.InputFetcher;

/**
 * The client side of a Bulk Data system export (Bulk Data Access 2.0): kick-off with
 * {@code Prefer: respond-async}, polling the status URL as its Retry-After says (no longer than a
 * set interval), the manifest with {@code output} and {@code deleted}, streaming downloads.
 */
final class BulkExportClient {

	private static final ObjectMapper JSON = new ObjectMapper();

	/** One file of the manifest. */
	record FileRef(String type, String url, long count) {}

	/** A completed export: where its status is (to release it), its snapshot time, and its files. */
	record Manifest(String statusUrl, Instant transactionTime, List<FileRef> output, List<FileRef> deleted, List<FileRef> error) {}

	private final HttpClient http;
	private final String fhirBase;
	private final Supplier<String> token;
	private final Duration maxPoll;
	private final Duration timeout;
	private final InputFetcher fetcher;

	BulkExportClient(HttpClient http, String fhirBase, Supplier<String> token, Duration maxPoll, Duration timeout) {
		this.http = http;
		this.fhirBase = stripSlash(fhirBase);
		this.token = token;
		this.maxPoll = maxPoll;
		this.timeout = timeout;
		// the source splits its export into files; our disk is the limit
		this.fetcher = new InputFetcher(Long.MAX_VALUE);
	}

	String fhirBase() {
		return fhirBase;
	}

	/** Runs a system export of what changed after {@code since} (everything when null) and waits for its manifest. */
	Manifest export(Instant since, BooleanSupplier alive) {
		String url = fhirBase + "/$export?_outputFormat=" + URLEncoder.encode("application/fhir+ndjson", StandardCharsets.UTF_8)
				+ (since == null ? "" : "&_since=" + URLEncoder.encode(since.toString(), StandardCharsets.UTF_8));
		HttpResponse<String> kickOff = send(HttpRequest.newBuilder(URI.create(url))
				.header("Accept", "application/fhir+json")
				.header("Prefer", "respond-async")
				.GET());
		String status = kickOff.headers().firstValue("Content-Location").orElse(null);
		if (kickOff.statusCode() != 202 || status == null) {
			throw new SyncFailure("The source refused the export " + url + ": HTTP " + kickOff.statusCode() + " " + brief(kickOff.body()));
		}
		Instant deadline = Instant.now().plus(timeout);
		while (true) {
			HttpResponse<String> poll = send(HttpRequest.newBuilder(URI.create(status)).header("Accept", "application/json").GET());
			if (poll.statusCode() == 200) {
				return manifest(status, poll.body());
			}
			if (poll.statusCode() != 202) {
				throw new SyncFailure("The source's export failed: HTTP " + poll.statusCode() + " " + brief(poll.body()));
			}
			if (Instant.now().isAfter(deadline) || !alive.getAsBoolean()) {
				release(status);
				throw new SyncFailure("The source's export did not finish within " + timeout);
			}
			long wait = poll.headers().firstValue("Retry-After").map(BulkExportClient::seconds).orElse(1L) * 1000;
			sleep(Math.max(200, Math.min(wait, maxPoll.toMillis())));
		}
	}

	/** Streams one file of the manifest to disk (its lines never all in memory). */
	void download(FileRef file, Path target, BooleanSupplier alive) throws IOException {
		fetcher.fetch(file.url(), token.get(), target, alive);
	}

	/** Tells the source we are done with the export, so it may delete its files (best effort). */
	void release(String statusUrl) {
		try {
			send(HttpRequest.newBuilder(URI.create(statusUrl)).DELETE());
		} catch (RuntimeException e) {
			// the source deletes expired exports itself
		}
	}

	private Manifest manifest(String status, String body) {
		try {
			JsonNode json = JSON.readTree(body);
			String time = json.path("transactionTime").asText(null);
			if (time == null) {
				throw new SyncFailure("The source's manifest has no transactionTime");
			}
			return new Manifest(status, instant(time), files(json.path("output")), files(json.path("deleted")), files(json.path("error")));
		} catch (IOException e) {
			throw new SyncFailure("The source's manifest is not JSON: " + e.getMessage());
		}
	}

	private static List<FileRef> files(JsonNode array) {
		List<FileRef> files = new ArrayList<>();
		for (JsonNode item : array) {
			files.add(new FileRef(item.path("type").asText(null), item.path("url").asText(), item.path("count").asLong(-1)));
		}
		return files;
	}

	static Instant instant(String text) {
		try {
			return Instant.parse(text);
		} catch (RuntimeException e) {
			return OffsetDateTime.parse(text).toInstant();
		}
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return http.send(request.timeout(Duration.ofMinutes(2)).header("Authorization", "Bearer " + token.get()).build(),
					HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		} catch (IOException e) {
			throw new SyncFailure("The source " + fhirBase + " could not be reached: " + e.getMessage());
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new SyncFailure("Interrupted while talking to " + fhirBase);
		}
	}

	private static long seconds(String retryAfter) {
		try {
			return Long.parseLong(retryAfter.trim());
		} catch (NumberFormatException e) {
			return 1;
		}
	}

	static String stripSlash(String url) {
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}

	private static String brief(String body) {
		return body == null ? "" : body.length() > 500 ? body.substring(0, 500) + "…" : body;
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new SyncFailure("Interrupted while waiting for the source's export");
		}
	}
}
