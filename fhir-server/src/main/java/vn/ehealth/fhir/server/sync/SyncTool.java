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
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sync as a command, between two servers over HTTP (README "Province → national sync"):
 * <pre>
 * sync --source &lt;fhir base&gt; --source-client &lt;id&gt; --source-key &lt;private jwk file&gt;
 *      --target &lt;fhir base&gt; --target-client &lt;id&gt; --target-key &lt;private jwk file&gt;
 *      [--state sync-state.json] [--overlap PT2M] [--timeout PT6H]
 * </pre>
 * The source's changes since the high-water mark in the state file go to the target's $import (and
 * its transaction endpoint for deletions); the mark is written (atomically) only after everything
 * was applied, so a crashed or failed run is simply run again.
 */
public final class SyncTool {

	private static final ObjectMapper JSON = new ObjectMapper();

	private SyncTool() {}

	public static void main(String[] args) throws Exception {
		try {
			ProvinceSync.Result result = run(args);
			System.out.println("sync done: " + result.received() + " resources received (" + result.changed() + " changed), "
					+ result.deletionsReceived() + " deletions received (" + result.deleted() + " deleted); high-water mark "
					+ result.transactionTime());
		} catch (SyncFailure | IllegalArgumentException e) {
			System.err.println("sync failed: " + e.getMessage());
			System.exit(1);
		}
	}

	/** Runs one sync; throws {@link SyncFailure} when it could not apply everything (the state file then keeps its mark). */
	public static ProvinceSync.Result run(String... args) throws IOException {
		Map<String, String> options = options(args);
		String source = SmartBackendToken.stripSlash(required(options, "source"));
		String target = SmartBackendToken.stripSlash(required(options, "target"));
		Path stateFile = Path.of(options.getOrDefault("state", "sync-state.json"));
		Duration overlap = Duration.parse(options.getOrDefault("overlap", "PT2M"));
		Duration timeout = Duration.parse(options.getOrDefault("timeout", "PT6H"));
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15)).build();
		SmartBackendToken sourceToken = new SmartBackendToken(http, source, required(options, "source-client"),
				SmartBackendToken.readKey(Path.of(required(options, "source-key"))), options.getOrDefault("source-scope", "system/*.rs"));
		SmartBackendToken targetToken = new SmartBackendToken(http, target, required(options, "target-client"),
				SmartBackendToken.readKey(Path.of(required(options, "target-key"))), options.getOrDefault("target-scope", "system/*.cud"));
		BulkExportClient client = new BulkExportClient(http, source, sourceToken, Duration.ofSeconds(10), timeout);
		ProvinceSync sync = new ProvinceSync(client, new RemoteTarget(http, target, targetToken, timeout),
				overlap, FhirContext.forR4Cached());

		ObjectNode state = Files.exists(stateFile) ? (ObjectNode) JSON.readTree(stateFile.toFile()) : JSON.createObjectNode();
		// one file may remember several source → target pairs
		String key = source + " -> " + target;
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

	private static Map<String, String> options(String[] args) {
		Map<String, String> options = new LinkedHashMap<>();
		for (int i = 0; i < args.length; i++) {
			String arg = args[i];
			if (arg.equals("sync")) {
				continue;
			}
			if (!arg.startsWith("--")) {
				throw new IllegalArgumentException("unexpected argument " + arg);
			}
			int equals = arg.indexOf('=');
			if (equals > 0) {
				options.put(arg.substring(2, equals), arg.substring(equals + 1));
			} else if (i + 1 < args.length) {
				options.put(arg.substring(2), args[++i]);
			} else {
				throw new IllegalArgumentException(arg + " needs a value");
			}
		}
		return options;
	}

	private static String required(Map<String, String> options, String name) {
		String value = options.get(name);
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException("--" + name + " is required; usage: sync --source <fhir base> --source-client <id>"
					+ " --source-key <private jwk> --target <fhir base> --target-client <id> --target-key <private jwk>"
					+ " [--state sync-state.json] [--overlap PT2M] [--timeout PT6H]");
		}
		return value;
	}
}
