package vn.ehealth.fhir.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Map;

/**
 * Per-patient calls of a {@link SideBySide} sitting on any data set: patients named by an identifier
 * ({@code system|value}), looked up on each server (server ids differ), then each patient's whole
 * record through {@code $everything} (every page followed) and, for data sets other than our
 * synthetic patients (whose search mix is {@link SearchBenchmark}'s), searches by patient.
 */
final class SideBySidePatients {

	static final String EVERYTHING = "Patient/[id]/$everything (all pages, _count=100)";
	private static final ObjectMapper JSON = new ObjectMapper();
	private static final HttpClient HTTP =
			HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

	private SideBySidePatients() {}

	/** Identifiers of the first {@code count} patients {@code base} lists (the first identifier of each that has a system). */
	static List<String> sampleIdentifiers(String base, String token, int count) throws Exception {
		JsonNode bundle = get(base + "/Patient?_count=" + count + "&_elements=identifier", token);
		List<String> identifiers = new ArrayList<>();
		for (JsonNode entry : bundle.path("entry")) {
			for (JsonNode identifier : entry.path("resource").path("identifier")) {
				if (identifier.hasNonNull("system") && identifier.hasNonNull("value")) {
					identifiers.add(identifier.get("system").asText() + "|" + identifier.get("value").asText());
					break;
				}
			}
		}
		if (identifiers.isEmpty()) {
			throw new IllegalStateException(base + " lists no patient with an identifier");
		}
		return identifiers;
	}

	/** The server's id of each patient, in order; throws when one is not found. */
	static List<String> ids(String base, String token, List<String> identifiers) throws Exception {
		List<String> ids = new ArrayList<>();
		for (String identifier : identifiers) {
			JsonNode found = get(base + "/Patient?_elements=id&identifier=" + URLEncoder.encode(identifier, StandardCharsets.UTF_8), token);
			JsonNode id = found.path("entry").path(0).path("resource").path("id");
			if (id.isMissingNode()) {
				throw new IllegalStateException(base + " has no patient " + identifier);
			}
			ids.add(id.asText());
		}
		return ids;
	}

	/** p50/p95/p99 ms of {@code $everything} (and with {@code searches} the searches by patient) over the patients. */
	static Map<String, double[]> run(String base, String token, List<String> ids, boolean searches) throws Exception {
		Map<String, String> calls = new LinkedHashMap<>();
		if (searches) {
			calls.put("Condition?patient=", "Condition?patient=Patient/%s");
			calls.put("Encounter?patient=", "Encounter?patient=Patient/%s");
			calls.put("Observation?patient=&_sort=-date (first page)", "Observation?patient=Patient/%s&_sort=-date");
		}
		calls.put(EVERYTHING, "Patient/%s/$everything?_count=100");
		Map<String, double[]> results = new LinkedHashMap<>();
		for (Map.Entry<String, String> call : calls.entrySet()) {
			boolean everyPage = call.getKey().equals(EVERYTHING);
			List<Double> latencies = new ArrayList<>();
			for (String id : ids) {
				long t0 = System.nanoTime();
				String next = base + "/" + String.format(call.getValue(), id);
				while (next != null) {
					JsonNode page = get(next, token);
					next = everyPage ? nextLink(page) : null;
				}
				latencies.add((System.nanoTime() - t0) / 1e6);
			}
			results.put(call.getKey(), SearchBenchmark.percentiles(latencies));
		}
		return results;
	}

	private static String nextLink(JsonNode bundle) {
		for (JsonNode link : bundle.path("link")) {
			if ("next".equals(link.path("relation").asText())) {
				return link.path("url").asText();
			}
		}
		return null;
	}

	private static JsonNode get(String url, String token) throws Exception {
		HttpResponse<String> response = HTTP.send(SearchBenchmark.withToken(HttpRequest.newBuilder(URI.create(url)), token)
				.header("Accept", "application/fhir+json").timeout(Duration.ofMinutes(2)).GET().build(),
				HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		if (response.statusCode() != 200) {
			throw new IllegalStateException(url + " -> " + response.statusCode());
		}
		return JSON.readTree(response.body());
	}
}
