package vn.ehealth.fhir.server.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Another VietFHIR server as the sync's target (the command): each file uploaded to its
 * {@code $import} and polled to the end, deletions as transaction Bundles of DELETE entries.
 */
final class RemoteTarget implements ProvinceSync.Target {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final HttpClient http;
	private final String fhirBase;
	private final Supplier<String> token;
	private final Duration timeout;

	RemoteTarget(HttpClient http, String fhirBase, Supplier<String> token, Duration timeout) {
		this.http = http;
		this.fhirBase = BulkExportClient.stripSlash(fhirBase);
		this.token = token;
		this.timeout = timeout;
	}

	@Override
	public ProvinceSync.Applied importFiles(List<ProvinceSync.TypedFile> files, BooleanSupplier alive) throws IOException {
		long stored = 0;
		long unchanged = 0;
		long failed = 0;
		List<String> samples = new ArrayList<>();
		for (ProvinceSync.TypedFile file : files) {
			if (Files.size(file.file()) == 0) {
				continue;
			}
			HttpResponse<String> kickOff = send(HttpRequest.newBuilder(URI.create(fhirBase + "/$import"))
					.header("Content-Type", "application/fhir+ndjson")
					.header("Accept", "application/fhir+json")
					.header("Prefer", "respond-async")
					.POST(HttpRequest.BodyPublishers.ofFile(file.file())));
			String status = kickOff.headers().firstValue("Content-Location").orElse(null);
			if (kickOff.statusCode() != 202 || status == null) {
				throw new SyncFailure("The target refused the import of " + file.type() + ": HTTP " + kickOff.statusCode() + " " + kickOff.body());
			}
			JsonNode manifest = await(status, alive);
			for (JsonNode output : manifest.path("output")) {
				stored += output.path("count").asLong();
			}
			unchanged += manifest.path("extension").path("unchanged").asLong();
			for (JsonNode error : manifest.path("error")) {
				failed += error.path("count").asLong();
				if (samples.size() < 10) {
					samples.addAll(errorSamples(error.path("url").asText(), 10 - samples.size()));
				}
			}
		}
		return new ProvinceSync.Applied(stored, unchanged, failed, samples);
	}

	private JsonNode await(String status, BooleanSupplier alive) throws IOException {
		Instant deadline = Instant.now().plus(timeout);
		while (true) {
			HttpResponse<String> poll = send(HttpRequest.newBuilder(URI.create(status)).header("Accept", "application/json").GET());
			if (poll.statusCode() == 200) {
				return JSON.readTree(poll.body());
			}
			if (poll.statusCode() != 202) {
				throw new SyncFailure("The target's import failed: HTTP " + poll.statusCode() + " " + poll.body());
			}
			if (Instant.now().isAfter(deadline) || !alive.getAsBoolean()) {
				throw new SyncFailure("The target's import did not finish within " + timeout);
			}
			try {
				Thread.sleep(1_000); // its status, once a second
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new SyncFailure("Interrupted while waiting for the target's import");
			}
		}
	}

	private List<String> errorSamples(String url, int max) throws IOException {
		List<String> samples = new ArrayList<>();
		HttpResponse<String> errors = send(HttpRequest.newBuilder(URI.create(url)).GET());
		for (String line : errors.body().split("\n")) {
			if (samples.size() >= max || line.isBlank()) {
				break;
			}
			samples.add(JSON.readTree(line).path("issue").path(0).path("diagnostics").asText());
		}
		return samples;
	}

	@Override
	public ProvinceSync.Applied delete(List<String> references) throws IOException {
		ProvinceSync.Applied applied = deleteAs("transaction", references);
		return applied != null ? applied : deleteAs("batch", references);
	}

	/** Deletes in one Bundle; null when a transaction was refused as a whole (then each entry on its own, as a batch). */
	private ProvinceSync.Applied deleteAs(String type, List<String> references) throws IOException {
		ObjectNode bundle = JSON.createObjectNode().put("resourceType", "Bundle").put("type", type);
		ArrayNode entries = bundle.putArray("entry");
		references.forEach(ref -> entries.addObject().putObject("request").put("method", "DELETE").put("url", ref));
		HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(fhirBase))
				.header("Content-Type", "application/fhir+json")
				.header("Accept", "application/fhir+json")
				.POST(HttpRequest.BodyPublishers.ofString(bundle.toString(), StandardCharsets.UTF_8)));
		if (response.statusCode() != 200) {
			if (type.equals("transaction")) {
				return null; // one entry refused the whole transaction
			}
			return new ProvinceSync.Applied(0, 0, references.size(), List.of("HTTP " + response.statusCode() + " " + response.body()));
		}
		long deleted = 0;
		long failed = 0;
		List<String> samples = new ArrayList<>();
		JsonNode answer = JSON.readTree(response.body());
		int i = 0;
		for (JsonNode entry : answer.path("entry")) {
			JsonNode result = entry.path("response");
			String status = result.path("status").asText("");
			if (!status.startsWith("2")) {
				failed++;
				if (samples.size() < 10) {
					samples.add(references.get(Math.min(i, references.size() - 1)) + ": " + status + " "
							+ result.path("outcome").path("issue").path(0).path("diagnostics").asText());
				}
			} else if (result.path("outcome").toString().contains("\"SUCCESSFUL_DELETE\"")) {
				deleted++;
			}
			i++;
		}
		return new ProvinceSync.Applied(deleted, 0, failed, samples);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
		try {
			return http.send(request.timeout(Duration.ofMinutes(5)).header("Authorization", "Bearer " + token.get()).build(),
					HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new SyncFailure("Interrupted while talking to the target " + fhirBase);
		}
	}
}
