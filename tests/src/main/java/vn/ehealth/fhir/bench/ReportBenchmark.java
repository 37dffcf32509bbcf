package vn.ehealth.fhir.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import vn.ehealth.fhir.server.VietFhirApplication;

/**
 * Statistics (issue 20): report latency of the main indicators at the loaded population's size and
 * at ten times it, and ingest throughput with the facts kept current against without.
 *
 * <p>Two embedded servers on fresh data directories, security off (token checks cost both alike),
 * validation as given. The first ingests the synthetic patients with {@code vietfhir.reports.maintain-facts=false},
 * the second with it on (the default); each rate is the median of the rounds (a round: {@code patients}
 * further patients). Reports are timed on the second: each indicator over the whole care period and
 * over one year, {@code queries} times; then its fact rows are copied nine times under new ids
 * (the same people, visits and diagnoses again: ten times the rows, identical distributions) and the
 * reports are timed again.
 *
 * <p>{@code mvn -q -pl tests exec:java -Dexec.mainClass=vn.ehealth.fhir.bench.ReportBenchmark
 * -Dexec.args="200 3 30 enforce"} (patients per round, rounds, queries per report, validation mode).
 */
public final class ReportBenchmark {

	private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
	private static final String[] INDICATORS = {"vn-encounters", "vn-morbidity", "vn-deaths", "vn-length-of-stay"};
	private static final String[][] PERIODS = {{"2016-01-01", "2026-06-30"}, {"2025-01-01", "2025-12-31"}};

	private ReportBenchmark() {}

	public static void main(String[] args) throws Exception {
		int patients = args.length > 0 ? Integer.parseInt(args[0]) : 200;
		int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
		int queries = args.length > 2 ? Integer.parseInt(args[2]) : 30;
		String mode = args.length > 3 ? args[3] : "enforce";
		System.out.println("load at start: " + uptime());
		double off;
		try (ConfigurableApplicationContext server = start(mode, false)) {
			off = ingest(server, patients, rounds);
		}
		try (ConfigurableApplicationContext server = start(mode, true)) {
			double on = ingest(server, patients, rounds);
			System.out.printf(Locale.ROOT, "| ingest, validation %s | facts off %.0f resources/s | facts on %.0f resources/s | on ÷ off %.2f |%n",
					mode, off, on, on / off);
			System.out.println("load after ingest: " + uptime());
			JdbcTemplate jdbc = new JdbcTemplate(server.getBean(DataSource.class));
			latencies(server, jdbc, queries, "1×");
			multiply(jdbc, 10);
			latencies(server, jdbc, queries, "10×");
		}
		System.out.println("load at end: " + uptime());
	}

	private static double ingest(ConfigurableApplicationContext server, int patients, int rounds) throws Exception {
		List<Double> rates = new ArrayList<>();
		for (int round = 0; round < rounds; round++) {
			IngestBenchmark.Result result = IngestBenchmark.run(base(server), null, patients, 2, 42, 10, round * patients);
			if (result.errors() > 0) {
				throw new IllegalStateException("ingest errors: " + result.firstError());
			}
			rates.add(result.resourcesPerSecond());
		}
		return SearchBenchmark.percentiles(rates)[0];
	}

	private static void latencies(ConfigurableApplicationContext server, JdbcTemplate jdbc, int queries, String size) throws Exception {
		long encounters = jdbc.queryForObject("SELECT count(*) FROM vf_report_encounter", Long.class);
		long conditions = jdbc.queryForObject("SELECT count(*) FROM vf_report_condition", Long.class);
		long patients = jdbc.queryForObject("SELECT count(*) FROM vf_report_patient", Long.class);
		jdbc.execute("ANALYZE");
		System.out.printf(Locale.ROOT, "%s: %d patients, %d encounters, %d diagnoses in the facts (load %s)%n", size, patients,
				encounters, conditions, uptime());
		System.out.println("| size | indicator | period | p50 ms | p95 ms |");
		System.out.println("| --- | --- | --- | ---: | ---: |");
		for (String indicator : INDICATORS) {
			for (String[] period : PERIODS) {
				String url = base(server) + "/Measure/" + indicator + "/$evaluate-measure?periodStart=" + period[0]
						+ "&periodEnd=" + period[1];
				time(url); // warm-up
				List<Double> times = new ArrayList<>();
				for (int i = 0; i < queries; i++) {
					times.add(time(url));
				}
				double[] p = SearchBenchmark.percentiles(times);
				System.out.printf(Locale.ROOT, "| %s | %s | %s…%s | %.1f | %.1f |%n", size, indicator, period[0], period[1], p[0], p[1]);
			}
		}
	}

	private static double time(String url) throws Exception {
		long started = System.nanoTime();
		HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IllegalStateException(url + ": " + response.statusCode() + " " + response.body());
		}
		return (System.nanoTime() - started) / 1e6;
	}

	/** The fact rows copied until there are {@code times} as many, each copy's ids suffixed "~k". */
	private static void multiply(JdbcTemplate jdbc, int times) {
		for (int k = 1; k < times; k++) {
			String s = "'~" + k + "'";
			jdbc.update("INSERT INTO vf_report_patient SELECT patient_id || " + s + ", sex, birth_date, province, occupation,"
					+ " ethnicity, deceased_date FROM vf_report_patient WHERE patient_id NOT LIKE '%~%'");
			jdbc.update("INSERT INTO vf_report_encounter SELECT encounter_id || " + s + ", patient_id || " + s + ", organization_id,"
					+ " class, start_date, end_date, los_days, disposition, primary_condition || " + s + ", primary_reason"
					+ " FROM vf_report_encounter WHERE encounter_id NOT LIKE '%~%'");
			jdbc.update("INSERT INTO vf_report_condition SELECT condition_id || " + s + ", patient_id || " + s + ", encounter_id || "
					+ s + ", recorded_date, icd_code FROM vf_report_condition WHERE condition_id NOT LIKE '%~%'");
			jdbc.update("INSERT INTO vf_report_death_cause SELECT observation_id || " + s + ", patient_id || " + s + ", icd_code"
					+ " FROM vf_report_death_cause WHERE observation_id NOT LIKE '%~%'");
		}
	}

	static ConfigurableApplicationContext start(String mode, boolean facts) throws Exception {
		Path dir = Files.createTempDirectory("vietfhir-bench-reports-");
		return new SpringApplicationBuilder(VietFhirApplication.class).run(
				"--server.port=0",
				"--vietfhir.data-dir=" + dir,
				"--vietfhir.validation.default-mode=" + mode,
				"--vietfhir.web-test-page=false",
				"--vietfhir.security.enabled=false",
				"--vietfhir.reports.maintain-facts=" + facts,
				"--logging.level.root=WARN");
	}

	static String base(ConfigurableApplicationContext context) {
		return ValidationCostBenchmark.base(context);
	}

	private static String uptime() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).trim();
		} catch (java.io.IOException e) {
			return "?";
		}
	}
}
