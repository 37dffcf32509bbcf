package vn.ehealth.fhir.synth;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import vn.ehealth.fhir.server.security.BackendServicesTokenClient;

/**
 * Loads a generated data set into a running FHIR server: the directory bundle first (in chunks, in
 * order, since its later entries reference earlier ones), then every patient bundle, two at a time
 * by default. Reports resources per second and errors.
 *
 * <pre>
 * mvn -q -pl tests exec:java -Dexec.mainClass=vn.ehealth.fhir.synth.LoadData \
 *   -Dexec.args="--server http://localhost:8080/fhir --dir target/synthetic-data --client-id loader --key loader.private.jwk.json"
 * </pre>
 *
 * Authorisation: {@code --token T} (or the environment variable {@code FHIR_TOKEN}), or
 * {@code --client-id ID --key FILE} to get tokens by SMART Backend Services from the server's token
 * endpoint (renewed before they expire); {@code --scope} (default {@code system/*.cruds}) and
 * {@code --purpose} go with the token request. Other options: {@code --concurrency C} (default 2),
 * {@code --chunk N} (directory entries per transaction, default 500), {@code --limit N} (first N
 * patients only).
 */
public final class LoadData {

	private static final HttpClient HTTP = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(10))
			.build();
	private static final ObjectMapper JSON = new ObjectMapper();

	/** What a load did. */
	public record Result(int bundles, int resources, int errors, double seconds, List<String> firstErrors) {
		public double resourcesPerSecond() {
			return seconds > 0 ? resources / seconds : 0;
		}
	}

	private LoadData() {}

	public static void main(String[] args) throws Exception {
		int status = run(args, System.out);
		if (status != 0) {
			System.exit(status);
		}
	}

	/** The command without exiting: 0 when everything loaded, 1 when something failed, 2 for bad arguments. */
	public static int run(String[] args, PrintStream out) throws Exception {
		String server = "http://localhost:8080/fhir";
		Path dir = Path.of("target", "synthetic-data");
		String token = System.getenv("FHIR_TOKEN");
		String clientId = null;
		Path key = null;
		String scope = "system/*.cruds";
		String purpose = null;
		int concurrency = 2;
		int chunk = 500;
		int limit = Integer.MAX_VALUE;
		boolean synthea = false;
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--server" -> server = args[++i];
				case "--dir" -> dir = Path.of(args[++i]);
				case "--token" -> token = args[++i];
				case "--client-id" -> clientId = args[++i];
				case "--key" -> key = Path.of(args[++i]);
				case "--scope" -> scope = args[++i];
				case "--purpose" -> purpose = args[++i];
				case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
				case "--chunk" -> chunk = Integer.parseInt(args[++i]);
				case "--limit" -> limit = Integer.parseInt(args[++i]);
				case "--synthea" -> synthea = true;
				default -> {
					out.println("unknown option " + args[i] + "\nusage: --server URL --dir DIR [--token T | --client-id ID --key FILE"
							+ " [--scope S] [--purpose P]] [--concurrency C] [--chunk N] [--limit N] [--synthea]");
					return 2;
				}
			}
		}
		String base = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
		Supplier<String> tokens = clientId != null
				? BackendServicesTokenClient.discovering(HTTP, base, clientId, BackendServicesTokenClient.readKey(key), scope, purpose)
				: constant(token);
		if (synthea) {
			Result loaded = loadSynthea(base, tokens, dir, concurrency, out);
			out.println();
			out.println("| load | bundles | resources | resources/s | errors |");
			out.println("| --- | ---: | ---: | ---: | ---: |");
			print(out, "Synthea bundles (" + concurrency + " connections)", loaded);
			loaded.firstErrors().forEach(error -> out.println("error: " + error));
			return loaded.errors() > 0 ? 1 : 0;
		}
		Result directory = loadDirectory(base, tokens, dir, chunk, out);
		Result patients = loadPatients(base, tokens, dir, concurrency, limit, out);
		out.println();
		out.println("| load | bundles | resources | resources/s | errors |");
		out.println("| --- | ---: | ---: | ---: | ---: |");
		print(out, "directory", directory);
		print(out, "patients (" + concurrency + " connections)", patients);
		for (String error : concat(directory.firstErrors(), patients.firstErrors())) {
			out.println("error: " + error);
		}
		return directory.errors() + patients.errors() > 0 ? 1 : 0;
	}

	private static void print(PrintStream out, String what, Result result) {
		out.printf(Locale.ROOT, "| %s | %d | %d | %.0f | %d |%n",
				what, result.bundles(), result.resources(), result.resourcesPerSecond(), result.errors());
	}

	private static List<String> concat(List<String> a, List<String> b) {
		List<String> all = new ArrayList<>(a);
		all.addAll(b);
		return all;
	}

	static Supplier<String> constant(String token) {
		return () -> token;
	}

	/** Posts directory.json as transactions of at most {@code chunk} entries, in file order. */
	public static Result loadDirectory(String base, Supplier<String> tokens, Path dir, int chunk, PrintStream log)
			throws IOException, InterruptedException {
		IParser parser = FhirContext.forR4Cached().newJsonParser();
		Bundle directory = parser.parseResource(Bundle.class, Files.readString(dir.resolve("directory.json"), StandardCharsets.UTF_8));
		List<Bundle.BundleEntryComponent> entries = directory.getEntry();
		List<String> errors = new ArrayList<>();
		int failed = 0;
		int bundles = 0;
		long started = System.nanoTime();
		for (int from = 0; from < entries.size(); from += chunk) {
			Bundle part = new Bundle().setType(Bundle.BundleType.TRANSACTION);
			entries.subList(from, Math.min(entries.size(), from + chunk)).forEach(part::addEntry);
			HttpResponse<String> response = post(base, tokens, parser.encodeResourceToString(part));
			bundles++;
			if (response.statusCode() >= 300) {
				failed++;
				if (errors.size() < 5) {
					errors.add("directory entries " + from + "–" + (from + part.getEntry().size() - 1) + ": " + describe(response));
				}
			}
		}
		double seconds = (System.nanoTime() - started) / 1e9;
		if (log != null) {
			log.printf(Locale.ROOT, "directory: %d resources in %d transactions, %.1f s%n", entries.size(), bundles, seconds);
		}
		return new Result(bundles, entries.size(), failed, seconds, errors);
	}

	/** Posts every bundle of patients/ (in name order) on {@code concurrency} connections. */
	public static Result loadPatients(String base, Supplier<String> tokens, Path dir, int concurrency, int limit, PrintStream log)
			throws IOException, InterruptedException {
		List<Path> files;
		try (Stream<Path> listing = Files.list(dir.resolve("patients"))) {
			files = listing.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().limit(limit).toList();
		}
		return loadBundles(base, tokens, files, concurrency, log);
	}

	/**
	 * Plain Synthea output (its fhir/ directory of transaction bundles, US data): the hospital and
	 * practitioner bundles first, one at a time, then the patients on {@code concurrency} connections.
	 * Synthea patients carry no CCCD, so the server must not enforce the VN profiles on them
	 * (vietfhir.validation.default-mode=off or warn).
	 */
	public static Result loadSynthea(String base, Supplier<String> tokens, Path fhirDir, int concurrency, PrintStream log)
			throws IOException, InterruptedException {
		List<Path> all;
		try (Stream<Path> listing = Files.list(fhirDir)) {
			all = listing.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
		}
		List<Path> shared = all.stream().filter(p -> p.getFileName().toString().startsWith("hospitalInformation")
				|| p.getFileName().toString().startsWith("practitionerInformation")).toList();
		List<Path> patients = all.stream().filter(p -> !shared.contains(p)).toList();
		Result first = loadBundles(base, tokens, shared, 1, log);
		Result rest = loadBundles(base, tokens, patients, concurrency, log);
		List<String> errors = new ArrayList<>(first.firstErrors());
		errors.addAll(rest.firstErrors());
		return new Result(first.bundles() + rest.bundles(), first.resources() + rest.resources(), first.errors() + rest.errors(),
				first.seconds() + rest.seconds(), errors);
	}

	/** Posts each file (a transaction bundle) on {@code concurrency} connections. */
	public static Result loadBundles(String base, Supplier<String> tokens, List<Path> files, int concurrency, PrintStream log)
			throws IOException, InterruptedException {
		return postAll(base, tokens, files.size(), i -> {
			try {
				String body = Files.readString(files.get(i), StandardCharsets.UTF_8);
				return new Upload(files.get(i).getFileName().toString(), body, JSON.readTree(body).path("entry").size());
			} catch (IOException e) {
				throw new java.io.UncheckedIOException(e);
			}
		}, concurrency, log);
	}

	/** One bundle to post: a name for messages, its JSON, the resources it holds. */
	public record Upload(String name, String json, int resources) {}

	/**
	 * Posts {@code count} bundles ({@code upload} gives the i-th, called on the posting thread) on
	 * {@code concurrency} connections; resources count only when their bundle succeeded.
	 */
	public static Result postAll(String base, Supplier<String> tokens, int count, java.util.function.IntFunction<Upload> upload,
			int concurrency, PrintStream log) throws InterruptedException {
		AtomicInteger next = new AtomicInteger();
		AtomicInteger resources = new AtomicInteger();
		AtomicInteger failed = new AtomicInteger();
		AtomicInteger done = new AtomicInteger();
		List<String> errors = Collections.synchronizedList(new ArrayList<>());
		ExecutorService pool = Executors.newFixedThreadPool(concurrency);
		long started = System.nanoTime();
		try {
			List<Future<?>> workers = new ArrayList<>();
			for (int w = 0; w < concurrency; w++) {
				workers.add(pool.submit(() -> {
					for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
						String name = "bundle " + i;
						try {
							Upload bundle = upload.apply(i);
							name = bundle.name();
							HttpResponse<String> response = post(base, tokens, bundle.json());
							if (response.statusCode() >= 300) {
								failed.incrementAndGet();
								if (errors.size() < 5) {
									errors.add(name + ": " + describe(response));
								}
							} else {
								resources.addAndGet(bundle.resources());
							}
						} catch (Exception e) {
							failed.incrementAndGet();
							if (errors.size() < 5) {
								errors.add(name + ": " + e);
							}
						}
						int posted = done.incrementAndGet();
						if (log != null && posted % 100 == 0) {
							double seconds = (System.nanoTime() - started) / 1e9;
							log.printf(Locale.ROOT, "patients: %d of %d bundles, %.0f resources/s, %d errors%n",
									posted, count, resources.get() / seconds, failed.get());
						}
					}
					return null;
				}));
			}
			for (Future<?> worker : workers) {
				worker.get();
			}
		} catch (java.util.concurrent.ExecutionException e) {
			throw new IllegalStateException(e.getCause());
		} finally {
			pool.shutdown();
		}
		double seconds = (System.nanoTime() - started) / 1e9;
		return new Result(count, resources.get(), failed.get(), seconds, List.copyOf(errors));
	}

	private static HttpResponse<String> post(String base, Supplier<String> tokens, String body) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base))
				.header("Content-Type", "application/fhir+json; charset=utf-8")
				.header("Accept", "application/fhir+json")
				.header("Prefer", "return=minimal")
				.timeout(Duration.ofMinutes(30))
				.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
		String token = tokens.get();
		if (token != null && !token.isBlank()) {
			request.header("Authorization", "Bearer " + token);
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
	}

	/** Status and the OperationOutcome's diagnostics, which name the failing entry and rule. */
	private static String describe(HttpResponse<String> response) {
		StringBuilder text = new StringBuilder(String.valueOf(response.statusCode()));
		try {
			JsonNode issues = JSON.readTree(response.body()).path("issue");
			for (JsonNode issue : issues) {
				text.append(" | ").append(issue.path("diagnostics").asText(issue.path("details").path("text").asText()));
				if (issue.has("location")) {
					text.append(" @ ").append(issue.path("location").get(0).asText());
				}
				if (text.length() > 2000) {
					break;
				}
			}
		} catch (Exception notJson) {
			String body = response.body();
			text.append(' ').append(body.length() > 500 ? body.substring(0, 500) + "…" : body);
		}
		return text.toString();
	}
}
