package vn.ehealth.fhir.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What one more entry costs in a transaction of 10, 100, 1,000 or 5,000 entries (issue 21: it
 * should not grow with the bundle). Starts our server once per validation mode (enforce, warn,
 * off), each on a fresh embedded database, posts transactions of synthetic Vietnamese patients'
 * care (whole patients, in-bundle urn:uuid references) and prints the median milliseconds per
 * entry per size as a Markdown table. The warn server also gets "Synthea-like" bundles: the same
 * entries declaring US Core profiles we do not have and carrying extensions we do not know.
 *
 * <p>{@code mvn -q -pl tests exec:java -Dexec.mainClass=vn.ehealth.fhir.bench.BundleSizeBenchmark
 * -Dexec.args="10,100,1000,5000 entriesPerSize enforce,warn,off"} (entriesPerSize: about how many
 * entries each size posts in all, at least one bundle; default 5,000).
 */
public final class BundleSizeBenchmark {

	private static final HttpClient HTTP = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(10))
			.build();
	private static final IParser JSON = FhirContext.forR4Cached().newJsonParser();
	private static final String US_CORE = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-";
	private static final String SYNTHEA_EXTENSION = "http://synthetichealth.github.io/synthea/";

	public static void main(String[] args) throws Exception {
		int[] sizes = java.util.Arrays.stream((args.length > 0 ? args[0] : "10,100,1000,5000").split(","))
				.mapToInt(Integer::parseInt).toArray();
		int entriesPerSize = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
		Map<String, double[]> rows = new LinkedHashMap<>();
		List<String> modes = List.of((args.length > 2 ? args[2] : "enforce,warn,off").split(","));
		for (String mode : modes) {
			ConfigurableApplicationContext server = ValidationCostBenchmark.start(mode);
			try {
				Poster poster = new Poster(ValidationCostBenchmark.base(server));
				poster.post(42, 10, false); // warm-up: JIT, validator caches, connection pools
				rows.put(mode, poster.measure(sizes, entriesPerSize, false));
				if (mode.equals("warn")) {
					rows.put("warn, Synthea-like", poster.measure(sizes, entriesPerSize, true));
				}
			} finally {
				server.close();
			}
		}
		StringBuilder table = new StringBuilder("\n| validation | ");
		StringBuilder rule = new StringBuilder("| --- | ");
		for (int size : sizes) {
			table.append(String.format(Locale.ROOT, "%,d entries | ", size));
			rule.append("---: | ");
		}
		table.append("\n").append(rule).append("\n");
		rows.forEach((mode, msPerEntry) -> {
			table.append("| ").append(mode).append(" | ");
			for (double ms : msPerEntry) {
				table.append(String.format(Locale.ROOT, "%.2f | ", ms));
			}
			table.append("\n");
		});
		System.out.println(table + "(median ms per entry of one transaction, posted one at a time)");
	}

	/** Posts transactions of a given size to one server; patient numbers never repeat. */
	private static final class Poster {
		private final String base;
		private final SyntheticPatients patients = new SyntheticPatients(21);
		private int nextPatient;

		Poster(String base) {
			this.base = base;
		}

		double[] measure(int[] sizes, int entriesPerSize, boolean syntheaLike) throws Exception {
			double[] msPerEntry = new double[sizes.length];
			for (int s = 0; s < sizes.length; s++) {
				int bundles = Math.max(1, entriesPerSize / sizes[s]);
				msPerEntry[s] = post(sizes[s], bundles, syntheaLike);
				System.out.printf(Locale.ROOT, "%s%s %,d entries x %d: %.2f ms/entry%n",
						base, syntheaLike ? " (Synthea-like)" : "", sizes[s], bundles, msPerEntry[s]);
			}
			return msPerEntry;
		}

		/** Median ms per entry over {@code bundles} transactions of {@code size} entries. */
		double post(int size, int bundles, boolean syntheaLike) throws Exception {
			List<Double> msPerEntry = new ArrayList<>();
			for (int b = 0; b < bundles; b++) {
				String body = JSON.encodeResourceToString(transaction(size, syntheaLike));
				long started = System.nanoTime();
				HttpResponse<String> response = HTTP.send(
						HttpRequest.newBuilder(URI.create(base))
								.header("Content-Type", "application/fhir+json")
								.header("Prefer", "return=minimal")
								.timeout(Duration.ofMinutes(30))
								.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
								.build(),
						HttpResponse.BodyHandlers.ofString());
				double ms = (System.nanoTime() - started) / 1e6;
				if (response.statusCode() >= 300) {
					throw new IllegalStateException("HTTP " + response.statusCode() + ": "
							+ response.body().substring(0, Math.min(2_000, response.body().length())));
				}
				msPerEntry.add(ms / size);
			}
			return IngestBenchmark.median(msPerEntry);
		}

		/** Whole synthetic patients (42 entries each) until {@code size}; the last one cut short. */
		Bundle transaction(int size, boolean syntheaLike) {
			Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
			while (transaction.getEntry().size() < size) {
				for (Bundle.BundleEntryComponent entry : patients.patientBundle(nextPatient++, 10).getEntry()) {
					if (transaction.getEntry().size() < size) {
						transaction.addEntry(syntheaLike ? syntheaLike(entry) : entry);
					}
				}
			}
			return transaction;
		}
	}

	/** As Synthea writes it: a US Core profile declared and extensions of its own on every resource. */
	private static Bundle.BundleEntryComponent syntheaLike(Bundle.BundleEntryComponent entry) {
		Resource resource = entry.getResource();
		resource.getMeta().addProfile(US_CORE + resource.fhirType().toLowerCase(Locale.ROOT));
		if (resource instanceof org.hl7.fhir.r4.model.DomainResource domain) {
			domain.addExtension(SYNTHEA_EXTENSION + "disability-adjusted-life-years", new DecimalType("0.25"));
			domain.addExtension(SYNTHEA_EXTENSION + "quality-adjusted-life-years", new DecimalType("41.7"));
		}
		if (resource instanceof org.hl7.fhir.r4.model.Patient patient) {
			patient.addExtension("http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName", new StringType("Nguyễn"));
		}
		return entry;
	}

}
