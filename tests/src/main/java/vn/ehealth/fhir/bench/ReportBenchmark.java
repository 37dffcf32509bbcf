package vn.ehealth.fhir.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Statistics (issue 20): report latency of the main indicators at the loaded population's size and
 * at ten (and a hundred) times it, and ingest throughput with the facts and the monthly roll-up kept
 * current against without.
 *
 * <p>Two embedded servers on fresh data directories in this JVM, security off (token checks cost both
 * alike), validation as given: one with {@code vietfhir.reports.maintain-facts=false}, one with it on
 * (the default). Each round posts the same {@code patients} further patients to both, the order
 * alternating round by round (the machine's load hits both alike); each rate is the median of the
 * rounds. Reports are timed on the second: each indicator over the whole care period and over one
 * year (whole months: summed from the monthly roll-up), and over a year less its first day (a day-level
 * period: grouped from the fact rows), {@code queries} times; then its fact rows are copied under new
 * ids (the same people, visits and diagnoses again: identical distributions, so each roll-up count is
 * multiplied alike: the same rows, larger counts) and the reports are timed again.
 *
 * <p>{@code mvn -q -pl tests exec:java -Dexec.mainClass=vn.ehealth.fhir.bench.ReportBenchmark
 * -Dexec.args="100 3 30 enforce 1,10,100"} (patients per round, rounds, queries per report, validation
 * mode, sizes; the JVM needs about 3 GB: {@code MAVEN_OPTS=-Xmx3g}).
 */
public final class ReportBenchmark {

	private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
	private static final String[] INDICATORS = {"vn-encounters", "vn-morbidity", "vn-deaths", "vn-length-of-stay"};
	private static final String[][] PERIODS = {{"2016-01-01", "2026-06-30"}, {"2025-01-01", "2025-12-31"},
			{"2025-01-02", "2025-12-31"}};

	private ReportBenchmark() {}

	public static void main(String[] args) throws Exception {
		int patients = args.length > 0 ? Integer.parseInt(args[0]) : 200;
		int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
		int queries = args.length > 2 ? Integer.parseInt(args[2]) : 30;
		String mode = args.length > 3 ? args[3] : "enforce";
		int[] sizes = java.util.Arrays.stream((args.length > 4 ? args[4] : "1,10").split(",")).mapToInt(Integer::parseInt).toArray();
		System.out.println("load at start: " + BenchServer.load());
		try (ConfigurableApplicationContext off = start(mode, false); ConfigurableApplicationContext on = start(mode, true)) {
			List<Double> offRates = new ArrayList<>();
			List<Double> onRates = new ArrayList<>();
			for (int round = 0; round < rounds; round++) {
				boolean offFirst = round % 2 == 0;
				for (ConfigurableApplicationContext server : offFirst ? List.of(off, on) : List.of(on, off)) {
					double rate = ingest(server, patients, round);
					(server == off ? offRates : onRates).add(rate);
					System.out.printf(Locale.ROOT, "round %d, facts %s: %.0f resources/s (load %s)%n", round + 1,
							server == off ? "off" : "on", rate, BenchServer.load());
				}
			}
			double offRate = SearchBenchmark.percentiles(offRates)[0];
			double onRate = SearchBenchmark.percentiles(onRates)[0];
			System.out.printf(Locale.ROOT, "| ingest, validation %s | facts off %.0f resources/s | facts on %.0f resources/s | on ÷ off %.3f |%n",
					mode, offRate, onRate, onRate / offRate);
			System.out.println("load after ingest: " + BenchServer.load());
			off.close();
			JdbcTemplate jdbc = new JdbcTemplate(on.getBean(DataSource.class));
			int size = 1;
			for (int next : sizes) {
				grow(jdbc, size, next);
				size = next;
				latencies(on, jdbc, queries, size + "×");
			}
		}
		System.out.println("load at end: " + BenchServer.load());
	}

	/** One round's patients (the same ones on either server), posted as one transaction each. */
	private static double ingest(ConfigurableApplicationContext server, int patients, int round) throws Exception {
		IngestBenchmark.Result result = IngestBenchmark.run(base(server), null, patients, 2, 42, 10, round * patients);
		if (result.errors() > 0) {
			throw new IllegalStateException("ingest errors: " + result.firstError());
		}
		return result.resourcesPerSecond();
	}

	private static void latencies(ConfigurableApplicationContext server, JdbcTemplate jdbc, int queries, String size) throws Exception {
		long encounters = jdbc.queryForObject("SELECT count(*) FROM vf_report_encounter", Long.class);
		long conditions = jdbc.queryForObject("SELECT count(*) FROM vf_report_condition", Long.class);
		long patients = jdbc.queryForObject("SELECT count(*) FROM vf_report_patient", Long.class);
		long rollup = jdbc.queryForObject("SELECT count(*) FROM vf_report_rollup", Long.class);
		jdbc.execute("ANALYZE");
		System.out.printf(Locale.ROOT, "%s: %d patients, %d encounters, %d diagnoses in the facts, %d roll-up rows (load %s)%n",
				size, patients, encounters, conditions, rollup, BenchServer.load());
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

	/**
	 * The fact rows copied (the originals' ids suffixed "~k") from {@code from} to {@code to} times as
	 * many; the copies fall in the originals' roll-up rows, whose counts grow by the same factor.
	 */
	private static void grow(JdbcTemplate jdbc, int from, int to) {
		for (int k = from; k < to; k++) {
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
		if (to != from) {
			jdbc.update("UPDATE vf_report_rollup SET n = n / " + from + " * " + to + ", los_sum = los_sum / " + from + " * " + to
					+ ", los_n = los_n / " + from + " * " + to);
		}
	}

	static ConfigurableApplicationContext start(String mode, boolean facts) throws Exception {
		return BenchServer.start("reports", mode, "vietfhir.reports.maintain-facts=" + facts);
	}

	static String base(ConfigurableApplicationContext context) {
		return BenchServer.base(context);
	}

}
