package vn.ehealth.fhir.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The whole benchmark against any FHIR R4 base URL, reported as a Markdown table and as JSON:
 * ingest of transaction bundles at concurrency C, the EHR search mix, $summary and $everything for a
 * median and a large patient, system $export throughput, read by id under concurrency, and an
 * optional sustained mixed load.
 *
 * <pre>
 * mvn -q -pl tests exec:java -Dexec.mainClass=vn.ehealth.fhir.bench.BenchmarkSuite \
 *   -Dexec.args="--server http://localhost:8080/fhir --patients 200 --concurrency 2 --out target/bench"
 * </pre>
 * Options: --token (else FHIR_TOKEN), --patients, --concurrency, --queries, --calls, --read-concurrency,
 * --read-seconds, --median-encounters (60), --large-encounters (250), --sustained-minutes (0: skip), --seed,
 * --first-patient, --skip-ingest, --skip-export, --out.
 */
public final class BenchmarkSuite {

	/** Everything one run measured, in the order it ran. */
	public record Report(Map<String, Object> settings, Map<String, Object> results, String markdown) {}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = options(args);
		Report report = run(options);
		System.out.println(report.markdown());
		Path out = Path.of(options.getOrDefault("out", "target/benchmark"));
		Files.createDirectories(out);
		Files.writeString(out.resolve("results.md"), report.markdown(), StandardCharsets.UTF_8);
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("settings", report.settings());
		json.put("results", report.results());
		new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("results.json").toFile(), json);
		System.out.println("written: " + out.resolve("results.md") + ", " + out.resolve("results.json"));
	}

	public static Report run(Map<String, String> options) throws Exception {
		String base = required(options, "server");
		String token = options.getOrDefault("token", System.getenv("FHIR_TOKEN"));
		int patients = integer(options, "patients", 200);
		int concurrency = integer(options, "concurrency", 2);
		int queries = integer(options, "queries", 50);
		int calls = integer(options, "calls", 100);
		int readConcurrency = integer(options, "read-concurrency", 8);
		int readSeconds = integer(options, "read-seconds", 20);
		int minutes = integer(options, "sustained-minutes", 0);
		long seed = Long.parseLong(options.getOrDefault("seed", "42"));
		int firstPatient = integer(options, "first-patient", 0);

		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("server", base);
		settings.put("date", Instant.now().toString());
		settings.put("patients", patients);
		settings.put("concurrency", concurrency);
		settings.put("seed", seed);
		settings.put("cores", Runtime.getRuntime().availableProcessors());
		Map<String, Object> results = new LinkedHashMap<>();
		StringBuilder md = new StringBuilder();
		md.append(String.format(Locale.ROOT, "## Benchmark of %s (%d patients, seed %d, %s)%n%n", base, patients, seed, settings.get("date")));

		if (!options.containsKey("skip-ingest")) {
			IngestBenchmark.Result ingest = IngestBenchmark.run(base, token, patients, concurrency, seed, 10, firstPatient);
			results.put("ingest", Map.of("bundles", ingest.bundles(), "resources", ingest.resources(), "errors", ingest.errors(),
					"seconds", ingest.seconds(), "resourcesPerSecond", ingest.resourcesPerSecond(),
					"medianBundleMs", ingest.medianBundleMs()));
			md.append("| ingest (transaction bundles) | resources | resources/s | errors | median bundle ms |\n| --- | ---: | ---: | ---: | ---: |\n");
			md.append(String.format(Locale.ROOT, "| concurrency %d | %d | %.0f | %d | %.0f |%n%n", concurrency, ingest.resources(),
					ingest.resourcesPerSecond(), ingest.errors(), ingest.medianBundleMs()));
			if (ingest.errors() > 0) {
				md.append("first error: ").append(ingest.firstError()).append("\n\n");
			}
		}

		Map<String, double[]> searches = SearchBenchmark.run(base, token, patients, queries, seed);
		results.put("search", percentiles(searches));
		md.append("| search mix | p50 ms | p95 ms | p99 ms |\n| --- | ---: | ---: | ---: |\n");
		searches.forEach((name, p) -> md.append(row(name, p)));
		md.append('\n');

		Map<String, Object> records = new LinkedHashMap<>();
		md.append("| patient record | p50 ms | p95 ms | p99 ms |\n| --- | ---: | ---: | ---: |\n");
		Map<String, Integer> sizes = new LinkedHashMap<>();
		sizes.put("median", integer(options, "median-encounters", 60));
		sizes.put("large", integer(options, "large-encounters", 250));
		for (Map.Entry<String, Integer> size : sizes.entrySet()) {
			Map<String, double[]> record = PatientRecordBenchmark.run(base, token, size.getValue(), calls);
			records.put(size.getKey(), percentiles(record));
			int resources = 2 + size.getValue() * 4;
			record.forEach((name, p) -> md.append(row(name + " — " + size.getKey() + " patient (" + resources + " resources)", p)));
		}
		results.put("patientRecord", records);
		md.append('\n');

		if (!options.containsKey("skip-export")) {
			ExportBenchmark.Run export = ExportBenchmark.export(base, token);
			results.put("export", Map.of("resources", export.resources(), "bytes", export.bytes(),
					"secondsToManifest", export.secondsToManifest(), "seconds", export.seconds(),
					"resourcesPerSecond", export.perSecond(), "megabytesPerSecond", export.megabytesPerSecond()));
			md.append("| system $export | resources | MB | time to manifest s | total s | resources/s | MB/s |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
			md.append(String.format(Locale.ROOT, "| kick-off to last file downloaded | %d | %.1f | %.2f | %.2f | %.0f | %.1f |%n%n",
					export.resources(), export.bytes() / 1e6, export.secondsToManifest(), export.seconds(), export.perSecond(),
					export.megabytesPerSecond()));
		}

		ReadBenchmark.Result reads = ReadBenchmark.run(base, token, readConcurrency, Duration.ofSeconds(readSeconds));
		results.put("readById", Map.of("concurrency", readConcurrency, "reads", reads.reads(), "errors", reads.errors(),
				"readsPerSecond", reads.readsPerSecond(), "p50", reads.p50(), "p95", reads.p95(), "p99", reads.p99()));
		md.append("| read by id | reads/s | errors | p50 ms | p95 ms | p99 ms |\n| --- | ---: | ---: | ---: | ---: | ---: |\n");
		md.append(String.format(Locale.ROOT, "| concurrency %d, %d s | %.0f | %d | %.1f | %.1f | %.1f |%n%n", readConcurrency,
				readSeconds, reads.readsPerSecond(), reads.errors(), reads.p50(), reads.p95(), reads.p99()));

		if (minutes > 0) {
			List<SustainedLoad.Minute> load = SustainedLoad.run(base, token, concurrency * 2, minutes, patients, seed);
			results.put("sustained", load);
			md.append("| sustained mixed load, minute | operations | operations/s | errors |\n| --- | ---: | ---: | ---: |\n");
			for (SustainedLoad.Minute minute : load) {
				md.append(String.format(Locale.ROOT, "| %d | %d | %.1f | %d |%n", minute.minute(), minute.operations(),
						minute.operations() / 60.0, minute.errors()));
			}
			md.append('\n');
		}
		return new Report(settings, results, md.toString());
	}

	private static Map<String, Object> percentiles(Map<String, double[]> values) {
		Map<String, Object> out = new LinkedHashMap<>();
		values.forEach((name, p) -> out.put(name, Map.of("p50", p[0], "p95", p[1], "p99", p[2])));
		return out;
	}

	private static String row(String name, double[] p) {
		return String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f |%n", name, p[0], p[1], p[2]);
	}

	static Map<String, String> options(String[] args) {
		Map<String, String> options = new LinkedHashMap<>();
		for (int i = 0; i < args.length; i++) {
			if (!args[i].startsWith("--")) {
				throw new IllegalArgumentException("unexpected argument " + args[i]);
			}
			String name = args[i].substring(2);
			boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
			options.put(name, flag ? "true" : args[++i]);
		}
		return options;
	}

	private static String required(Map<String, String> options, String name) {
		String value = options.get(name);
		if (value == null) {
			throw new IllegalArgumentException("--" + name + " is required");
		}
		return value;
	}

	private static int integer(Map<String, String> options, String name, int fallback) {
		return options.containsKey(name) ? Integer.parseInt(options.get(name)) : fallback;
	}
}
