package vn.ehealth.fhir.bench;

import ca.uhn.fhir.context.FhirContext;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A sustained mixed load for M minutes at concurrency C — 70 % patient reads by CCCD search,
 * 20 % observation searches of a patient, 10 % new patients posted as transactions — reporting
 * operations and errors per minute, so a slowdown or a failure burst over time shows.
 */
public final class SustainedLoad {

	private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(10)).build();

	public record Minute(int minute, long operations, long errors) {}

	public static List<Minute> run(String base, String token, int concurrency, int minutes, int patientsLoaded, long seed)
			throws Exception {
		SyntheticPatients generator = new SyntheticPatients(seed);
		AtomicLongArray operations = new AtomicLongArray(minutes);
		AtomicLongArray errors = new AtomicLongArray(minutes);
		AtomicInteger nextNew = new AtomicInteger(5_000_000 + (int) (System.nanoTime() % 1_000_000));
		long start = System.nanoTime();
		long end = start + Duration.ofMinutes(minutes).toNanos();
		ExecutorService pool = Executors.newFixedThreadPool(concurrency);
		List<Future<?>> workers = new ArrayList<>();
		for (int w = 0; w < concurrency; w++) {
			workers.add(pool.submit(() -> {
				while (System.nanoTime() < end) {
					int minute = (int) Math.min(minutes - 1, (System.nanoTime() - start) / 60_000_000_000L);
					int dice = ThreadLocalRandom.current().nextInt(100);
					boolean ok;
					try {
						if (dice < 90) {
							var patient = generator.patient(ThreadLocalRandom.current().nextInt(Math.max(1, patientsLoaded)));
							String cccd = java.net.URLEncoder.encode("http://fhir.ehealth.gov.vn/core/sid/national_id|"
									+ patient.getIdentifierFirstRep().getValue(), StandardCharsets.UTF_8);
							String url = dice < 70 ? base + "/Patient?identifier=" + cccd
									: base + "/Observation?patient.identifier=" + cccd + "&_sort=-date&_count=20";
							ok = HTTP.send(ReadBenchmark.request(url, token).GET().build(), HttpResponse.BodyHandlers.discarding())
									.statusCode() == 200;
						} else {
							String body = FhirContext.forR4Cached().newJsonParser()
									.encodeResourceToString(generator.patientBundle(nextNew.getAndIncrement(), 2));
							ok = HTTP.send(ReadBenchmark.request(base, token).header("Content-Type", "application/fhir+json")
									.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
									HttpResponse.BodyHandlers.discarding()).statusCode() < 300;
						}
					} catch (Exception e) {
						ok = false;
					}
					operations.incrementAndGet(minute);
					if (!ok) {
						errors.incrementAndGet(minute);
					}
				}
				return null;
			}));
		}
		for (Future<?> worker : workers) {
			worker.get();
		}
		pool.shutdown();
		List<Minute> result = new ArrayList<>();
		for (int m = 0; m < minutes; m++) {
			result.add(new Minute(m + 1, operations.get(m), errors.get(m)));
		}
		return result;
	}
}
