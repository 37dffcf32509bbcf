package vn.ehealth.fhir.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;
import vn.ehealth.fhir.server.VietFhirApplication;

/**
 * The benchmarks' embedded server: a fresh data directory, a free port, security off (token checks
 * would cost both sides of an A/B alike), validation in the mode asked, plus the settings a
 * benchmark compares; and the machine's load, which every figure is reported with.
 */
final class BenchServer {

	private BenchServer() {}

	/**
	 * A new data directory in the temporary directory, removed when the benchmark's JVM exits: an
	 * embedded PostgreSQL and a Lucene index per run add up to gigabytes (left behind, they once filled
	 * the disk). Servers on it must be closed by then, as every benchmark does in a finally block.
	 */
	static Path dataDirectory(String prefix) throws IOException {
		Path dir = Files.createTempDirectory(prefix);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try {
				FileSystemUtils.deleteRecursively(dir);
			} catch (IOException e) {
				System.err.println("could not remove " + dir + ": " + e);
			}
		}));
		return dir;
	}

	/** A server on a new data directory named after {@code name}; {@code settings} are "key=value" pairs. */
	static ConfigurableApplicationContext start(String name, String validationMode, String... settings) throws Exception {
		Path dir = dataDirectory("vietfhir-bench-" + name + "-");
		List<String> args = new ArrayList<>(List.of(
				"--server.port=0",
				"--vietfhir.data-dir=" + dir,
				"--vietfhir.validation.default-mode=" + validationMode,
				"--vietfhir.web-test-page=false",
				"--vietfhir.security.enabled=false",
				"--logging.level.root=WARN"));
		for (String setting : settings) {
			args.add("--" + setting);
		}
		return new SpringApplicationBuilder(VietFhirApplication.class).run(args.toArray(String[]::new));
	}

	static String base(ConfigurableApplicationContext context) {
		return "http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort() + "/fhir";
	}

	/** The load averages over 1, 5 and 15 minutes. */
	static String load() {
		try {
			String[] averages = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
			return averages[0] + " " + averages[1] + " " + averages[2];
		} catch (java.io.IOException e) {
			return "?";
		}
	}

	/** The Markdown table of an A/B of ingest rates: median resources/s of each side and the ratio to the second. */
	static void printAb(String what, String on, List<Double> onRates, String off, List<Double> offRates) {
		double medianOn = IngestBenchmark.median(onRates);
		double medianOff = IngestBenchmark.median(offRates);
		System.out.println();
		System.out.println("| " + what + " | median resources/s | ratio to " + off + " |");
		System.out.println("| --- | ---: | ---: |");
		System.out.printf(java.util.Locale.ROOT, "| %s | %.0f | %.3f |%n", on, medianOn, medianOn / medianOff);
		System.out.printf(java.util.Locale.ROOT, "| %s | %.0f | 1.000 |%n", off, medianOff);
	}
}
