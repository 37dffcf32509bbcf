package vn.ehealth.fhir.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.nimbusds.jose.jwk.JWK;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;
import vn.ehealth.fhir.server.VietFhirApplication;
import vn.ehealth.fhir.server.security.BackendServicesTokenClient;
import vn.ehealth.fhir.synth.LoadData;

/**
 * How cost grows with data: our server on a fresh embedded database, the directory loaded, then at
 * 1×, 4× and 16× the base number of patients each step's new patients are loaded, half as REST
 * transaction bundles and half through {@code $import} (NDJSON uploads), and measured: ingest
 * resources/s both ways, the search mix, {@code $summary} and {@code $everything}, system
 * {@code $export} resources/s, database size per resource. After the ingest and again after the
 * export the count of every loaded type must equal what was loaded, and the export must hold each
 * of them: anything lost stops the run with the difference. Writes scale.md, scale.json and
 * scale.svg. Outside CI (the full size, base 1,000 Vietnamese or 200 Synthea-like patients, runs
 * for an hour or more):
 *
 * <pre>
 * mvn -q -pl tests exec:java -Dexec.mainClass=vn.ehealth.fhir.bench.ScaleRun \
 *   -Dexec.args="--patients 20 --out target/scale [--data vn|synthea-like] [--security] [--validation enforce|warn|off]"
 * </pre>
 * Other options: --steps 1,4,16, --seed, --concurrency (2), --queries (per kind, 20), --records
 * (patients timed for $summary/$everything, 5), --set key=value (any server setting). The old
 * form {@code ScaleRun basePatients outDir} still works.
 *
 * <p>The 16× step loads for hours: {@code --work DIR} keeps the server's database in DIR instead
 * of a directory removed at exit, {@code --stop-after 4} ends cleanly after that step, and a later
 * {@code --resume} (same options, same --work and --out) continues with the next step on that
 * database, after checking that every type's count is still the last step's.
 */
public final class ScaleRun {

	/** Every type either data set holds; a loaded type outside it is an error of this class. */
	public static final List<String> TYPES = List.of("Patient", "Encounter", "Condition", "Observation", "DiagnosticReport", "MedicationRequest",
			"Immunization", "AllergyIntolerance", "Procedure", "Organization", "Location", "Practitioner", "PractitionerRole",
			"ChargeItemDefinition", "Claim", "ExplanationOfBenefit", "CareTeam", "CarePlan", "DocumentReference", "Provenance");
	/** Largest $import upload: the server's default limit is 1 GB. */
	static final long IMPORT_PART_BYTES = 200_000_000L;
	private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(10)).build();
	private static final ObjectMapper JSON = new ObjectMapper();
	/** Reads scale.json back: it also holds derived figures (perSecond, bytesPerResource) no record takes. */
	private static final ObjectMapper LENIENT = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
	private static final Pattern NEXT = Pattern.compile("\"relation\"\\s*:\\s*\"next\"\\s*,\\s*\"url\"\\s*:\\s*\"([^\"]+)\"");

	/** What to run; {@code stopAfter} is the last step to run this time (0: every step). */
	public record Settings(int basePatients, int[] steps, String data, long seed, int concurrency, int queries, int records,
			boolean security, String validation, int stopAfter) {

		/** Whether a run of these settings can continue one of {@code earlier}: the same data at the same steps. */
		boolean continues(Settings earlier) {
			return basePatients == earlier.basePatients && Arrays.equals(steps, earlier.steps) && data.equals(earlier.data)
					&& seed == earlier.seed && security == earlier.security && validation.equals(earlier.validation);
		}
	}

	/** One way in: patients, resources, seconds. */
	public record Ingest(int patients, long resources, double seconds) {
		public double perSecond() {
			return seconds > 0 ? resources / seconds : 0;
		}
	}

	/** One step, after its data is in. */
	public record Step(int scale, int patients, long resources, Ingest rest, Ingest bulkImport, Map<String, double[]> searches,
			Map<String, double[]> records, long exported, double exportPerSecond, long databaseBytes, Map<String, Long> counts,
			String loadAverage) {
		public double bytesPerResource() {
			return resources > 0 ? (double) databaseBytes / resources : 0;
		}
	}

	public record Report(Settings settings, List<Step> steps, String markdown) {}

	/** A run stopped by a check or an error; the steps measured before it, to write out beside the error. */
	public static final class Stopped extends IllegalStateException {
		private final transient Report partial;

		Stopped(Report partial, Exception cause) {
			super(cause.getMessage(), cause);
			this.partial = partial;
		}

		public Report partial() {
			return partial;
		}
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new LinkedHashMap<>();
		List<String> serverSettings = new ArrayList<>();
		for (int i = 0; i < args.length; i++) {
			if (!args[i].startsWith("--")) {
				options.put(options.containsKey("patients") ? "out" : "patients", args[i]);
			} else if (args[i].equals("--security") || args[i].equals("--resume")) {
				options.put(args[i].substring(2), "true");
			} else if (args[i].equals("--set")) {
				serverSettings.add("--" + args[++i]);
			} else {
				options.put(args[i].substring(2), args[++i]);
			}
		}
		Settings settings = settings(options);
		Path out = Path.of(options.getOrDefault("out", "target/scale"));
		Files.createDirectories(out);
		List<Step> done = options.containsKey("resume") ? stepsToResume(settings, out, options.get("work")) : List.of();
		Path dir = options.containsKey("work") ? Files.createDirectories(Path.of(options.get("work"))) : BenchServer.dataDirectory("vietfhir-scale-");
		JWK key = settings.security() ? BenchClient.newKey() : null;
		ConfigurableApplicationContext server = new SpringApplicationBuilder(VietFhirApplication.class)
				.run(serverArguments(settings, dir, key, serverSettings));
		Report report;
		try {
			String root = "http://localhost:" + ((WebServerApplicationContext) server).getWebServer().getPort();
			Supplier<String> tokens = key == null ? () -> null
					: BackendServicesTokenClient.at(HTTP, root + "/auth/token", BenchClient.CLIENT_ID, key, "system/*.cruds", null);
			// the tables so far after every step: a long run stopped by hand keeps what it measured
			report = run(settings, root + "/fhir", tokens, server.getBean(DataSource.class), System.out, done, partial -> writeQuietly(partial, out));
		} catch (Stopped stopped) {
			if (!stopped.partial().steps().isEmpty()) {
				write(stopped.partial(), out);
			}
			throw stopped;
		} finally {
			server.close();
		}
		write(report, out);
	}

	static Settings settings(Map<String, String> options) {
		String data = options.getOrDefault("data", "vn");
		if (!data.equals("vn") && !data.equals("synthea-like")) {
			throw new IllegalArgumentException("--data is vn or synthea-like, not " + data);
		}
		int[] steps = Arrays.stream(options.getOrDefault("steps", "1,4,16").split(",")).mapToInt(Integer::parseInt).toArray();
		return new Settings(Integer.parseInt(options.getOrDefault("patients", "50")), steps, data,
				Long.parseLong(options.getOrDefault("seed", "42")), Integer.parseInt(options.getOrDefault("concurrency", "2")),
				Integer.parseInt(options.getOrDefault("queries", "20")), Integer.parseInt(options.getOrDefault("records", "5")),
				Boolean.parseBoolean(options.getOrDefault("security", "false")),
				// Synthea's US patients carry no CCCD: the VN profiles would refuse every one
				options.getOrDefault("validation", data.equals("vn") ? "enforce" : "off"),
				Integer.parseInt(options.getOrDefault("stop-after", "0")));
	}

	/** The steps an earlier run of the same settings wrote to {@code out/scale.json}, its database kept in {@code work}. */
	static List<Step> stepsToResume(Settings settings, Path out, String work) throws IOException {
		if (work == null || !Files.isDirectory(Path.of(work))) {
			throw new IllegalArgumentException("--resume needs --work naming the directory the earlier run kept its database in");
		}
		if (settings.security()) {
			// a new run signs with a new key the earlier run's registration does not know
			throw new IllegalArgumentException("--resume runs without --security");
		}
		JsonNode earlier = LENIENT.readTree(out.resolve("scale.json").toFile());
		if (!settings.continues(LENIENT.treeToValue(earlier.path("settings"), Settings.class))) {
			throw new IllegalArgumentException("--resume needs the earlier run's patients, steps, data, seed, security and validation: "
					+ earlier.path("settings"));
		}
		List<Step> steps = new ArrayList<>();
		for (JsonNode step : earlier.path("steps")) {
			steps.add(LENIENT.treeToValue(step, Step.class));
		}
		if (steps.isEmpty()) {
			throw new IllegalArgumentException(out.resolve("scale.json") + " holds no finished step to resume after");
		}
		return steps;
	}

	private static String[] serverArguments(Settings settings, Path dir, JWK key, List<String> extra) {
		List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--vietfhir.data-dir=" + dir, "--vietfhir.web-test-page=false",
				"--logging.level.root=WARN", "--vietfhir.security.enabled=" + settings.security(),
				"--vietfhir.validation.default-mode=" + settings.validation()));
		if (key != null) {
			arguments.addAll(BenchClient.bootstrapArguments(dir, key));
		}
		arguments.addAll(extra);
		return arguments.toArray(String[]::new);
	}

	/**
	 * The run against a server already started (empty or not: counts are checked against what was
	 * there before plus what this run loaded); {@code database} its DataSource, for the size.
	 */
	public static Report run(Settings settings, String base, Supplier<String> tokens, DataSource database, PrintStream log) throws Exception {
		return run(settings, base, tokens, database, log, List.of(), report -> { });
	}

	/**
	 * As above, continuing after the steps {@code done} (an earlier run's on this server, which then
	 * must hold exactly what their last step counted), and handing the report so far to
	 * {@code afterStep} after every step.
	 */
	public static Report run(Settings settings, String base, Supplier<String> tokens, DataSource database, PrintStream log, List<Step> done,
			java.util.function.Consumer<Report> afterStep) throws Exception {
		int largest = settings.basePatients() * settings.steps()[settings.steps().length - 1];
		ScaleData data = settings.data().equals("vn") ? ScaleData.vietnamese(settings.seed(), largest) : ScaleData.syntheaLike(settings.seed());
		List<Step> steps = new ArrayList<>(done);
		Map<String, Long> expected;
		long baseline;
		if (done.isEmpty()) {
			expected = new TreeMap<>(countAll(base, tokens));
			baseline = total(expected);
			List<Bundle> directory = data.directory();
			LoadData.Result loaded = LoadData.postAll(base, tokens, directory.size(),
					i -> upload("directory " + i, directory.get(i)), 1, null);
			requireNoErrors("directory", loaded);
			directory.forEach(bundle -> add(expected, ScaleData.countByType(bundle)));
			log.printf(Locale.ROOT, "%s: directory of %d resources loaded in %.1f s%n", data.name(), loaded.resources(), loaded.seconds());
		} else {
			Step last = done.get(done.size() - 1);
			expected = new TreeMap<>(last.counts());
			check(base, tokens, expected, "on resuming after the " + last.scale() + "× step");
			baseline = total(expected) - last.resources();
			log.printf(Locale.ROOT, "resuming after the %d× step: %d patients, %d resources%n", last.scale(), last.patients(), last.resources());
		}
		Map<String, String> conditional = new ConcurrentHashMap<>();
		Path work = Files.createTempDirectory("vietfhir-scale-data-");
		try {
			growInSteps(settings, base, tokens, database, log, data, expected, baseline, conditional, steps, work,
					() -> afterStep.accept(new Report(settings, List.copyOf(steps), markdown(settings, data.name(), steps))));
		} catch (Exception e) {
			throw new Stopped(new Report(settings, steps, steps.isEmpty() ? "" : markdown(settings, data.name(), steps)), e);
		} finally {
			FileSystemUtils.deleteRecursively(work);
		}
		return new Report(settings, steps, markdown(settings, data.name(), steps));
	}

	private static void growInSteps(Settings settings, String base, Supplier<String> tokens, DataSource database, PrintStream log,
			ScaleData data, Map<String, Long> expected, long baseline, Map<String, String> conditional, List<Step> steps,
			Path work, Runnable afterStep) throws Exception {
		Step last = steps.isEmpty() ? null : steps.get(steps.size() - 1);
		int patients = last == null ? 0 : last.patients();
		for (int scale : settings.steps()) {
			if (last != null && scale <= last.scale()) {
				continue;
			}
			if (settings.stopAfter() > 0 && scale > settings.stopAfter()) {
				log.printf(Locale.ROOT, "stopping after the %d× step (--stop-after; with --work, --resume continues)%n", settings.stopAfter());
				return;
			}
			int target = settings.basePatients() * scale;
			int middle = patients + (target - patients) / 2;
			String loadBefore = loadAverage();
			Ingest rest = restIngest(base, tokens, data, patients, middle, settings.concurrency(), work, expected, log);
			Ingest bulk = importIngest(base, tokens, data, middle, target, work, expected,
					reference -> conditional.computeIfAbsent(reference, r -> resolve(base, tokens, r)));
			patients = target;
			check(base, tokens, expected, "after loading " + patients + " patients");
			Map<String, ScaleData.PatientKeys> sample = sample(data, patients, settings.queries());
			Map<String, String> ids = patientIds(base, tokens, sample);
			Map<String, double[]> searches = searchMix(base, tokens, sample, ids);
			Map<String, double[]> records = records(base, tokens, ids.values().stream().limit(settings.records()).toList());
			ExportBenchmark.TypedRun export = ExportBenchmark.exportByType(base, tokens);
			checkExport(export.byType(), expected);
			check(base, tokens, expected, "after the export at " + patients + " patients");
			long stored = total(expected) - baseline;
			Step step = new Step(scale, patients, stored, rest, bulk, searches, records, export.run().resources(), export.run().perSecond(),
					databaseSize(database), Map.copyOf(expected), loadBefore + " → " + loadAverage());
			steps.add(step);
			log.printf(Locale.ROOT, "%d×: %d patients, %d resources; REST %.0f res/s, $import %.0f res/s, $export %.0f res/s, %.0f bytes/resource%n",
					scale, patients, stored, rest.perSecond(), bulk.perSecond(), step.exportPerSecond(), step.bytesPerResource());
			afterStep.run();
		}
	}

	// ---------------------------------------------------------------- ingest

	/** Patients [from, to) as transaction bundles: written to files first, so generating them is not timed. */
	private static Ingest restIngest(String base, Supplier<String> tokens, ScaleData data, int from, int to, int concurrency, Path work,
			Map<String, Long> expected, PrintStream log) throws Exception {
		IParser parser = FhirContext.forR4Cached().newJsonParser();
		List<Path> files = new ArrayList<>();
		List<Integer> sizes = new ArrayList<>();
		Map<String, Long> counts = new TreeMap<>();
		for (int n = from; n < to; n++) {
			Bundle bundle = data.transaction(n);
			add(counts, ScaleData.countByType(bundle));
			Path file = work.resolve("patient-" + n + ".json");
			Files.writeString(file, parser.encodeResourceToString(bundle), StandardCharsets.UTF_8);
			files.add(file);
			sizes.add(bundle.getEntry().size());
		}
		LoadData.Result result = LoadData.postAll(base, tokens, files.size(), i -> {
			try {
				return new LoadData.Upload(files.get(i).getFileName().toString(), Files.readString(files.get(i), StandardCharsets.UTF_8), sizes.get(i));
			} catch (IOException e) {
				throw new UncheckedIOException(e);
			}
		}, concurrency, log);
		for (Path file : files) {
			Files.delete(file);
		}
		requireNoErrors("REST transactions of patients " + from + "–" + (to - 1), result);
		counts.forEach((type, count) -> expected.merge(type, count, Long::sum));
		return new Ingest(to - from, result.resources(), result.seconds());
	}

	/** Patients [from, to) as NDJSON uploads to $import (parts of at most 200 MB, one job after another). */
	private static Ingest importIngest(String base, Supplier<String> tokens, ScaleData data, int from, int to, Path work,
			Map<String, Long> expected, java.util.function.UnaryOperator<String> conditional) throws Exception {
		IParser parser = FhirContext.forR4Cached().newJsonParser().setPrettyPrint(false);
		List<Path> parts = new ArrayList<>();
		Map<String, Long> counts = new TreeMap<>();
		BufferedWriter writer = null;
		long written = 0;
		for (int n = from; n < to; n++) {
			if (writer == null || written > IMPORT_PART_BYTES) {
				if (writer != null) {
					writer.close();
				}
				Path part = work.resolve("import-" + n + ".ndjson");
				parts.add(part);
				writer = Files.newBufferedWriter(part, StandardCharsets.UTF_8);
				written = 0;
			}
			for (Resource resource : data.forImport(n, conditional)) {
				String line = parser.encodeResourceToString(resource);
				writer.write(line);
				writer.write('\n');
				written += line.length() + 1;
				counts.merge(resource.fhirType(), 1L, Long::sum);
			}
		}
		if (writer != null) {
			writer.close();
		}
		long resources = counts.values().stream().mapToLong(Long::longValue).sum();
		double seconds = 0;
		for (Path part : parts) {
			seconds += importPart(base, tokens, part);
			Files.delete(part);
		}
		counts.forEach((type, count) -> expected.merge(type, count, Long::sum));
		return new Ingest(to - from, resources, seconds);
	}

	/** One upload, polled to its manifest; seconds from kick-off to manifest. Any refused line stops the run. */
	private static double importPart(String base, Supplier<String> tokens, Path ndjson) throws Exception {
		long start = System.nanoTime();
		HttpResponse<String> kickOff = HTTP.send(SearchBenchmark.withToken(HttpRequest.newBuilder(URI.create(base + "/$import")), tokens.get())
				.header("Content-Type", "application/fhir+ndjson").POST(HttpRequest.BodyPublishers.ofFile(ndjson)).build(),
				HttpResponse.BodyHandlers.ofString());
		if (kickOff.statusCode() != 202) {
			throw new IllegalStateException("$import answered " + kickOff.statusCode() + ": " + kickOff.body());
		}
		String status = kickOff.headers().firstValue("Content-Location").orElseThrow();
		while (true) {
			Thread.sleep(200);
			HttpResponse<String> poll = HTTP.send(SearchBenchmark.withToken(HttpRequest.newBuilder(URI.create(status)), tokens.get()).GET().build(),
					HttpResponse.BodyHandlers.ofString());
			if (poll.statusCode() == 200) {
				double seconds = (System.nanoTime() - start) / 1e9;
				JsonNode manifest = JSON.readTree(poll.body());
				for (JsonNode error : manifest.path("error")) {
					if (error.path("count").asLong() > 0) {
						HttpResponse<String> errors = HTTP.send(SearchBenchmark.withToken(HttpRequest.newBuilder(URI.create(error.path("url").asText())),
								tokens.get()).GET().build(), HttpResponse.BodyHandlers.ofString());
						throw new IllegalStateException("$import refused " + error.path("count").asLong() + " lines: "
								+ abbreviate(errors.body(), 2_000));
					}
				}
				return seconds;
			}
			if (poll.statusCode() != 202) {
				throw new IllegalStateException("$import failed: " + poll.statusCode() + " " + poll.body());
			}
		}
	}

	/** A conditional reference (Practitioner?identifier=…) as the Type/id it names; exactly one match or the run stops. */
	private static String resolve(String base, Supplier<String> tokens, String conditional) {
		int query = conditional.indexOf('?');
		String type = conditional.substring(0, query);
		StringBuilder url = new StringBuilder(base).append('/').append(type).append('?');
		for (String pair : conditional.substring(query + 1).split("&")) {
			int eq = pair.indexOf('=');
			url.append(pair, 0, eq + 1).append(URLEncoder.encode(pair.substring(eq + 1), StandardCharsets.UTF_8)).append('&');
		}
		JsonNode bundle = getJson(url + "_elements=id", tokens);
		if (bundle.path("entry").size() != 1) {
			throw new IllegalStateException(conditional + " matches " + bundle.path("entry").size() + " resources, not one");
		}
		return type + "/" + bundle.path("entry").get(0).path("resource").path("id").asText();
	}

	// ---------------------------------------------------------------- checks

	private static Map<String, Long> countAll(String base, Supplier<String> tokens) {
		Map<String, Long> counts = new TreeMap<>();
		for (String type : TYPES) {
			counts.put(type, getJson(base + "/" + type + "?_summary=count", tokens).path("total").asLong());
		}
		return counts;
	}

	/** Every type's count equals what is expected, or the run stops naming each difference. */
	public static void check(String base, Supplier<String> tokens, Map<String, Long> expected, String when) {
		Map<String, Long> found = countAll(base, tokens);
		List<String> differences = new ArrayList<>();
		for (String type : TYPES) {
			long want = expected.getOrDefault(type, 0L);
			if (found.get(type) != want) {
				differences.add(type + ": expected " + want + ", found " + found.get(type));
			}
		}
		if (!differences.isEmpty()) {
			throw new IllegalStateException("RESOURCES LOST OR ADDED " + when + ": " + String.join("; ", differences));
		}
	}

	/** The export holds every loaded resource of every type (other types, e.g. AuditEvent, are not compared). */
	static void checkExport(Map<String, Long> exported, Map<String, Long> expected) {
		List<String> differences = new ArrayList<>();
		expected.forEach((type, want) -> {
			if (exported.getOrDefault(type, 0L).longValue() != want) {
				differences.add(type + ": expected " + want + ", exported " + exported.getOrDefault(type, 0L));
			}
		});
		if (!differences.isEmpty()) {
			throw new IllegalStateException("EXPORT INCOMPLETE: " + String.join("; ", differences));
		}
	}

	private static void requireNoErrors(String what, LoadData.Result result) {
		if (result.errors() > 0) {
			throw new IllegalStateException(what + ": " + result.errors() + " bundles failed: " + String.join(" | ", result.firstErrors()));
		}
	}

	// ---------------------------------------------------------------- reads

	/** {@code queries} patients spread over those loaded, by their identifier (the search key), with their keys. */
	private static Map<String, ScaleData.PatientKeys> sample(ScaleData data, int patients, int queries) {
		Map<String, ScaleData.PatientKeys> sample = new LinkedHashMap<>();
		int count = Math.min(queries, patients);
		for (int i = 0; i < count; i++) {
			ScaleData.PatientKeys keys = ScaleData.keys(ScaleData.resources(data.transaction((int) ((long) i * patients / count))));
			sample.put(keys.identifier(), keys);
		}
		return sample;
	}

	/** The stored id of each sampled patient, found by identifier (a POSTed patient's id is the server's). */
	private static Map<String, String> patientIds(String base, Supplier<String> tokens, Map<String, ScaleData.PatientKeys> sample) {
		Map<String, String> ids = new LinkedHashMap<>();
		for (String identifier : sample.keySet()) {
			JsonNode found = getJson(base + "/Patient?_elements=id&identifier=" + enc(identifier), tokens);
			if (found.path("entry").size() != 1) {
				throw new IllegalStateException("Patient?identifier=" + identifier + " found " + found.path("entry").size() + " patients, not one");
			}
			ids.put(identifier, found.path("entry").get(0).path("resource").path("id").asText());
		}
		return ids;
	}

	/** The EHR search mix; one untimed round first (caches, JIT), then each query once per sampled patient. */
	private static Map<String, double[]> searchMix(String base, Supplier<String> tokens, Map<String, ScaleData.PatientKeys> sample,
			Map<String, String> ids) {
		Map<String, Function<ScaleData.PatientKeys, String>> mix = new LinkedHashMap<>();
		mix.put("Patient?identifier=", k -> "Patient?identifier=" + enc(k.identifier()));
		mix.put("Patient?family=&given=&birthdate=", k -> "Patient?family=" + enc(k.family()) + "&given=" + enc(k.given()) + "&birthdate=" + k.birthDate());
		mix.put("Observation?patient=&code=&_sort=-date", k -> "Observation?patient=" + ids.get(k.identifier()) + "&code=" + enc(k.observationCode())
				+ "&_sort=-date");
		mix.put("Condition?patient=", k -> "Condition?patient=" + ids.get(k.identifier()));
		mix.put("Encounter?patient=&date=ge&date=lt (2 years)", k -> "Encounter?patient=" + ids.get(k.identifier()) + "&date=ge" + k.encounterYear()
				+ "-01-01&date=lt" + (k.encounterYear() + 2) + "-01-01");
		Map<String, double[]> results = new LinkedHashMap<>();
		for (Map.Entry<String, Function<ScaleData.PatientKeys, String>> kind : mix.entrySet()) {
			sample.values().stream().limit(3).forEach(keys -> time(base + "/" + kind.getValue().apply(keys), tokens, false));
			List<Double> latencies = new ArrayList<>();
			for (ScaleData.PatientKeys keys : sample.values()) {
				latencies.add(time(base + "/" + kind.getValue().apply(keys), tokens, false));
			}
			results.put(kind.getKey(), SearchBenchmark.percentiles(latencies));
		}
		return results;
	}

	/** $summary and the whole $everything (every page) of each patient, after one untimed call of each. */
	private static Map<String, double[]> records(String base, Supplier<String> tokens, List<String> patientIds) {
		Map<String, double[]> results = new LinkedHashMap<>();
		Map<String, Function<String, String>> calls = new LinkedHashMap<>();
		calls.put("Patient/[id]/$summary", id -> base + "/Patient/" + id + "/$summary");
		calls.put("Patient/[id]/$everything (every page of _count=100)", id -> base + "/Patient/" + id + "/$everything?_count=100");
		for (Map.Entry<String, Function<String, String>> call : calls.entrySet()) {
			boolean everyPage = call.getKey().contains("every page");
			time(call.getValue().apply(patientIds.get(0)), tokens, everyPage);
			List<Double> latencies = new ArrayList<>();
			for (String id : patientIds) {
				latencies.add(time(call.getValue().apply(id), tokens, everyPage));
			}
			results.put(call.getKey(), SearchBenchmark.percentiles(latencies));
		}
		return results;
	}

	/** Milliseconds of the GET (and with {@code everyPage}, of every next page); anything but 200 stops the run. */
	private static double time(String url, Supplier<String> tokens, boolean everyPage) {
		long start = System.nanoTime();
		String next = url;
		while (next != null) {
			String body = get(next, tokens);
			Matcher link = NEXT.matcher(body);
			next = everyPage && link.find() ? link.group(1).replace("\\u0026", "&") : null;
		}
		return (System.nanoTime() - start) / 1e6;
	}

	private static JsonNode getJson(String url, Supplier<String> tokens) {
		try {
			return JSON.readTree(get(url, tokens));
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private static String get(String url, Supplier<String> tokens) {
		try {
			HttpResponse<String> response = HTTP.send(SearchBenchmark.withToken(HttpRequest.newBuilder(URI.create(url)), tokens.get())
					.header("Accept", "application/fhir+json").timeout(Duration.ofMinutes(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException(url + " -> " + response.statusCode() + " " + abbreviate(response.body(), 500));
			}
			return response.body();
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	// ---------------------------------------------------------------- helpers

	private static LoadData.Upload upload(String name, Bundle bundle) {
		return new LoadData.Upload(name, FhirContext.forR4Cached().newJsonParser().encodeResourceToString(bundle), bundle.getEntry().size());
	}

	private static long total(Map<String, Long> counts) {
		return counts.values().stream().mapToLong(Long::longValue).sum();
	}

	private static void add(Map<String, Long> totals, Map<String, Integer> counts) {
		counts.forEach((type, count) -> {
			if (!TYPES.contains(type)) {
				throw new IllegalStateException("ScaleRun.TYPES lacks " + type + ": its count would not be checked");
			}
			totals.merge(type, (long) count, Long::sum);
		});
	}

	/** The whole database: rows, indexes, versions, audit and search tables together. */
	static long databaseSize(DataSource database) throws Exception {
		if (database == null) {
			return 0;
		}
		try (Connection connection = database.getConnection();
				ResultSet rs = connection.createStatement().executeQuery("SELECT pg_database_size(current_database())")) {
			rs.next();
			return rs.getLong(1);
		}
	}

	/** The machine's load average (1, 5, 15 minutes): the figures mean little on a busy machine. */
	static String loadAverage() {
		try {
			String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
			return parts[0] + " " + parts[1] + " " + parts[2];
		} catch (IOException | RuntimeException e) {
			return "?";
		}
	}

	private static String enc(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static String abbreviate(String text, int max) {
		return text.length() > max ? text.substring(0, max) + "…" : text;
	}

	// ---------------------------------------------------------------- output

	private static void writeQuietly(Report report, Path out) {
		try {
			writeFiles(report, out);
		} catch (IOException e) {
			System.err.println("could not write the tables so far: " + e);
		}
	}

	static void write(Report report, Path out) throws IOException {
		System.out.println(report.markdown());
		writeFiles(report, out);
		System.out.println("written: " + out.resolve("scale.md") + ", scale.json, scale.svg");
	}

	private static void writeFiles(Report report, Path out) throws IOException {
		Files.createDirectories(out);
		Files.writeString(out.resolve("scale.md"), report.markdown(), StandardCharsets.UTF_8);
		Files.writeString(out.resolve("scale.svg"), ScaleChart.svg(report.steps()), StandardCharsets.UTF_8);
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("date", Instant.now().toString());
		json.put("settings", report.settings());
		json.put("steps", report.steps());
		new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("scale.json").toFile(), json);
	}

	static String markdown(Settings settings, String data, List<Step> steps) {
		StringBuilder md = new StringBuilder();
		md.append(String.format(Locale.ROOT, "%s, base %d patients, seed %d, validation %s, security %s, %d connections, %d cores, %s%n%n",
				data, settings.basePatients(), settings.seed(), settings.validation(), settings.security() ? "on" : "off",
				settings.concurrency(), Runtime.getRuntime().availableProcessors(), Instant.now()));
		md.append("| step | patients | resources | REST transactions res/s | $import res/s | system $export res/s | database MB | bytes/resource |"
				+ " counts after ingest and export | load average (before → after) |\n");
		md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |\n");
		for (Step s : steps) {
			md.append(String.format(Locale.ROOT, "| %d× | %d | %d | %.0f (%d patients) | %.0f (%d patients) | %.0f | %.0f | %.0f | equal | %s |%n",
					s.scale(), s.patients(), s.resources(), s.rest().perSecond(), s.rest().patients(), s.bulkImport().perSecond(),
					s.bulkImport().patients(), s.exportPerSecond(), s.databaseBytes() / 1e6, s.bytesPerResource(), s.loadAverage()));
		}
		md.append('\n').append(timings("search p50 ms (p95)", steps, Step::searches));
		md.append('\n').append(timings("patient record p50 ms (p95)", steps, Step::records));
		md.append("\n| resources by type (last step) | count |\n| --- | ---: |\n");
		new TreeMap<>(steps.get(steps.size() - 1).counts()).forEach((type, count) -> {
			if (count > 0) {
				md.append("| ").append(type).append(" | ").append(count).append(" |\n");
			}
		});
		return md.toString();
	}

	private static String timings(String title, List<Step> steps, Function<Step, Map<String, double[]>> of) {
		StringBuilder md = new StringBuilder("| ").append(title).append(" |");
		steps.forEach(s -> md.append(' ').append(s.scale()).append("× |"));
		md.append("\n| --- |");
		steps.forEach(s -> md.append(" ---: |"));
		md.append('\n');
		for (String query : of.apply(steps.get(0)).keySet()) {
			md.append("| ").append(query).append(" |");
			for (Step s : steps) {
				double[] p = of.apply(s).get(query);
				md.append(String.format(Locale.ROOT, " %.1f (%.1f) |", p[0], p[1]));
			}
			md.append('\n');
		}
		return md.toString();
	}
}
