package vn.ehealth.fhir.tests.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;
import vn.ehealth.fhir.tests.support.Tokens;

/** Kick-off, polling and NDJSON building for the bulk import tests. */
final class BulkImports {

	static final String NDJSON = "application/fhir+ndjson";

	private BulkImports() {}

	/** One line of NDJSON: the resource as compact JSON. */
	static String line(IBaseResource resource) {
		return TestServer.fhirContext().newJsonParser().setPrettyPrint(false).encodeResourceToString(resource);
	}

	static String ndjson(List<String> lines) {
		return String.join("\n", lines) + "\n";
	}

	static Observation heartRate(String id, String patientReference) {
		Observation obs = new Observation();
		obs.setId(id);
		obs.setStatus(Observation.ObservationStatus.FINAL);
		obs.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4").setDisplay("Nhịp tim");
		obs.setSubject(new Reference(patientReference));
		obs.setValue(new Quantity().setValue(72).setUnit("/min"));
		return obs;
	}

	/** POST /fhir/$import with the NDJSON as the body; the status URL (asserts 202). */
	static String upload(Http http, String ndjson) {
		Http.Response response = http.post("/fhir/$import", NDJSON, ndjson);
		assertThat(response.status()).as(response.body()).isEqualTo(202);
		String location = response.header("Content-Location");
		assertThat(location).contains("$import-poll-status?_jobId=");
		return location;
	}

	/** The path (from /fhir) of a status URL, for {@link Http}. */
	static String path(String url) {
		return url.substring(url.indexOf("/fhir/"));
	}

	/** Polls until the job is no longer running; the final response. */
	static Http.Response await(Http http, String statusUrl) {
		Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
		while (true) {
			Http.Response response = http.get(path(statusUrl));
			if (response.status() != 202) {
				return response;
			}
			assertThat(response.header("X-Progress")).as(response.raw().headers() + " " + response.body()).isNotBlank();
			assertThat(response.header("Retry-After")).isNotBlank();
			if (Instant.now().isAfter(deadline)) {
				throw new AssertionError("import still running: " + response.header("X-Progress"));
			}
			sleep(300);
		}
	}

	static Http.Response delete(Http http, String statusUrl) {
		return http.send(HttpRequest.newBuilder(http.uri(path(statusUrl))).DELETE());
	}

	static Map<String, Object> manifest(Http.Response response) {
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return Tokens.json(response.body());
	}

	@SuppressWarnings("unchecked")
	static long count(Map<String, Object> manifest, String array, String type) {
		return ((List<Map<String, Object>>) manifest.get(array)).stream()
				.filter(e -> type.equals(e.get("type")))
				.mapToLong(e -> ((Number) e.get("count")).longValue())
				.sum();
	}

	@SuppressWarnings("unchecked")
	static String errorUrl(Map<String, Object> manifest) {
		List<Map<String, Object>> errors = (List<Map<String, Object>>) manifest.get("error");
		return errors.isEmpty() ? null : (String) errors.get(0).get("url");
	}

	static HttpRequest.Builder post(Http http, String path, String contentType, String body) {
		return HttpRequest.newBuilder(http.uri(path))
				.header("Content-Type", contentType)
				.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}
}
