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
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Posts one transaction bundle per synthetic patient to a FHIR base URL at a given concurrency and
 * reports resources per second, errors and bundle latency. Works against any FHIR R4 server.
 *
 * <p>{@code mvn -q -pl tests -am exec:java -Dexec.mainClass=vn.ehealth.fhir.bench.IngestBenchmark
 * -Dexec.args="http://localhost:8080/fhir 200 2"} (base URL, patients, concurrency[, seed, encounters,
 * first patient: another run's patients are new ones]).
 * A server that wants a token gets the one in the environment variable {@code FHIR_TOKEN}.
 */
public final class IngestBenchmark {

	private static final HttpClient HTTP = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(10))
			.build();

	public record Result(int bundles, int resources, int errors, double seconds, double medianBundleMs, String firstError) {
		public double resourcesPerSecond() {
			return resources / seconds;
		}
	}

	public static void main(String[] args) throws Exception {
		String base = args.length > 0 ? args[0] : "http://localhost:8080/fhir";
		int patients = args.length > 1 ? Integer.parseInt(args[1]) : 200;
		int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 2;
		long seed = args.length > 3 ? Long.parseLong(args[3]) : 42;
		int encounters = args.length > 4 ? Integer.parseInt(args[4]) : 10;
		int firstPatient = args.length > 5 ? Integer.parseInt(args[5]) : 0;
		Result result = run(base, patients, concurrency, seed, encounters, firstPatient);
		System.out.printf(
				"| ingest | %d bundles | %d resources | %.0f resources/s | %d errors | median bundle %.0f ms |%n",
				result.bundles(), result.resources(), result.resourcesPerSecond(), result.errors(), result.medianBundleMs());
	}

	/** Generates patients {@code firstPatient..firstPatient+patients-1} and posts them. */
	public static Result run(String base, int patients, int concurrency, long seed, int encounters, int firstPatient)
			throws Exception {
		return run(base, System.getenv("FHIR_TOKEN"), patients, concurrency, seed, encounters, firstPatient);
	}

	/** As above, with the bearer token to send (null for none). */
	public static Result run(
			String base, String token, int patients, int concurrency, long seed, int encounters, int firstPatient)
			throws Exception {
		IParser json = FhirContext.forR4Cached().newJsonParser();
		SyntheticPatients generator = new SyntheticPatients(seed);
		List<String> bodies = new ArrayList<>();
		int resources = 0;
		for (int i = 0; i < patients; i++) {
			Bundle bundle = generator.patientBundle(firstPatient + i, encounters);
			resources += bundle.getEntry().size();
			bodies.add(json.encodeResourceToString(bundle));
		}
		List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
		AtomicInteger errors = new AtomicInteger();
		List<String> firstError = Collections.synchronizedList(new ArrayList<>());
		AtomicInteger next = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(concurrency);
		long started = System.nanoTime();
		List<Future<?>> workers = new ArrayList<>();
		for (int w = 0; w < concurrency; w++) {
			workers.add(pool.submit(() -> {
				for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
					long t0 = System.nanoTime();
					try {
						HttpResponse<String> response = HTTP.send(
								SearchBenchmark.withToken(HttpRequest.newBuilder(URI.create(base)), token)
										.header("Content-Type", "application/fhir+json")
										.header("Prefer", "return=minimal")
										.timeout(Duration.ofMinutes(2))
										.POST(HttpRequest.BodyPublishers.ofString(bodies.get(i), StandardCharsets.UTF_8))
										.build(),
								HttpResponse.BodyHandlers.ofString());
						if (response.statusCode() >= 300) {
							errors.incrementAndGet();
							if (firstError.isEmpty()) {
								firstError.add(response.statusCode() + " " + abbreviate(response.body()));
							}
						}
					} catch (Exception e) {
						errors.incrementAndGet();
						if (firstError.isEmpty()) {
							firstError.add(e.toString());
						}
					}
					latencies.add((System.nanoTime() - t0) / 1e6);
				}
				return null;
			}));
		}
		for (Future<?> worker : workers) {
			worker.get();
		}
		double seconds = (System.nanoTime() - started) / 1e9;
		pool.shutdown();
		return new Result(bodies.size(), resources, errors.get(), seconds, median(latencies), firstError.isEmpty() ? null : firstError.get(0));
	}


	static double median(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		if (sorted.isEmpty()) {
			return Double.NaN;
		}
		int middle = sorted.size() / 2;
		return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

	private static String abbreviate(String text) {
		return text.length() > 300 ? text.substring(0, 300) + "…" : text;
	}
}
