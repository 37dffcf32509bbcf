package vn.ehealth.fhir.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What validation on write costs: starts our server twice (validation enforce, then off), each on
 * a fresh embedded database, runs the same ingest rounds alternately after a warm-up, and reports
 * medians and the enforce/off ratio (issue 4 aims for ≥ 0.70).
 *
 * <p>{@code mvn -q -pl tests -am exec:java -Dexec.mainClass=vn.ehealth.fhir.bench.ValidationCostBenchmark
 * -Dexec.args="rounds patientsPerRound concurrency"}
 */
public final class ValidationCostBenchmark {

	public static void main(String[] args) throws Exception {
		int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
		int patients = args.length > 1 ? Integer.parseInt(args[1]) : 60;
		int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 2;
		ConfigurableApplicationContext enforce = start("enforce");
		ConfigurableApplicationContext off = start("off");
		try {
			String enforceUrl = base(enforce);
			String offUrl = base(off);
			// warm-up: JIT, validator caches, connection pools
			IngestBenchmark.run(enforceUrl, 20, concurrency, 7, 10, 1_000_000);
			IngestBenchmark.run(offUrl, 20, concurrency, 7, 10, 1_000_000);
			List<Double> enforceRates = new ArrayList<>();
			List<Double> offRates = new ArrayList<>();
			int errors = 0;
			for (int round = 0; round < rounds; round++) {
				int first = round * patients;
				// alternate which goes first so drift on a shared machine hits both alike
				boolean enforceFirst = round % 2 == 0;
				IngestBenchmark.Result a = IngestBenchmark.run(enforceFirst ? enforceUrl : offUrl, patients, concurrency, 42, 10, first);
				IngestBenchmark.Result b = IngestBenchmark.run(enforceFirst ? offUrl : enforceUrl, patients, concurrency, 42, 10, first);
				IngestBenchmark.Result e = enforceFirst ? a : b;
				IngestBenchmark.Result o = enforceFirst ? b : a;
				enforceRates.add(e.resourcesPerSecond());
				offRates.add(o.resourcesPerSecond());
				errors += e.errors() + o.errors();
				if (e.firstError() != null) {
					System.err.println("enforce error: " + e.firstError());
				}
				System.out.printf(Locale.ROOT, "round %d: enforce %.0f res/s, off %.0f res/s%n", round + 1, e.resourcesPerSecond(), o.resourcesPerSecond());
			}
			BenchServer.printAb("validation on write", "enforce", enforceRates, "off", offRates);
			System.out.printf(Locale.ROOT, "(%d rounds of %d patients, concurrency %d, %d errors)%n", rounds, patients, concurrency, errors);
		} finally {
			enforce.close();
			off.close();
		}
	}

	/** An embedded server on a fresh data directory, security off, validation in {@code mode}. */
	static ConfigurableApplicationContext start(String mode) throws Exception {
		return BenchServer.start(mode, mode);
	}

	static String base(ConfigurableApplicationContext context) {
		return BenchServer.base(context);
	}
}
