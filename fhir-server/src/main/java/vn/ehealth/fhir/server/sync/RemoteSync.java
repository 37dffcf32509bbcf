package vn.ehealth.fhir.server.sync;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * One sync between two servers over HTTP (the command's; {@link SyncJob} is the in-server job): the
 * source's changes since the high-water mark in a state file go to the target's $import (and its
 * transaction endpoint for deletions); the mark is written (atomically) only after everything was
 * applied, so a crashed or failed run is simply run again.
 */
public final class RemoteSync {

	private static final ObjectMapper JSON = new ObjectMapper();

	/** A server and the access tokens we use on it. */
	public record Server(String fhirBase, Supplier<String> token) {}

	private RemoteSync() {}

	/** Runs one sync; throws {@link SyncFailure} when it could not apply everything (the state file then keeps its mark). */
	public static ProvinceSync.Result run(HttpClient http, Server source, Server target, Path stateFile, Duration overlap,
			Duration timeout) throws IOException {
		String sourceBase = BulkExportClient.stripSlash(source.fhirBase());
		String targetBase = BulkExportClient.stripSlash(target.fhirBase());
		BulkExportClient client = new BulkExportClient(http, sourceBase, source.token(), Duration.ofSeconds(10), timeout);
		ProvinceSync sync = new ProvinceSync(client, new RemoteTarget(http, targetBase, target.token(), timeout),
				overlap, FhirContext.forR4Cached());

		ObjectNode state = Files.exists(stateFile) ? (ObjectNode) JSON.readTree(stateFile.toFile()) : JSON.createObjectNode();
		// one file may remember several source → target pairs
		String key = sourceBase + " -> " + targetBase;
		String mark = state.path(key).path("highWaterMark").asText(null);
		Path workDir = Files.createTempDirectory("vietfhir-sync-");
		try {
			Instant deadline = Instant.now().plus(timeout);
			ProvinceSync.Result result = sync.run(mark == null ? null : Instant.parse(mark), workDir, () -> Instant.now().isBefore(deadline));
			ObjectNode entry = state.putObject(key);
			entry.put("highWaterMark", result.transactionTime().toString());
			entry.put("lastCompleted", Instant.now().toString());
			entry.put("received", result.received());
			entry.put("changed", result.changed());
			entry.put("deleted", result.deleted());
			Path temporary = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
			Files.writeString(temporary, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state));
			Files.move(temporary, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			return result;
		} finally {
			Files.deleteIfExists(workDir);
		}
	}
}
