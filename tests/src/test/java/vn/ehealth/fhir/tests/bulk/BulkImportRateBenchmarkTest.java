package vn.ehealth.fhir.tests.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import vn.ehealth.fhir.bench.BulkImportBenchmark;
import vn.ehealth.fhir.bench.IngestBenchmark;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * Issue 21's measurement, in one sitting: REST transaction ingest, then $import of the same kind of
 * data with validation enforced, then with validation off (a second server), each import profiled with
 * JFR; prints resources/s and where the CPU went (top frames by share). A benchmark, not a check: runs
 * only with {@code -DimportBench=<patients>}, e.g.
 * {@code mvn -B -o -pl tests -am verify -Dtest=BulkImportRateBenchmarkTest -DimportBench=100
 * -Dsurefire.failIfNoSpecifiedTests=false}; or, on a machine so busy that surefire loses its fork, with
 * {@code java -XX:FlightRecorderOptions:stackdepth=256 -cp <test classpath>
 * vn.ehealth.fhir.tests.bulk.BulkImportRateBenchmarkTest <patients>} (deep HAPI stacks need the larger
 * JFR stack depth for the phase shares); {@code ... BulkImportRateBenchmarkTest analyse <file.jfr>} prints
 * the tables of a recording again.
 */
@EnabledIfSystemProperty(named = "importBench", matches = "\\d+")
class BulkImportRateBenchmarkTest {

	private static final int ENCOUNTERS = 12;
	/** Methods whose samples (anywhere on the stack) tell which phase of a chunk the CPU was in. */
	private static final List<String> PHASES = List.of(
			"NdjsonImporter.prepare", "NdjsonImporter.commit", "ProfileEnforcingInterceptor.validateEntries",
			"FhirInstanceValidator", "TransactionProcessor.preFetch", "BaseTransactionProcessor.doTransactionWriteOperations",
			"BaseHapiFhirResourceDao.doUpdate", "SearchParamExtractorService", "BaseHapiFhirDao.updateEntity",
			"hibernate.search", "org.apache.lucene", "org.postgresql", "SessionImpl.flush", "AbstractFlushingEventListener",
			"InterceptorService", "AuditTrailInterceptor", "JsonParser.parseResource", "BaseParser.encodeResourceToString",
			"NdjsonImporter.parse", "storeOneByOne", "MatchResourceUrlService", "ResourceLinkExtractor",
			"ReferentialIntegrity", "DaoResourceLinkResolver");

	public static void main(String[] args) throws Exception {
		if (args.length == 2 && args[0].equals("analyse")) {
			System.out.println(topFrames(Path.of(args[1]), args[1]));
			return;
		}
		System.setProperty("importBench", args.length > 0 ? args[0] : "40");
		new BulkImportRateBenchmarkTest().importRatesBesideRestIngest();
		System.exit(0);
	}

	@Test
	void importRatesBesideRestIngest() throws Exception {
		int patients = Integer.parseInt(System.getProperty("importBench"));
		Path out = Files.createDirectories(Path.of("target", "import-bench"));
		Map<String, Object> big = Map.of("vietfhir.bulk-import.max-upload-size", "200MB", "logging.level.root", "WARN");
		StringBuilder report = new StringBuilder();

		TestServer enforce = TestServer.start("vietfhir-importbench-", big);
		try {
			warmUp(enforce);
			String ndjson = BulkImportBenchmark.ndjson(patients, 2, ENCOUNTERS);
			BulkImportBenchmark.Result first = profiled(out.resolve("import-enforce.jfr"),
					() -> BulkImportBenchmark.run(enforce.baseUrl(), enforce.tokens()::token, ndjson));
			assertThat(first.errors()).isZero();
			report.append(row("$import new, enforce", first));
			printed(topFrames(out.resolve("import-enforce.jfr"), "enforce"));
			BulkImportBenchmark.Result again = BulkImportBenchmark.run(enforce.baseUrl(), enforce.tokens()::token, ndjson);
			assertThat(again.unchanged()).isEqualTo(again.resources());
			report.append(row("$import again (unchanged), enforce", again));
			// last: one token serves the whole REST run, which a very busy machine may outlast
			IngestBenchmark.Result rest = IngestBenchmark.run(enforce.baseUrl(), enforce.tokens().token(), patients, 2, 1, ENCOUNTERS, 0);
			assertThat(rest.errors()).as(rest.firstError()).isZero();
			report.append(printed(String.format("| REST transactions (2 clients), enforce | %d | %.1f s | %.0f/s |%n",
					rest.resources(), rest.seconds(), rest.resourcesPerSecond())));
		} finally {
			enforce.stop();
		}

		Map<String, Object> off = new HashMap<>(big);
		off.put("vietfhir.validation.default-mode", "off");
		TestServer unvalidated = TestServer.start("vietfhir-importbench-off-", off);
		try {
			warmUp(unvalidated);
			String ndjson = BulkImportBenchmark.ndjson(patients, 3, ENCOUNTERS);
			BulkImportBenchmark.Result first = profiled(out.resolve("import-off.jfr"),
					() -> BulkImportBenchmark.run(unvalidated.baseUrl(), unvalidated.tokens()::token, ndjson));
			assertThat(first.errors()).isZero();
			report.append(row("$import new, validation off", first));
		} finally {
			unvalidated.stop();
		}
		report.append(topFrames(out.resolve("import-enforce.jfr"), "enforce"));
		report.append(topFrames(out.resolve("import-off.jfr"), "off"));
		Files.writeString(out.resolve("report.md"), report);
		System.out.println(report);
	}

	private static void warmUp(TestServer server) throws Exception {
		IngestBenchmark.run(server.baseUrl(), server.tokens().token(), 6, 2, 7, ENCOUNTERS, 0);
		BulkImportBenchmark.run(server.baseUrl(), server.tokens()::token, BulkImportBenchmark.ndjson(6, 8, ENCOUNTERS));
	}

	private static String row(String what, BulkImportBenchmark.Result result) {
		return printed(String.format("| %s | %d | %.1f s | %.0f/s |%n", what, result.resources(), result.seconds(), result.resourcesPerSecond()));
	}

	/** Printed at once: on a busy machine a later step may not finish. */
	private static String printed(String row) {
		System.out.print(row);
		return row;
	}

	interface Run {
		BulkImportBenchmark.Result run() throws Exception;
	}

	private static BulkImportBenchmark.Result profiled(Path file, Run run) throws Exception {
		try (Recording recording = new Recording()) {
			// stacks deeper than JFR's default 64 frames need -XX:FlightRecorderOptions:stackdepth=256
			recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
			recording.start();
			BulkImportBenchmark.Result result = run.run();
			recording.stop();
			recording.dump(file);
			return result;
		}
	}

	/** Self time by top frame, and the share of samples with each phase's method on the stack. */
	private static String topFrames(Path file, String label) throws Exception {
		Map<String, Integer> self = new HashMap<>();
		Map<String, Integer> threads = new HashMap<>();
		Map<String, Integer> inclusive = new LinkedHashMap<>();
		int total = 0;
		for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
			if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
				continue;
			}
			total++;
			threads.merge(threadGroup(event), 1, Integer::sum);
			List<RecordedFrame> frames = event.getStackTrace().getFrames();
			if (!frames.isEmpty()) {
				self.merge(name(frames.get(0)), 1, Integer::sum);
			}
			Set<String> seen = new LinkedHashSet<>();
			for (RecordedFrame frame : frames) {
				String name = name(frame);
				for (String phase : PHASES) {
					if (name.contains(phase)) {
						seen.add(phase);
					}
				}
			}
			seen.forEach(phase -> inclusive.merge(phase, 1, Integer::sum));
		}
		StringBuilder text = new StringBuilder("\n### " + label + ": " + total + " samples\n| phase (on stack) | share |\n|---|---|\n");
		int n = total;
		threads.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
				.forEach(e -> text.append(String.format("| thread %s | %.1f %% |%n", e.getKey(), 100.0 * e.getValue() / n)));
		inclusive.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
				.forEach(e -> text.append(String.format("| %s | %.1f %% |%n", e.getKey(), 100.0 * e.getValue() / n)));
		text.append("| top frame (self) | share |\n|---|---|\n");
		List<Map.Entry<String, Integer>> top = new ArrayList<>(self.entrySet());
		top.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
		top.stream().limit(20).forEach(e -> text.append(String.format("| %s | %.1f %% |%n", e.getKey(), 100.0 * e.getValue() / n)));
		return text.toString();
	}

	/** A thread's name without its number (pool threads of one kind together). */
	private static String threadGroup(RecordedEvent event) {
		RecordedThread thread = event.getThread("sampledThread");
		String name = thread == null ? null : thread.getJavaName();
		return name == null ? "?" : name.replaceAll("[-#]?\\d+$", "");
	}

	private static String name(RecordedFrame frame) {
		return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
	}
}
