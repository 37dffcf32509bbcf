package vn.ehealth.fhir.bench;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import vn.ehealth.fhir.server.VietFhirApplication;

/**
 * System $export, ours against HAPI's stock batch export, on one database: loads synthetic patients
 * once, then alternates rounds: our engine, HAPI's engine (the server restarted on the same data
 * directory with {@code vietfhir.bulk-export.engine=hapi}), and the raw read ceiling (the stored JSON
 * streamed over JDBC, nothing else). Each export is timed from kick-off to the last file downloaded
 * and every line counted. Reports medians and ratios.
 *
 * <p>{@code mvn -q -pl tests exec:java -Dexec.mainClass=vn.ehealth.fhir.bench.ExportBenchmark
 * -Dexec.args="patients rounds"} (after {@code mvn install -DskipTests})
 */
public final class ExportBenchmark {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
	private static final Pattern URL = Pattern.compile("\"url\"\\s*:\\s*\"([^\"]+)\"");

	/** One export: resources and bytes downloaded, seconds to the manifest and to the last byte. */
	public record Run(long resources, long bytes, double secondsToManifest, double seconds) {
		public double perSecond() {
			return resources / seconds;
		}

		public double megabytesPerSecond() {
			return bytes / 1e6 / seconds;
		}
	}

	public static void main(String[] args) throws Exception {
		int patients = args.length > 0 ? Integer.parseInt(args[0]) : 300;
		int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
		Path dir = BenchServer.dataDirectory("vietfhir-bench-export-");
		ConfigurableApplicationContext server = start(dir, "vietfhir");
		IngestBenchmark.Result loaded = IngestBenchmark.run(base(server), patients, 2, 42, 10, 0);
		System.out.printf(Locale.ROOT, "loaded %d resources in %d bundles (%.0f res/s, %d errors)%n",
				loaded.resources(), loaded.bundles(), loaded.resourcesPerSecond(), loaded.errors());
		List<Double> ours = new ArrayList<>();
		List<Double> hapi = new ArrayList<>();
		List<Double> ceiling = new ArrayList<>();
		long exported = 0;
		try {
			export(base(server)); // warm-up
			for (int round = 0; round < rounds; round++) {
				Run ceil = ceiling(server.getBean(DataSource.class));
				Run our = export(base(server));
				server.close();
				server = start(dir, "hapi");
				Run theirs = export(base(server));
				server.close();
				server = start(dir, "vietfhir");
				ours.add(our.perSecond());
				hapi.add(theirs.perSecond());
				ceiling.add(ceil.perSecond());
				exported = our.resources();
				System.out.printf(Locale.ROOT, "round %d: ours %d res in %.2f s (%.0f/s), HAPI %d res in %.2f s (%.0f/s), raw read %.0f rows/s%n",
						round + 1, our.resources(), our.seconds(), our.perSecond(), theirs.resources(), theirs.seconds(),
						theirs.perSecond(), ceil.perSecond());
			}
		} finally {
			server.close();
		}
		double o = IngestBenchmark.median(ours);
		double h = IngestBenchmark.median(hapi);
		double c = IngestBenchmark.median(ceiling);
		System.out.println();
		System.out.println("| system $export, kick-off to last file downloaded | median resources/s | ratio to HAPI | ratio to raw read |");
		System.out.println("| --- | ---: | ---: | ---: |");
		System.out.printf(Locale.ROOT, "| VietFHIR (streams stored JSON) | %.0f | %.1f | %.2f |%n", o, o / h, o / c);
		System.out.printf(Locale.ROOT, "| HAPI 8.8 stock batch export | %.0f | 1.0 | %.3f |%n", h, h / c);
		System.out.printf(Locale.ROOT, "| raw read: stored JSON over JDBC | %.0f | %.1f | 1.00 |%n", c, c / h);
		System.out.printf(Locale.ROOT, "(%d resources of %d patients, %d rounds, medians)%n", exported, patients, rounds);
	}

	/** The loaded clinical types: HAPI's export leaves its files as Binary resources, which must not count. */
	static final String TYPES = "Patient,Condition,Encounter,Observation";

	static Run export(String base) throws Exception {
		return export(base, null, "?_type=" + TYPES);
	}

	public static Run export(String base, String token) throws Exception {
		return export(base, token, "");
	}

	/** Kick-off, poll, download every file counting lines; seconds from kick-off to the last byte. */
	public static Run export(String base, String token, String query) throws Exception {
		long start = System.nanoTime();
		HttpResponse<String> kickOff = HTTP.send(SearchBenchmark.withToken(HttpRequest.newBuilder(URI.create(base + "/$export" + query)), token)
				.header("Prefer", "respond-async").header("Accept", "application/fhir+json").GET().build(),
				HttpResponse.BodyHandlers.ofString());
		if (kickOff.statusCode() != 202) {
			throw new IllegalStateException("kick-off: " + kickOff.statusCode() + " " + kickOff.body());
		}
		String status = kickOff.headers().firstValue("Content-Location").orElseThrow();
		String manifest;
		long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
		while (true) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("export did not finish in 30 minutes: " + status);
			}
			HttpResponse<String> polled = HTTP.send(SearchBenchmark.withToken(HttpRequest.newBuilder(URI.create(status)), token).GET().build(),
					HttpResponse.BodyHandlers.ofString());
			if (polled.statusCode() == 200) {
				manifest = polled.body();
				break;
			}
			if (polled.statusCode() != 202) {
				throw new IllegalStateException("poll: " + polled.statusCode() + " " + polled.body());
			}
			Thread.sleep(100);
		}
		double toManifest = (System.nanoTime() - start) / 1e9;
		long[] totals = new long[2];
		int output = manifest.indexOf("\"output\"");
		int deleted = manifest.indexOf("\"deleted\"");
		Matcher urls = URL.matcher(manifest.substring(output, deleted > output ? deleted : manifest.length()));
		while (urls.find()) {
			countLines(urls.group(1), token, totals);
		}
		return new Run(totals[0], totals[1], toManifest, (System.nanoTime() - start) / 1e9);
	}

	/** A system export counted per type: lines of each manifest output, by the output's type. */
	public record TypedRun(Run run, java.util.Map<String, Long> byType) {}

	/**
	 * System {@code $export} of everything, each file downloaded and its lines counted by type; a
	 * fresh token for every request (a long export outlives one).
	 */
	public static TypedRun exportByType(String base, java.util.function.Supplier<String> tokens) throws Exception {
		long start = System.nanoTime();
		HttpResponse<String> kickOff = HTTP.send(SearchBenchmark.withToken(HttpRequest.newBuilder(URI.create(base + "/$export")), tokens.get())
				.header("Prefer", "respond-async").header("Accept", "application/fhir+json").GET().build(),
				HttpResponse.BodyHandlers.ofString());
		if (kickOff.statusCode() != 202) {
			throw new IllegalStateException("kick-off: " + kickOff.statusCode() + " " + kickOff.body());
		}
		String status = kickOff.headers().firstValue("Content-Location").orElseThrow();
		long deadline = System.nanoTime() + Duration.ofHours(2).toNanos();
		HttpResponse<String> polled;
		do {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("export did not finish in 2 hours: " + status);
			}
			Thread.sleep(100);
			polled = HTTP.send(SearchBenchmark.withToken(HttpRequest.newBuilder(URI.create(status)), tokens.get()).GET().build(),
					HttpResponse.BodyHandlers.ofString());
			if (polled.statusCode() != 200 && polled.statusCode() != 202) {
				throw new IllegalStateException("poll: " + polled.statusCode() + " " + polled.body());
			}
		} while (polled.statusCode() == 202);
		double toManifest = (System.nanoTime() - start) / 1e9;
		java.util.Map<String, Long> byType = new java.util.TreeMap<>();
		long[] totals = new long[2];
		for (com.fasterxml.jackson.databind.JsonNode output : new com.fasterxml.jackson.databind.ObjectMapper().readTree(polled.body()).path("output")) {
			long before = totals[0];
			countLines(output.path("url").asText(), tokens.get(), totals);
			byType.merge(output.path("type").asText(), totals[0] - before, Long::sum);
		}
		return new TypedRun(new Run(totals[0], totals[1], toManifest, (System.nanoTime() - start) / 1e9), byType);
	}

	private static void countLines(String url, String token, long[] totals) throws Exception {
		HttpResponse<InputStream> file = HTTP.send(SearchBenchmark.withToken(HttpRequest.newBuilder(URI.create(url)), token)
						.header("Accept", "application/fhir+ndjson").GET().build(),
				HttpResponse.BodyHandlers.ofInputStream());
		if (file.statusCode() != 200) {
			throw new IllegalStateException(url + " -> " + file.statusCode());
		}
		try (InputStream in = file.body()) {
			byte[] buffer = new byte[1 << 16];
			for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
				totals[1] += n;
				for (int i = 0; i < n; i++) {
					if (buffer[i] == '\n') {
						totals[0]++;
					}
				}
			}
		}
	}


	/** The physical limit: every current resource's stored JSON streamed to this JVM over JDBC. */
	static Run ceiling(DataSource dataSource) throws Exception {
		long start = System.nanoTime();
		long rows = 0;
		try (Connection connection = dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try (PreparedStatement statement = connection.prepareStatement(
					"SELECT v.RES_TEXT_VC FROM HFJ_RESOURCE r JOIN HFJ_RES_VER v ON v.RES_ID = r.RES_ID AND v.RES_VER = r.RES_VER"
							+ " WHERE r.RES_DELETED_AT IS NULL AND r.RES_TYPE = ANY(string_to_array(?, ','))")) {
				statement.setString(1, TYPES);
				statement.setFetchSize(2_000);
				try (ResultSet rs = statement.executeQuery()) {
					while (rs.next()) {
						rs.getString(1);
						rows++;
					}
				}
			}
			connection.rollback();
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		return new Run(rows, 0, seconds, seconds);
	}

	private static ConfigurableApplicationContext start(Path dir, String engine) {
		return new SpringApplicationBuilder(VietFhirApplication.class).run(
				"--server.port=0",
				"--vietfhir.data-dir=" + dir,
				"--vietfhir.bulk-export.engine=" + engine,
				"--vietfhir.validation.default-mode=off",
				"--vietfhir.web-test-page=false",
				// the two engines are compared; token checks would cost both alike
				"--vietfhir.security.enabled=false",
				"--logging.level.root=WARN");
	}

	private static String base(ConfigurableApplicationContext context) {
		return "http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort() + "/fhir";
	}
}
