package vn.ehealth.fhir.bench;

import ca.uhn.fhir.context.FhirContext;
import java.net.URI;
import java.net.URLEncoder;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;

/**
 * Latency of one patient's whole record at one client, warm caches: loads a patient with
 * {@code encounters} visits (4 resources each; 60 gives about 240 resources, a median patient), then
 * times {@code $summary} by CCCD and by id, the first page of {@code $everything} and the whole record
 * through {@code $everything} (every page followed); p50/p95/p99 ms.
 *
 * <p>{@code mvn -q -pl tests exec:java -Dexec.mainClass=vn.ehealth.fhir.bench.PatientRecordBenchmark
 * -Dexec.args="http://localhost:8080/fhir 60 200"} (base URL, encounters, timed calls); token in FHIR_TOKEN.
 * A fourth argument names a patient already stored (e.g. the one an earlier run loaded, for rounds
 * against servers started with different settings on the same data); then nothing is loaded.
 */
public final class PatientRecordBenchmark {

	static final String WHOLE_RECORD = "Patient/[id]/$everything (whole record: every page of _count=100)";
	private static final Pattern NEXT = Pattern.compile("\"relation\"\\s*:\\s*\"next\"\\s*,\\s*\"url\"\\s*:\\s*\"([^\"]+)\"");
	private static final HttpClient HTTP =
			HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

	public static void main(String[] args) throws Exception {
		String base = args.length > 0 ? args[0] : "http://localhost:8080/fhir";
		int encounters = args.length > 1 ? Integer.parseInt(args[1]) : 60;
		int calls = args.length > 2 ? Integer.parseInt(args[2]) : 200;
		String existing = args.length > 3 ? args[3] : null;
		Map<String, double[]> results = run(base, System.getenv("FHIR_TOKEN"), encounters, calls, existing);
		System.out.println("| call (patient with " + (2 + encounters * 4) + " resources) | p50 ms | p95 ms | p99 ms |");
		System.out.println("| --- | ---: | ---: | ---: |");
		results.forEach((name, p) -> System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f |%n", name, p[0], p[1], p[2]));
	}

	public static Map<String, double[]> run(String base, String token, int encounters, int calls) throws Exception {
		return run(base, token, encounters, calls, null);
	}

	static Map<String, double[]> run(String base, String token, int encounters, int calls, String existingPatient)
			throws Exception {
		Patient patient;
		String patientId;
		if (existingPatient != null) {
			HttpResponse<String> read = send(HttpRequest.newBuilder(URI.create(base + "/Patient/" + existingPatient))
					.header("Accept", "application/fhir+json").GET(), token);
			if (read.statusCode() != 200) {
				throw new IllegalStateException("reading Patient/" + existingPatient + " failed: " + read.statusCode());
			}
			patient = FhirContext.forR4Cached().newJsonParser().parseResource(Patient.class, read.body());
			patientId = existingPatient;
		} else {
			int patientNumber = 900_000 + (int) (System.nanoTime() % 10_000);
			Bundle bundle = new SyntheticPatients(7).patientBundle(patientNumber, encounters);
			patient = (Patient) bundle.getEntryFirstRep().getResource();
			String body = FhirContext.forR4Cached().newJsonParser().encodeResourceToString(bundle);
			HttpResponse<String> stored = send(HttpRequest.newBuilder(URI.create(base))
					.header("Content-Type", "application/fhir+json")
					.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)), token);
			if (stored.statusCode() != 200) {
				throw new IllegalStateException("loading the patient failed: " + stored.statusCode());
			}
			Bundle response = FhirContext.forR4Cached().newJsonParser().parseResource(Bundle.class, stored.body());
			patientId = new org.hl7.fhir.r4.model.IdType(response.getEntryFirstRep().getResponse().getLocation())
					.getIdPart();
			System.out.println("loaded Patient/" + patientId);
		}
		String cccd = URLEncoder.encode(
				"http://fhir.ehealth.gov.vn/core/sid/national_id|" + patient.getIdentifier().stream()
						.filter(i -> "http://fhir.ehealth.gov.vn/core/sid/national_id".equals(i.getSystem()))
						.findFirst().orElseThrow().getValue(),
				StandardCharsets.UTF_8);
		Map<String, String> urls = new LinkedHashMap<>();
		urls.put("Patient/$summary?identifier=<CCCD>", base + "/Patient/$summary?identifier=" + cccd);
		urls.put("Patient/[id]/$summary", base + "/Patient/" + patientId + "/$summary");
		urls.put("Patient/[id]/$everything (first page, _count=50)", base + "/Patient/" + patientId + "/$everything?_count=50");
		urls.put(WHOLE_RECORD, base + "/Patient/" + patientId + "/$everything?_count=100");
		Map<String, double[]> results = new LinkedHashMap<>();
		for (Map.Entry<String, String> call : urls.entrySet()) {
			boolean everyPage = call.getKey().equals(WHOLE_RECORD);
			for (int i = 0; i < 20; i++) { // warm-up
				get(call.getValue(), token, everyPage);
			}
			List<Double> latencies = new ArrayList<>();
			for (int i = 0; i < calls; i++) {
				long t0 = System.nanoTime();
				get(call.getValue(), token, everyPage);
				latencies.add((System.nanoTime() - t0) / 1e6);
			}
			results.put(call.getKey(), SearchBenchmark.percentiles(latencies));
		}
		return results;
	}

	/** The GET, and with {@code everyPage} each page its next link names, until there is none. */
	private static void get(String url, String token, boolean everyPage) throws Exception {
		String next = url;
		while (next != null) {
			HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(next)).header("Accept", "application/fhir+json").GET(), token);
			if (response.statusCode() != 200) {
				throw new IllegalStateException(next + " -> " + response.statusCode());
			}
			Matcher link = NEXT.matcher(response.body());
			next = everyPage && link.find() ? link.group(1).replace("\\u0026", "&") : null;
		}
	}

	private static HttpResponse<String> send(HttpRequest.Builder request, String token) throws Exception {
		return HTTP.send(SearchBenchmark.withToken(request, token).timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
	}
}
