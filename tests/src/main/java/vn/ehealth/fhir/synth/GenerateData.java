package vn.ehealth.fhir.synth;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;

/**
 * Generates a synthetic data set to a directory (see {@link DataWriter} for the layout):
 *
 * <pre>
 * mvn -q -pl tests exec:java -Dexec.mainClass=vn.ehealth.fhir.synth.GenerateData \
 *   -Dexec.args="--patients 1000 --seed 42 --out target/synthetic-data"
 * </pre>
 *
 * Options: {@code --patients N} (1–199,999, default 100), {@code --seed S} (default 42),
 * {@code --out DIR} (default {@code target/synthetic-data}), {@code --as-of YYYY-MM-DD} (the data
 * set's "today", default 2026-06-30), {@code --care-start YYYY-MM-DD} (first records, default
 * 2016-01-01), {@code --threads T} (default: processors), {@code --no-ndjson}, {@code --no-bundles}.
 * {@code --synthea-like} writes US bundles shaped like Synthea's output instead ({@link SyntheaLike}),
 * into {@code DIR/fhir}, for {@code LoadData --synthea}.
 */
public final class GenerateData {

	private GenerateData() {}

	public static void main(String[] args) throws Exception {
		try {
			if (java.util.Arrays.asList(args).contains("--synthea-like")) {
				print(runSyntheaLike(args), System.out);
				return;
			}
			print(run(args), System.out);
		} catch (IllegalArgumentException e) {
			System.err.println(e.getMessage() + "\nusage: --patients N --seed S --out DIR"
					+ " [--as-of YYYY-MM-DD] [--care-start YYYY-MM-DD] [--threads T] [--no-ndjson] [--no-bundles] [--synthea-like]");
			System.exit(2);
		}
	}

	/** Generates and writes as the arguments say; the summary of what was written. */
	public static DataWriter.Summary run(String[] args) throws Exception {
		int patients = 100;
		long seed = 42;
		Path out = Path.of("target", "synthetic-data");
		LocalDate asOf = SyntheticData.DEFAULT_AS_OF;
		LocalDate careStart = SyntheticData.DEFAULT_CARE_START;
		int threads = Runtime.getRuntime().availableProcessors();
		boolean bundles = true;
		boolean ndjson = true;
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--patients" -> patients = Integer.parseInt(args[++i]);
				case "--seed" -> seed = Long.parseLong(args[++i]);
				case "--out" -> out = Path.of(args[++i]);
				case "--as-of" -> asOf = LocalDate.parse(args[++i]);
				case "--care-start" -> careStart = LocalDate.parse(args[++i]);
				case "--threads" -> threads = Integer.parseInt(args[++i]);
				case "--no-ndjson" -> ndjson = false;
				case "--no-bundles" -> bundles = false;
				default -> throw new IllegalArgumentException("unknown option " + args[i]);
			}
		}
		SyntheticData data = new SyntheticData(seed, patients, careStart, asOf);
		return new DataWriter(data, bundles, ndjson, threads).write(out);
	}

	/** {@code --synthea-like}: Synthea-shaped bundles (options --patients, --seed, --out, --threads). */
	public static SyntheaLikeWriter.Written runSyntheaLike(String[] args) throws Exception {
		int patients = 100;
		long seed = 42;
		Path out = Path.of("target", "synthea-like");
		int threads = Runtime.getRuntime().availableProcessors();
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--patients" -> patients = Integer.parseInt(args[++i]);
				case "--seed" -> seed = Long.parseLong(args[++i]);
				case "--out" -> out = Path.of(args[++i]);
				case "--threads" -> threads = Integer.parseInt(args[++i]);
				case "--synthea-like" -> { }
				default -> throw new IllegalArgumentException("unknown option with --synthea-like: " + args[i]);
			}
		}
		return new SyntheaLikeWriter(seed, patients, threads).write(out);
	}

	static void print(SyntheaLikeWriter.Written written, java.io.PrintStream out) {
		DataWriter.Summary summary = written.summary();
		out.printf(Locale.ROOT, "%d Synthea-like patients, %d resources (%d in the hospital and practitioner bundles), %.0f MB, written to %s in %.1f s%n",
				summary.patients(), summary.totalResources(), summary.directoryResources(), written.bytes() / 1e6,
				summary.out().resolve("fhir").toAbsolutePath(), summary.seconds());
		out.printf(Locale.ROOT, "entries per patient: mean %.0f, median %d, p90 %d, max %d; largest file %.1f MB%n",
				summary.perPatient().stream().mapToInt(Integer::intValue).average().orElse(0), summary.percentile(50), summary.percentile(90),
				summary.percentile(100), written.largestFileBytes() / 1e6);
		out.println("| resource type | count |");
		out.println("| --- | ---: |");
		summary.byType().forEach((type, count) -> out.printf(Locale.ROOT, "| %s | %d |%n", type, count));
	}

	static void print(DataWriter.Summary summary, java.io.PrintStream out) {
		out.printf(Locale.ROOT, "%d patients, %d resources (%d in the directory) written to %s in %.1f s%n",
				summary.patients(), summary.totalResources(), summary.directoryResources(), summary.out().toAbsolutePath(), summary.seconds());
		out.printf(Locale.ROOT, "resources per patient: median %d, p90 %d, p99 %d, max %d; deceased patients: %d%n",
				summary.percentile(50), summary.percentile(90), summary.percentile(99), summary.percentile(100), summary.deceased());
		out.println("| resource type | count |");
		out.println("| --- | ---: |");
		for (Map.Entry<String, Integer> entry : summary.byType().entrySet()) {
			out.printf(Locale.ROOT, "| %s | %d |%n", entry.getKey(), entry.getValue());
		}
	}
}
