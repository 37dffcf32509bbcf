package vn.ehealth.fhir.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.context.ConfigurableApplicationContext;
import vn.ehealth.fhir.synth.LabelledDuplicates;

/**
 * What the duplicate check on every Patient write costs on ingest (issue 19: ≤ 10 %): two embedded
 * servers on fresh data directories, {@code vietfhir.identity.duplicate-check} on and off, validation
 * as given, security off. Both first store the same population through {@code $import} (so the
 * blocks a new Patient is compared with are of a realistic size), then ingest the same transaction
 * bundles in rounds, alternately (which goes first alternates too, so drift on a shared machine hits
 * both alike); the medians and their ratio are reported.
 *
 * <p>{@code MAVEN_OPTS=-Xmx2g mvn -q -pl tests exec:java -Dexec.mainClass=vn.ehealth.fhir.bench.DuplicateCheckCostBenchmark
 * -Dexec.args="6 60 2 20000 enforce"} (rounds, patients per round, concurrency, population stored first, validation mode).
 */
public final class DuplicateCheckCostBenchmark {

	private DuplicateCheckCostBenchmark() {}

	public static void main(String[] args) throws Exception {
		int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
		int patients = args.length > 1 ? Integer.parseInt(args[1]) : 60;
		int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 2;
		int population = args.length > 3 ? Integer.parseInt(args[3]) : 20_000;
		String mode = args.length > 4 ? args[4] : "enforce";
		System.out.println("load at start: " + BenchServer.load());
		try (ConfigurableApplicationContext on = start(mode, true); ConfigurableApplicationContext off = start(mode, false)) {
			String onUrl = BenchServer.base(on);
			String offUrl = BenchServer.base(off);
			String ndjson = population(population);
			for (String url : List.of(onUrl, offUrl)) {
				BulkImportBenchmark.Result stored = BulkImportBenchmark.run(url, (String) null, ndjson);
				System.out.printf(Locale.ROOT, "population: %d Patients stored in %.0f s (%d errors), load %s%n",
						stored.stored(), stored.seconds(), stored.errors(), BenchServer.load());
				IngestBenchmark.run(url, null, 20, concurrency, 7, 10, 1_000_000); // warm-up
			}
			List<Double> onRates = new ArrayList<>();
			List<Double> offRates = new ArrayList<>();
			for (int round = 0; round < rounds; round++) {
				boolean onFirst = round % 2 == 0;
				int first = round * patients;
				IngestBenchmark.Result a = ingest(onFirst ? onUrl : offUrl, patients, concurrency, first);
				IngestBenchmark.Result b = ingest(onFirst ? offUrl : onUrl, patients, concurrency, first);
				IngestBenchmark.Result withCheck = onFirst ? a : b;
				IngestBenchmark.Result without = onFirst ? b : a;
				onRates.add(withCheck.resourcesPerSecond());
				offRates.add(without.resourcesPerSecond());
				System.out.printf(Locale.ROOT, "round %d: check on %.0f res/s, off %.0f res/s (load %s)%n", round + 1,
						withCheck.resourcesPerSecond(), without.resourcesPerSecond(), BenchServer.load());
			}
			BenchServer.printAb("duplicate check on write", "on", onRates, "off", offRates);
			System.out.printf(Locale.ROOT, "(%d rounds of %d patients (a Patient and 31 other resources each), concurrency %d,"
					+ " validation %s, %d Patients stored first)%n", rounds, patients, concurrency, mode, population);
		}
		System.out.println("load at end: " + BenchServer.load());
	}

	private static IngestBenchmark.Result ingest(String url, int patients, int concurrency, int first) throws Exception {
		IngestBenchmark.Result result = IngestBenchmark.run(url, null, patients, concurrency, 42, 10, first);
		if (result.errors() > 0) {
			throw new IllegalStateException("ingest errors: " + result.firstError());
		}
		return result;
	}

	/** The synthetic population's stored records ({@link LabelledDuplicates}, ids {@code p<n>}) as NDJSON. */
	private static String population(int people) {
		IParser json = FhirContext.forR4Cached().newJsonParser().setPrettyPrint(false);
		LabelledDuplicates duplicates = new LabelledDuplicates(19L, LocalDate.of(2026, 6, 30));
		StringBuilder ndjson = new StringBuilder();
		for (int n = 0; n < people; n++) {
			ndjson.append(json.encodeResourceToString(duplicates.of(n, "p").stored())).append('\n');
		}
		return ndjson.toString();
	}

	private static ConfigurableApplicationContext start(String mode, boolean duplicateCheck) throws Exception {
		return BenchServer.start("duplicates-" + duplicateCheck, mode, "vietfhir.identity.duplicate-check=" + duplicateCheck);
	}
}
