package vn.ehealth.fhir.bench;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.springframework.context.ConfigurableApplicationContext;
import vn.ehealth.fhir.synth.ClaimXml;
import vn.ehealth.fhir.synth.SyntheticData;

/**
 * Claim XML ingest against FHIR transactions of the same care (issue 18: XML at ≥ 0.8 × the FHIR
 * transaction rate; a large hospital's day, 2,000 episodes, in under 3 minutes on 2 cores). Takes
 * the synthetic patients whose finished visits make the episodes, then on fresh servers with
 * validation enforced (security off, as the other ingest benchmarks): posts each patient's record
 * as one FHIR transaction, and posts the same visits as claim XML envelopes (a facility's episodes
 * of a patient, at most 10 an envelope), both at the same concurrency after the directory is loaded;
 * then, optionally, all the envelopes again as one ZIP job on a third server. Prints a Markdown table.
 *
 * <p>{@code mvn -q -pl tests exec:java -Dexec.mainClass=vn.ehealth.fhir.bench.ClaimXmlBenchmark
 * -Dexec.args="2000 2 42 zip"} (episodes, concurrency, seed, "zip" to time the ZIP job too).
 */
public final class ClaimXmlBenchmark {

	private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(10)).build();
	private static final ObjectMapper JSON = new ObjectMapper();

	/** What one way of loading did: stored episodes and resources, refused ones, seconds. */
	record Run(int episodes, int resources, int errors, double seconds, String firstError) {}

	public static void main(String[] args) throws Exception {
		int wanted = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
		int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 2;
		long seed = args.length > 2 ? Long.parseLong(args[2]) : 42;
		boolean zip = args.length > 3 && args[3].equals("zip");

		SyntheticData data = new SyntheticData(seed, Math.max(10, wanted / 5));
		Map<Integer, List<ClaimXml.Episode>> byPatient = new LinkedHashMap<>();
		int episodes = 0;
		for (int n : data.patientNumbers()) {
			if (episodes >= wanted) {
				break;
			}
			List<ClaimXml.Episode> visits = ClaimXml.episodes(data, n, wanted - episodes);
			byPatient.put(n, visits);
			episodes += visits.size();
		}
		List<String> envelopes = new ArrayList<>();
		byPatient.values().forEach(visits -> envelopes.addAll(envelopes(visits)));
		System.out.printf(Locale.ROOT, "%d episodes of %d patients in %d envelopes%n", episodes, byPatient.size(), envelopes.size());

		List<String> transactions = new ArrayList<>();
		byPatient.keySet().forEach(n -> transactions.add(encode(data.patientBundle(n))));
		Run fhir = onFreshServer(data, base -> post(base, transactions, "application/fhir+json", concurrency, ClaimXmlBenchmark::transactionCounts));
		Run xml = onFreshServer(data, base -> post(base + "/$import-claim-xml", envelopes, "application/xml", concurrency,
				ClaimXmlBenchmark::claimXmlCounts));
		Run job = zip ? onFreshServer(data, base -> zipJob(base, envelopes)) : null;

		System.out.println("\n| load | episodes | resources | seconds | episodes/s | resources/s | errors |");
		System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
		row("FHIR transactions (a patient's record each)", fhir, episodes);
		row("claim XML envelopes", xml, xml.episodes());
		if (job != null) {
			row("claim XML, one ZIP job", job, job.episodes());
		}
		System.out.printf(Locale.ROOT, "%nXML / FHIR resources per second: %.2f (target ≥ 0.8); %d episodes in %.0f s (target < 180 s)%n",
				(xml.resources() / xml.seconds()) / (fhir.resources() / fhir.seconds()), xml.episodes(), xml.seconds());
		for (Run run : new Run[] {fhir, xml, job}) {
			if (run != null && run.firstError() != null) {
				System.out.println("first error: " + run.firstError());
			}
		}
	}

	/** A patient's episodes as envelopes: one per facility, at most 10 episodes each. */
	private static List<String> envelopes(List<ClaimXml.Episode> visits) {
		Map<String, List<ClaimXml.Episode>> byFacility = new LinkedHashMap<>();
		visits.forEach(e -> byFacility.computeIfAbsent(e.facility(), f -> new ArrayList<>()).add(e));
		List<String> envelopes = new ArrayList<>();
		byFacility.forEach((facility, list) -> {
			for (int i = 0; i < list.size(); i += 10) {
				envelopes.add(ClaimXml.envelope(facility, list.subList(i, Math.min(list.size(), i + 10))));
			}
		});
		return envelopes;
	}

	private static void row(String name, Run run, int episodes) {
		System.out.printf(Locale.ROOT, "| %s | %,d | %,d | %.1f | %.1f | %.0f | %d |%n", name, episodes, run.resources(), run.seconds(),
				episodes / run.seconds(), run.resources() / run.seconds(), run.errors());
	}

	private interface Load {
		Run run(String base) throws Exception;
	}

	/** A fresh server with validation enforced and the directory (facilities, practitioners) loaded. */
	private static Run onFreshServer(SyntheticData data, Load load) throws Exception {
		ConfigurableApplicationContext server = ValidationCostBenchmark.start("enforce");
		try {
			String base = ValidationCostBenchmark.base(server);
			HttpResponse<String> directory = send(base, encode(data.directoryBundle()), "application/fhir+json", Map.of());
			if (directory.statusCode() != 200) {
				throw new IllegalStateException("directory: " + directory.statusCode() + " " + directory.body());
			}
			return load.run(base);
		} finally {
			server.close();
		}
	}

	/** Counts of one answer: [stored episodes, stored resources, refused]. */
	private static int[] transactionCounts(JsonNode response) {
		return new int[] {0, response.path("entry").size(), 0};
	}

	private static int[] claimXmlCounts(JsonNode response) {
		int[] counts = new int[3];
		for (JsonNode episode : response.path("entry")) {
			if (episode.path("response").path("status").asText().startsWith("200")) {
				counts[0]++;
				counts[1] += episode.path("resource").path("entry").size();
			} else {
				counts[2]++;
			}
		}
		return counts;
	}

	private static Run post(String url, List<String> bodies, String contentType, int concurrency, Function<JsonNode, int[]> counts)
			throws Exception {
		AtomicInteger next = new AtomicInteger();
		int[] totals = new int[3];
		List<String> firstError = new ArrayList<>();
		ExecutorService pool = Executors.newFixedThreadPool(concurrency);
		long started = System.nanoTime();
		List<Future<?>> workers = new ArrayList<>();
		for (int w = 0; w < concurrency; w++) {
			workers.add(pool.submit(() -> {
				for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
					HttpResponse<String> response = send(url, bodies.get(i), contentType, Map.of());
					int[] c = response.statusCode() == 200 ? counts.apply(JSON.readTree(response.body())) : new int[] {0, 0, 1};
					synchronized (totals) {
						for (int k = 0; k < 3; k++) {
							totals[k] += c[k];
						}
						if ((c[2] > 0 || response.statusCode() != 200) && firstError.isEmpty()) {
							firstError.add(response.statusCode() + " " + abbreviate(response.body()));
						}
					}
				}
				return null;
			}));
		}
		for (Future<?> worker : workers) {
			worker.get();
		}
		pool.shutdown();
		return new Run(totals[0], totals[1], totals[2], (System.nanoTime() - started) / 1e9, firstError.isEmpty() ? null : firstError.get(0));
	}

	/** Every envelope in one ZIP, one job, polled to its manifest. */
	private static Run zipJob(String base, List<String> envelopes) throws Exception {
		Map<String, String> files = new LinkedHashMap<>();
		for (int i = 0; i < envelopes.size(); i++) {
			files.put("hoso-" + i + ".xml", envelopes.get(i));
		}
		byte[] zip = ClaimXml.zip(files);
		long started = System.nanoTime();
		HttpResponse<String> kickOff = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/$import-claim-xml"))
				.header("Content-Type", "application/zip").header("Prefer", "respond-async")
				.POST(HttpRequest.BodyPublishers.ofByteArray(zip)).build(), HttpResponse.BodyHandlers.ofString());
		String status = kickOff.headers().firstValue("Content-Location").orElseThrow(() -> new IllegalStateException(kickOff.body()));
		while (true) {
			HttpResponse<String> poll = HTTP.send(HttpRequest.newBuilder(URI.create(status)).GET().build(),
					HttpResponse.BodyHandlers.ofString());
			if (poll.statusCode() == 202) {
				Thread.sleep(1000);
				continue;
			}
			double seconds = (System.nanoTime() - started) / 1e9;
			JsonNode manifest = JSON.readTree(poll.body());
			int resources = 0;
			for (JsonNode output : manifest.path("output")) {
				resources += output.path("count").asInt();
			}
			return new Run(manifest.path("extension").path("episodesStored").asInt(), resources,
					manifest.path("extension").path("episodesRefused").asInt(), seconds, poll.statusCode() == 200 ? null : poll.body());
		}
	}

	private static HttpResponse<String> send(String url, String body, String contentType, Map<String, String> headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
				.header("Accept", "application/fhir+json").timeout(Duration.ofMinutes(5))
				.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
		headers.forEach(request::header);
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String encode(org.hl7.fhir.r4.model.Bundle bundle) {
		return FhirContext.forR4Cached().newJsonParser().encodeResourceToString(bundle);
	}

	private static String abbreviate(String text) {
		return text.length() > 400 ? text.substring(0, 400) + "…" : text;
	}
}
