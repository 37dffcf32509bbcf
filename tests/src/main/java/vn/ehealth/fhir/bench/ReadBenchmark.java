package vn.ehealth.fhir.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Read by id under concurrency: C threads read random Patients (ids taken from one search) for a
 * fixed time; reports reads/s, errors and p50/p95/p99. Works against any FHIR R4 server.
 */
public final class ReadBenchmark {

	private static final HttpClient HTTP = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(10))
			.build();
	private static final Pattern ID = Pattern.compile("\"resourceType\"\\s*:\\s*\"Patient\"\\s*,\\s*\"id\"\\s*:\\s*\"([^\"]+)\"");

	public record Result(long reads, long errors, double seconds, double p50, double p95, double p99) {
		public double readsPerSecond() {
			return reads / seconds;
		}
	}

	public static Result run(String base, String token, int concurrency, Duration duration) throws Exception {
		HttpResponse<String> found = HTTP.send(request(base + "/Patient?_count=200&_elements=id", token).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		List<String> ids = new ArrayList<>();
		Matcher matcher = ID.matcher(found.body());
		while (matcher.find()) {
			ids.add(matcher.group(1));
		}
		if (found.statusCode() != 200 || ids.isEmpty()) {
			throw new IllegalStateException("no patients to read: " + found.statusCode());
		}
		List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
		AtomicLong errors = new AtomicLong();
		long end = System.nanoTime() + duration.toNanos();
		ExecutorService pool = Executors.newFixedThreadPool(concurrency);
		long start = System.nanoTime();
		List<Future<?>> workers = new ArrayList<>();
		for (int w = 0; w < concurrency; w++) {
			int offset = w;
			workers.add(pool.submit(() -> {
				int i = offset;
				while (System.nanoTime() < end) {
					String id = ids.get(i++ % ids.size());
					long t0 = System.nanoTime();
					try {
						HttpResponse<Void> response = HTTP.send(request(base + "/Patient/" + id, token).GET().build(),
								HttpResponse.BodyHandlers.discarding());
						if (response.statusCode() != 200) {
							errors.incrementAndGet();
						}
					} catch (Exception e) {
						errors.incrementAndGet();
					}
					latencies.add((System.nanoTime() - t0) / 1e6);
				}
				return null;
			}));
		}
		for (Future<?> worker : workers) {
			worker.get();
		}
		pool.shutdown();
		double seconds = (System.nanoTime() - start) / 1e9;
		double[] p = SearchBenchmark.percentiles(latencies);
		return new Result(latencies.size(), errors.get(), seconds, p[0], p[1], p[2]);
	}

	static HttpRequest.Builder request(String url, String token) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/fhir+json")
				.timeout(Duration.ofMinutes(1));
		return SearchBenchmark.withToken(request, token);
	}
}
