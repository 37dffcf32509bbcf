package vn.ehealth.fhir.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import vn.ehealth.fhir.server.VietFhirApplication;

/**
 * How cost grows with data: starts our server on a fresh embedded database (validation enforced),
 * and at 1×, 4× and 16× the base number of patients ingests up to that size, then runs the search
 * mix and reads by id. Writes scale.md (tables), scale.json and scale.svg (p50 of each query and
 * ingest rate against data size) to the output directory.
 *
 * <p>{@code mvn -q -pl tests exec:java -Dexec.mainClass=vn.ehealth.fhir.bench.ScaleRun
 * -Dexec.args="basePatients outDir"} (after {@code mvn install -DskipTests})
 */
public final class ScaleRun {

	record Step(int scale, int patients, int resources, double ingestPerSecond, int ingestErrors,
			Map<String, double[]> searches, double readsPerSecond, double readP50) {}

	public static void main(String[] args) throws Exception {
		int base = args.length > 0 ? Integer.parseInt(args[0]) : 50;
		Path out = Path.of(args.length > 1 ? args[1] : "target/scale");
		Files.createDirectories(out);
		Path dir = Files.createTempDirectory("vietfhir-scale-");
		ConfigurableApplicationContext server = new SpringApplicationBuilder(VietFhirApplication.class).run(
				"--server.port=0", "--vietfhir.data-dir=" + dir, "--vietfhir.web-test-page=false",
				// measured: storage, validation and search; tokens would cost every step alike
				"--vietfhir.security.enabled=false", "--logging.level.root=WARN");
		String url = "http://localhost:" + ((WebServerApplicationContext) server).getWebServer().getPort() + "/fhir";
		List<Step> steps = new ArrayList<>();
		int loaded = 0;
		int resources = 0;
		try {
			for (int scale : new int[] {1, 4, 16}) {
				int target = base * scale;
				IngestBenchmark.Result ingest = IngestBenchmark.run(url, null, target - loaded, 2, 42, 10, loaded);
				loaded = target;
				resources += ingest.resources();
				Map<String, double[]> searches = SearchBenchmark.run(url, null, loaded, 50, 42);
				ReadBenchmark.Result reads = ReadBenchmark.run(url, null, 4, Duration.ofSeconds(10));
				Step step = new Step(scale, loaded, resources, ingest.resourcesPerSecond(), ingest.errors(), searches,
						reads.readsPerSecond(), reads.p50());
				steps.add(step);
				System.out.printf(Locale.ROOT, "%d×: %d patients, %d resources, ingest %.0f res/s, reads %.0f/s%n",
						scale, loaded, resources, ingest.resourcesPerSecond(), reads.readsPerSecond());
			}
		} finally {
			server.close();
		}
		String markdown = markdown(steps);
		System.out.println(markdown);
		Files.writeString(out.resolve("scale.md"), markdown, StandardCharsets.UTF_8);
		Files.writeString(out.resolve("scale.svg"), svg(steps), StandardCharsets.UTF_8);
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("date", Instant.now().toString());
		json.put("basePatients", base);
		json.put("steps", steps);
		new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("scale.json").toFile(), json);
	}

	static String markdown(List<Step> steps) {
		StringBuilder md = new StringBuilder("| data | patients | resources | ingest res/s | errors | reads/s (4 threads) | read p50 ms |\n");
		md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
		for (Step s : steps) {
			md.append(String.format(Locale.ROOT, "| %d× | %d | %d | %.0f | %d | %.0f | %.1f |%n", s.scale(), s.patients(),
					s.resources(), s.ingestPerSecond(), s.ingestErrors(), s.readsPerSecond(), s.readP50()));
		}
		md.append("\n| search p50 ms (p95) |");
		steps.forEach(s -> md.append(' ').append(s.scale()).append("× |"));
		md.append("\n| --- |");
		steps.forEach(s -> md.append(" ---: |"));
		md.append('\n');
		for (String query : steps.get(0).searches().keySet()) {
			md.append("| ").append(query).append(" |");
			for (Step s : steps) {
				double[] p = s.searches().get(query);
				md.append(String.format(Locale.ROOT, " %.1f (%.1f) |", p[0], p[1]));
			}
			md.append('\n');
		}
		return md.toString();
	}

	/** A plain SVG line chart: p50 of each query against data size (log scale), and ingest rate. */
	static String svg(List<Step> steps) {
		int width = 760;
		int height = 420;
		int left = 60;
		int right = 260;
		int top = 30;
		int bottom = 50;
		double maxMs = 1;
		for (Step s : steps) {
			for (double[] p : s.searches().values()) {
				maxMs = Math.max(maxMs, p[0]);
			}
		}
		maxMs = Math.ceil(maxMs / 10) * 10;
		String[] colours = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"};
		StringBuilder svg = new StringBuilder();
		svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">%n", width, height));
		svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
		svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"13\">Search p50 (ms) as data grows — VietFHIR, 2 cores</text>%n", left));
		int plotW = width - left - right;
		int plotH = height - top - bottom;
		svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", left, top + plotH, left + plotW, top + plotH));
		svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", left, top, left, top + plotH));
		for (int i = 0; i <= 4; i++) {
			double ms = maxMs * i / 4;
			int y = top + plotH - (int) (plotH * i / 4.0);
			svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.0f</text>%n", left - 5, y + 4, ms));
			svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>%n", left, y, left + plotW, y));
		}
		for (int i = 0; i < steps.size(); i++) {
			int x = left + (steps.size() == 1 ? 0 : plotW * i / (steps.size() - 1));
			Step s = steps.get(i);
			svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d× (%d res, ingest %.0f/s)</text>%n",
					x, top + plotH + 18, s.scale(), s.resources(), s.ingestPerSecond()));
		}
		int series = 0;
		for (String query : steps.get(0).searches().keySet()) {
			String colour = colours[series % colours.length];
			StringBuilder points = new StringBuilder();
			for (int i = 0; i < steps.size(); i++) {
				int x = left + (steps.size() == 1 ? 0 : plotW * i / (steps.size() - 1));
				int y = top + plotH - (int) (plotH * steps.get(i).searches().get(query)[0] / maxMs);
				points.append(x).append(',').append(y).append(' ');
			}
			svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n", colour, points.toString().trim()));
			int ly = top + 10 + series * 16;
			svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>%n", left + plotW + 10, ly - 9, colour));
			svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", left + plotW + 25, ly,
					query.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")));
			series++;
		}
		svg.append("</svg>\n");
		return svg.toString();
	}
}
