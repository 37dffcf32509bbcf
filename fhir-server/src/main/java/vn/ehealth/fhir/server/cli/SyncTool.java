package vn.ehealth.fhir.server.cli;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import vn.ehealth.fhir.server.security.BackendServicesTokenClient;
import vn.ehealth.fhir.server.sync.ProvinceSync;
import vn.ehealth.fhir.server.sync.RemoteSync;
import vn.ehealth.fhir.server.sync.SyncFailure;

/**
 * The sync as a command, between two servers over HTTP (docs/sync.md):
 * <pre>
 * sync --source &lt;fhir base&gt; --source-client &lt;id&gt; --source-key &lt;private jwk file&gt;
 *      --target &lt;fhir base&gt; --target-client &lt;id&gt; --target-key &lt;private jwk file&gt;
 *      [--state sync-state.json] [--overlap PT2M] [--timeout PT6H]
 * </pre>
 * What it does is {@link RemoteSync}'s; this class reads the options and prints the outcome.
 */
public final class SyncTool {

	private SyncTool() {}

	public static void main(String[] args) throws Exception {
		try {
			ProvinceSync.Result result = run(args);
			System.out.println("sync done: " + result.received() + " resources received (" + result.changed() + " changed), "
					+ result.deletionsReceived() + " deletions received (" + result.deleted() + " deleted); high-water mark "
					+ result.transactionTime());
		} catch (SyncFailure | BackendServicesTokenClient.Failure | IllegalArgumentException e) {
			System.err.println("sync failed: " + e.getMessage());
			System.exit(1);
		}
	}

	/** Runs one sync; throws {@link SyncFailure} when it could not apply everything (the state file then keeps its mark). */
	public static ProvinceSync.Result run(String... args) throws IOException {
		Map<String, String> options = options(args);
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15)).build();
		RemoteSync.Server source = server(http, options, "source", "system/*.rs");
		RemoteSync.Server target = server(http, options, "target", "system/*.cud");
		return RemoteSync.run(http, source, target, Path.of(options.getOrDefault("state", "sync-state.json")),
				Duration.parse(options.getOrDefault("overlap", "PT2M")), Duration.parse(options.getOrDefault("timeout", "PT6H")));
	}

	/** --source / --target with their -client, -key and -scope options. */
	private static RemoteSync.Server server(HttpClient http, Map<String, String> options, String side, String defaultScope) {
		String fhirBase = required(options, side);
		return new RemoteSync.Server(fhirBase, BackendServicesTokenClient.discovering(http, fhirBase,
				required(options, side + "-client"), BackendServicesTokenClient.readKey(Path.of(required(options, side + "-key"))),
				options.getOrDefault(side + "-scope", defaultScope), null));
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
