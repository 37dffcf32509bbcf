package vn.ehealth.fhir.tests.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.ehealth.fhir.tests.bulk.BulkExports.enc;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * The checks of the SMART Bulk Data Tester (BDT) the server used to fail (issue 16): one SUBSETTED
 * tag with _elements, the kick-off's Accept, Prefer handling=lenient, a Group export's patient
 * parameter, and the Bulk Data 3.0 parameters _until, organizeOutputBy (values other than Patient;
 * Patient is {@link BulkExportByPatientTest}) and allowPartialManifests.
 */
class BulkDataConformanceTest {

	private static final ObjectMapper JSON = new ObjectMapper();
	private static final String SUBSETTED_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";
	private static final String ASYNC = "respond-async";
	private static final String LENIENT = "respond-async, handling=lenient";
	private static TestServer server;
	private static IGenericClient client;
	private static BulkExports exports;
	/** Just before this class wrote its data: exports _since it see only this class's resources. */
	private static Instant since;
	private static final List<IdType> patients = new ArrayList<>();

	@BeforeAll
	static void data() throws Exception {
		server = TestServer.shared();
		client = server.client();
		exports = new BulkExports(server.http(), server.rootUrl());
		since = Instant.now().minusMillis(5);
		Thread.sleep(10);
		for (int i = 0; i < 3; i++) {
			Patient patient = Fixtures.patientWithCccd(Fixtures.cccd("001090"), "male", "1990-05-0" + (i + 1));
			IdType id = (IdType) client.create().resource(patient).execute().getId().toUnqualifiedVersionless();
			patients.add(id);
			Observation observation = new Observation();
			observation.setStatus(Observation.ObservationStatus.FINAL);
			observation.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
			observation.setSubject(new Reference(id));
			client.create().resource(observation).execute();
		}
	}

	@Test
	void elementsMarksEachLineSubsettedExactlyOnce() throws Exception {
		JsonNode manifest = exports.export(exports.kickOff("/fhir/$export?_type=Patient&_elements=gender&_since=" + enc(since.toString()), ASYNC));
		List<String> lines = ours(exports.download(manifest.get("output")).get("Patient"));
		assertThat(lines).hasSize(3);
		for (String line : lines) {
			int subsetted = 0;
			for (JsonNode tag : JSON.readTree(line).path("meta").path("tag")) {
				if (SUBSETTED_SYSTEM.equals(tag.path("system").asText()) && "SUBSETTED".equals(tag.path("code").asText())) {
					subsetted++;
				}
			}
			assertThat(subsetted).as(line).isEqualTo(1);
		}
	}

	@Test
	void kickOffNeedsAcceptFhirJson() {
		String path = "/fhir/$export?_type=Patient&_since=" + enc(since.toString());
		Http.Response missing = exports.send(HttpRequest.newBuilder(server.http().uri(path)).header("Prefer", ASYNC).GET());
		assertRefusedWithOutcome(missing, "Accept");
		Http.Response html = exports.send(HttpRequest.newBuilder(server.http().uri(path)).header("Prefer", ASYNC)
				.header("Accept", "text/html").GET());
		assertRefusedWithOutcome(html, "text/html");
		// what most HTTP clients send by default is taken
		Http.Response any = exports.send(HttpRequest.newBuilder(server.http().uri(path)).header("Prefer", ASYNC)
				.header("Accept", "*/*").GET());
		assertThat(any.status()).as(any.body()).isEqualTo(202);
		exports.send(HttpRequest.newBuilder(server.http().uri(exports.pathOf(any.header("Content-Location")))).DELETE());
	}

	@Test
	void lenientHandlingIgnoresAnUnsupportedTypeFilterWithAWarning() throws Exception {
		String path = "/fhir/$export?_type=Patient&_since=" + enc(since.toString()) + "&_typeFilter=" + enc("Patient?no-such-param=1");
		assertThat(exports.send(exports.kickOff(path, ASYNC)).status()).isEqualTo(400);
		assertThat(exports.send(exports.kickOff(path, "respond-async, handling=strict")).status()).isEqualTo(400);

		JsonNode manifest = exports.export(exports.kickOff(path, LENIENT));
		assertThat(ours(exports.download(manifest.get("output")).get("Patient"))).hasSize(3);
		assertWarning(manifest, "no-such-param");
	}

	@Test
	void lenientHandlingSkipsTypesOutsideThePatientCompartment() throws Exception {
		String path = "/fhir/Patient/$export?_type=Patient,Organization&_since=" + enc(since.toString());
		assertThat(exports.send(exports.kickOff(path, ASYNC)).status()).isEqualTo(400);

		JsonNode manifest = exports.export(exports.kickOff(path, LENIENT));
		Map<String, List<String>> lines = exports.download(manifest.get("output"));
		assertThat(lines.keySet()).containsExactly("Patient");
		assertThat(ours(lines.get("Patient"))).hasSize(3);
		assertWarning(manifest, "Organization");
	}

	@Test
	void groupExportWithPatientExportsOnlyThoseMembers() throws Exception {
		String groupId = BulkExports.createGroup(client, List.of(patients.get(0), patients.get(2)));
		// patients.get(1) is no member: left out, with a warning
		String body = "{\"resourceType\":\"Parameters\",\"parameter\":["
				+ "{\"name\":\"_type\",\"valueString\":\"Patient,Observation\"},"
				+ "{\"name\":\"patient\",\"valueReference\":{\"reference\":\"" + patients.get(2).getValue() + "\"}},"
				+ "{\"name\":\"patient\",\"valueReference\":{\"reference\":\"" + patients.get(1).getValue() + "\"}}]}";
		JsonNode manifest = exports.export(HttpRequest.newBuilder(server.http().uri("/fhir/Group/" + groupId + "/$export"))
				.header("Prefer", ASYNC).header("Accept", "application/fhir+json").header("Content-Type", "application/fhir+json")
				.POST(HttpRequest.BodyPublishers.ofString(body)));
		Map<String, List<String>> lines = exports.download(manifest.get("output"));
		assertThat(lines.get("Patient")).hasSize(1).first().asString().contains("\"id\":\"" + patients.get(2).getIdPart() + "\"");
		assertThat(lines.get("Observation")).hasSize(1).first().asString().contains(patients.get(2).getValue());
		assertWarning(manifest, patients.get(1).getValue());
	}

	@Test
	void untilLimitsTheExportToResourcesChangedAtOrBeforeIt() throws Exception {
		Instant start = Instant.now().minusMillis(5);
		Thread.sleep(10);
		IdType firstId = (IdType) client.create().resource(Fixtures.patientWithCccd(Fixtures.cccd("079091"), "male", "1991-01-01"))
				.execute().getId().toUnqualifiedVersionless();
		Patient first = client.read().resource(Patient.class).withId(firstId).execute();
		Instant until = first.getMeta().getLastUpdated().toInstant();
		Thread.sleep(50);
		client.create().resource(Fixtures.patientWithCccd(Fixtures.cccd("079091"), "male", "1991-01-02")).execute();

		JsonNode manifest = exports.export(exports.kickOff("/fhir/$export?_type=Patient&_since=" + enc(start.toString())
				+ "&_until=" + enc(until.toString()), ASYNC));
		assertThat(exports.download(manifest.get("output")).get("Patient")).hasSize(1).first().asString()
				.contains("\"id\":\"" + first.getIdElement().getIdPart() + "\"");

		assertRefusedWithOutcome(exports.send(exports.kickOff("/fhir/$export?_type=Patient&_until=not-a-date", ASYNC)), "");
		assertRefusedWithOutcome(exports.send(exports.kickOff("/fhir/$export?_type=Patient&_since=" + enc(start.toString())
				+ "&_until=" + enc(start.minusSeconds(60).toString()), ASYNC)), "_until");
	}

	@Test
	void organizeOutputByOtherThanPatientIsRefusedOrUnderLenientHandlingFilesByType() throws Exception {
		String path = "/fhir/Patient/$export?organizeOutputBy=Encounter&_type=Patient&_since=" + enc(since.toString());
		assertRefusedWithOutcome(exports.send(exports.kickOff(path, ASYNC)), "organizeOutputBy");
		assertRefusedWithOutcome(exports.send(exports.kickOff(path, ASYNC)), "Patient");

		JsonNode manifest = exports.export(exports.kickOff(path, LENIENT));
		assertThat(manifest.has("outputOrganizedBy")).isFalse();
		assertThat(ours(exports.download(manifest.get("output")).get("Patient"))).hasSize(3);
		assertWarning(manifest, "organizeOutputBy");
	}

	@Test
	void allowPartialManifestsGetsACompleteOne() throws Exception {
		JsonNode manifest = exports.export(exports.kickOff("/fhir/$export?_type=Patient&allowPartialManifests=true&_since="
				+ enc(since.toString()), ASYNC));
		assertThat(ours(exports.download(manifest.get("output")).get("Patient"))).hasSize(3);
	}

	/** The lines of this class's own patients (other tests of the class add patients after {@code since}). */
	private static List<String> ours(List<String> lines) {
		return lines.stream().filter(line -> patients.stream()
				.anyMatch(id -> line.contains("\"id\":\"" + id.getIdPart() + "\""))).toList();
	}

	private static void assertRefusedWithOutcome(Http.Response response, String mention) {
		assertThat(response.status()).as(response.body()).isEqualTo(400);
		assertThat(response.header("Content-Type")).contains("json");
		assertThat(response.outcome().getIssueFirstRep().getDiagnostics()).contains(mention);
	}

	/** The manifest's error list holds an OperationOutcome file with a warning naming the left-out thing. */
	private static void assertWarning(JsonNode manifest, String mention) {
		List<String> outcomes = exports.download(manifest.get("error")).get("OperationOutcome");
		assertThat(outcomes).isNotNull().anySatisfy(line -> assertThat(line).contains("\"warning\"").contains(mention));
	}
}
