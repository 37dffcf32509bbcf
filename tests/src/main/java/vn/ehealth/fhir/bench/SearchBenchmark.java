package vn.ehealth.fhir.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Patient;

/**
 * The EHR search mix against patients loaded by {@link IngestBenchmark} with the same seed: patient
 * by CCCD, by name and birth date, a patient's observations by code newest first, conditions,
 * encounters in a date range, observations with their patient included. Reports p50/p95/p99 (ms)
 * as a Markdown table.
 *
 * <p>{@code mvn -q -pl tests exec:java -Dexec.mainClass=vn.ehealth.fhir.bench.SearchBenchmark
 * -Dexec.args="http://localhost:8080/fhir 200 50"} (base URL, patients loaded, queries per kind[, seed]);
 * token in {@code FHIR_TOKEN}.
 */
public final class SearchBenchmark {

	private static final String INCLUDE = "Observation?code=&date=ge&_include=Observation:subject&_count=20";
	/** The first visit of a synthetic patient is after this day ({@link SyntheticPatients}). */
	private static final LocalDate INCLUDE_FROM = LocalDate.of(2021, 1, 4);
	private static final HttpClient HTTP =
			HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

	public static void main(String[] args) throws Exception {
		String base = args.length > 0 ? args[0] : "http://localhost:8080/fhir";
		int patients = args.length > 1 ? Integer.parseInt(args[1]) : 200;
		int queries = args.length > 2 ? Integer.parseInt(args[2]) : 50;
		long seed = args.length > 3 ? Long.parseLong(args[3]) : 42;
		Map<String, double[]> results = run(base, System.getenv("FHIR_TOKEN"), patients, queries, seed);
		System.out.println("| query | p50 ms | p95 ms | p99 ms |");
		System.out.println("| --- | ---: | ---: | ---: |");
		results.forEach((name, p) -> System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f |%n", name, p[0], p[1], p[2]));
	}

	/** Query kind → {p50, p95, p99} in ms over the first {@code queries} patients; throws if any query does not answer 200. */
	public static Map<String, double[]> run(String base, String token, int patients, int queries, long seed)
			throws Exception {
		return run(base, token, patients, 0, queries, seed);
	}

	/**
	 * The same from patient {@code first} on (wrapping at {@code patients}): rounds of a sitting ask
	 * about other patients, so a server that reuses an identical search's cached results (stock HAPI,
	 * for 60 s by default; ours never, a clinical search must see the last write) is timed searching.
	 */
	public static Map<String, double[]> run(String base, String token, int patients, int first, int queries, long seed)
			throws Exception {
		SyntheticPatients generator = new SyntheticPatients(seed);
		List<Patient> sample = new ArrayList<>();
		for (int i = 0; i < queries; i++) {
			sample.add(generator.patient((first + i) % patients));
		}
		Map<String, Function<Patient, String>> mix = new LinkedHashMap<>();
		mix.put("Patient?identifier=<CCCD>", p -> "Patient?identifier=" + enc(
				"http://fhir.ehealth.gov.vn/core/sid/national_id|" + p.getIdentifierFirstRep().getValue()));
		mix.put("Patient?family=&given=&birthdate=", p -> "Patient?family=" + enc(p.getNameFirstRep().hasFamily() ? p.getNameFirstRep().getFamily() : "")
				// the personal name (tên), the last given part: "An" of Nguyễn Văn An
				+ "&given=" + enc(p.getNameFirstRep().getGiven().get(p.getNameFirstRep().getGiven().size() - 1).getValue())
				+ "&birthdate=" + p.getBirthDateElement().getValueAsString());
		mix.put("Observation?patient.identifier=&code=&_sort=-date", p -> "Observation?patient.identifier=" + enc(
						"http://fhir.ehealth.gov.vn/core/sid/national_id|" + p.getIdentifierFirstRep().getValue())
				+ "&code=" + enc("http://loinc.org|8480-6") + "&_sort=-date");
		mix.put("Condition?patient.identifier=", p -> "Condition?patient.identifier=" + enc(
				"http://fhir.ehealth.gov.vn/core/sid/national_id|" + p.getIdentifierFirstRep().getValue()));
		mix.put("Encounter?patient.identifier=&date=ge2022&date=lt2024", p -> "Encounter?patient.identifier=" + enc(
						"http://fhir.ehealth.gov.vn/core/sid/national_id|" + p.getIdentifierFirstRep().getValue())
				+ "&date=ge2022-01-01&date=lt2024-01-01");
		// A day from the patient's CCCD makes each call its own search (heart rates from that day on,
		// 20 a page, their patients included); one fixed URL would time stock HAPI's search cache.
		mix.put(INCLUDE, p -> "Observation?code=" + enc("http://loinc.org|8867-4")
				+ "&date=ge" + INCLUDE_FROM.plusDays(Math.floorMod(p.getIdentifierFirstRep().getValue().hashCode(), 300))
				+ "&_include=Observation:subject&_count=20");
		Map<String, double[]> results = new LinkedHashMap<>();
		for (Map.Entry<String, Function<Patient, String>> kind : mix.entrySet()) {
			List<Double> latencies = new ArrayList<>();
			for (Patient patient : sample) {
				String url = base + "/" + kind.getValue().apply(patient);
				HttpRequest.Builder request = withToken(HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/fhir+json"), token);
				long t0 = System.nanoTime();
				HttpResponse<String> response = HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
				latencies.add((System.nanoTime() - t0) / 1e6);
				if (response.statusCode() != 200) {
					throw new IllegalStateException(url + " -> " + response.statusCode());
				}
				if (kind.getKey().startsWith("Patient?identifier") && !response.body().contains("\"entry\"")) {
					throw new IllegalStateException(url + " found no patient: were the patients loaded with this seed?");
				}
			}
			results.put(kind.getKey(), percentiles(latencies));
		}
		return results;
	}

	/** {p50, p95, p99} of the values, sorting them once. */
	static double[] percentiles(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		return new double[] {nearestRank(sorted, 50), nearestRank(sorted, 95), nearestRank(sorted, 99)};
	}

	private static double nearestRank(List<Double> sorted, int percent) {
		int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
		return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
	}

	/** The request with the bearer token, when there is one (benchmarks also run against open servers). */
	static HttpRequest.Builder withToken(HttpRequest.Builder request, String token) {
		return token == null || token.isBlank() ? request : request.header("Authorization", "Bearer " + token);
	}

	private static String enc(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}
}
