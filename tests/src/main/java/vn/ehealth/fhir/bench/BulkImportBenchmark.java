package vn.ehealth.fhir.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Imports synthetic patients (the ingest benchmark's, as NDJSON with ids) through {@code $import}
 * and reports resources per second from kick-off to completed manifest; then imports the same file
 * again (every resource unchanged) and reports that too.
 *
 * <p>{@code mvn -q -pl tests -am exec:java -Dexec.mainClass=vn.ehealth.fhir.bench.BulkImportBenchmark
 * -Dexec.args="http://localhost:8080/fhir 100"} (base URL, patients[, seed, encounters]); the token
 * in the environment variable {@code FHIR_TOKEN}.
 */
public final class BulkImportBenchmark {

	private static final HttpClient HTTP = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(10))
			.build();
	private static final ObjectMapper JSON = new ObjectMapper();

	/** One import: resources in the file, resources stored, unchanged among them, lines with errors, seconds. */
	public record Result(int resources, long stored, long unchanged, long errors, double seconds) {
		public double resourcesPerSecond() {
			return resources / seconds;
		}
	}

	public static void main(String[] args) throws Exception {
		String base = args.length > 0 ? args[0] : "http://localhost:8080/fhir";
		int patients = args.length > 1 ? Integer.parseInt(args[1]) : 100;
		long seed = args.length > 2 ? Long.parseLong(args[2]) : System.currentTimeMillis();
		int encounters = args.length > 3 ? Integer.parseInt(args[3]) : 10;
		String ndjson = ndjson(patients, seed, encounters);
		String token = System.getenv("FHIR_TOKEN");
		for (String label : new String[] {"new", "again (unchanged)"}) {
			Result result = run(base, token, ndjson);
			System.out.printf("| $import %s | %d resources | %.1f s | %.0f resources/s | %d unchanged | %d errors |%n",
					label, result.resources(), result.seconds(), result.resourcesPerSecond(), result.unchanged(), result.errors());
		}
	}

	/**
	 * The synthetic patients as NDJSON: each resource with an id (its urn:uuid's UUID), references
	 * rewritten from urn:uuid to Type/id; a patient's lines before those that refer to it.
	 */
	public static String ndjson(int patients, long seed, int encounters) {
		return ndjson(patients, seed, encounters, 0);
	}

	/** As above, patients {@code firstPatient..firstPatient+patients-1} of the seed. */
	public static String ndjson(int patients, long seed, int encounters, int firstPatient) {
		FhirContext fhir = FhirContext.forR4Cached();
		IParser parser = fhir.newJsonParser().setPrettyPrint(false);
		SyntheticPatients generator = new SyntheticPatients(seed);
		StringBuilder out = new StringBuilder();
		for (int n = firstPatient; n < firstPatient + patients; n++) {
			Bundle bundle = generator.patientBundle(n, encounters);
			Map<String, String> ids = new HashMap<>();
			for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
				String uuid = entry.getFullUrl().substring("urn:uuid:".length());
				ids.put(entry.getFullUrl(), entry.getResource().fhirType() + "/" + uuid);
				entry.getResource().setId(uuid);
			}
			for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
				Resource resource = entry.getResource();
				for (Reference reference : fhir.newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
					String target = ids.get(reference.getReference());
					if (target != null) {
						reference.setReference(target);
					}
				}
				out.append(parser.encodeResourceToString(resource)).append('\n');
			}
		}
		return out.toString();
	}

	/** Uploads the NDJSON to {@code $import} and polls to the manifest. */
	public static Result run(String base, String token, String ndjson) throws Exception {
		return run(base, () -> token, ndjson);
	}

	/** As above, a token from {@code tokens} for each call (a slow import outlives one token). */
	public static Result run(String base, Supplier<String> tokens, String ndjson) throws Exception {
		String token = tokens.get();
		int resources = (int) ndjson.chars().filter(c -> c == '\n').count();
		long start = System.nanoTime();
		HttpResponse<String> kickOff = HTTP.send(SearchBenchmark.withToken(HttpRequest.newBuilder(URI.create(base + "/$import")), token)
				.header("Content-Type", "application/fhir+ndjson")
				.POST(HttpRequest.BodyPublishers.ofString(ndjson, StandardCharsets.UTF_8))
				.build(), HttpResponse.BodyHandlers.ofString());
		if (kickOff.statusCode() != 202) {
			throw new IllegalStateException("$import answered " + kickOff.statusCode() + ": " + kickOff.body());
		}
		String status = kickOff.headers().firstValue("Content-Location").orElseThrow();
		while (true) {
			HttpResponse<String> poll = HTTP.send(SearchBenchmark.withToken(HttpRequest.newBuilder(URI.create(status)), tokens.get()).GET().build(),
					HttpResponse.BodyHandlers.ofString());
			if (poll.statusCode() == 200) {
				double seconds = (System.nanoTime() - start) / 1e9;
				JsonNode manifest = JSON.readTree(poll.body());
				long stored = 0;
				for (JsonNode output : manifest.path("output")) {
					stored += output.path("count").asLong();
				}
				long errors = 0;
				for (JsonNode error : manifest.path("error")) {
					errors += error.path("count").asLong();
				}
				return new Result(resources, stored, manifest.path("extension").path("unchanged").asLong(), errors, seconds);
			}
			if (poll.statusCode() != 202) {
				throw new IllegalStateException("$import failed: " + poll.statusCode() + " " + poll.body());
			}
			Thread.sleep(200);
		}
	}

}
