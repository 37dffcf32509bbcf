package vn.ehealth.fhir.tests.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.ehealth.fhir.tests.bulk.BulkImports.await;
import static vn.ehealth.fhir.tests.bulk.BulkImports.count;
import static vn.ehealth.fhir.tests.bulk.BulkImports.line;
import static vn.ehealth.fhir.tests.bulk.BulkImports.manifest;
import static vn.ehealth.fhir.tests.bulk.BulkImports.ndjson;
import static vn.ehealth.fhir.tests.bulk.BulkImports.path;
import static vn.ehealth.fhir.tests.bulk.BulkImports.upload;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.bench.BulkImportBenchmark;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.security.RegisteredClients;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * A chunk is one database transaction (issue 21): one that fails in storage stores nothing of itself,
 * then each of its lines is stored on its own and audited; importing the same file again makes no new
 * version, a changed line exactly one. Chunks are stored side by side: a patient's lines stay in one
 * chunk, and a chunk referring to one still being stored waits for it.
 */
class BulkImportChunkTest {

	private static TestServer server;
	private static Http http;

	@BeforeAll
	static void start() {
		server = TestServer.shared();
		http = server.http();
	}

	private static Patient patient(String id) {
		Patient patient = Fixtures.patientWithCccd(Fixtures.cccd("001085"), "male", "1985-03-02");
		patient.setId(id);
		return patient;
	}

	/** The $import audit records naming {@code reference} (as the admin audit API lists them). */
	private static List<AuditEvent> importAudits(String reference) {
		Http.Response response = server.anonymousHttp().send(HttpRequest.newBuilder(
						server.anonymousHttp().uri("/admin/audit/events?patient=" + reference))
				.header("Authorization", "Bearer " + RegisteredClients.adminSecret(server)).GET());
		assertThat(response.status()).isEqualTo(200);
		return response.resource(Bundle.class).getEntry().stream()
				.map(e -> (AuditEvent) e.getResource())
				.filter(e -> e.getSubtype().stream().anyMatch(c -> "$import".equals(c.getCode())))
				.toList();
	}

	private static int versions(String reference) {
		return http.get("/fhir/" + reference + "/_history", "application/fhir+json").resource(Bundle.class).getTotal();
	}

	@Test
	void aChunkThatFailsInStorageStoresNothingOfItThenEachLineAloneAndAuditsWhatWasStored() {
		String run = "chk-" + Fixtures.uniqueValue().substring(0, 8);
		// one chunk: the middle line refers to a patient that exists nowhere, so storage (referential
		// integrity) fails the chunk's transaction after the first line was already written in it
		String data = ndjson(List.of(
				line(patient(run + "-a")),
				line(BulkImports.heartRate(run + "-o", "Patient/" + run + "-nowhere")),
				line(patient(run + "-b"))));

		Map<String, Object> manifest = manifest(await(http, upload(http, data)));

		assertThat(count(manifest, "output", "Patient")).isEqualTo(2);
		assertThat(count(manifest, "output", "Observation")).isZero();
		assertThat(count(manifest, "error", "OperationOutcome")).isEqualTo(1);
		String errors = http.get(path(BulkImports.errorUrl(manifest))).body().trim();
		OperationOutcome outcome = TestServer.fhirContext().newJsonParser().parseResource(OperationOutcome.class, errors);
		assertThat(outcome.getIssueFirstRep().getLocation().get(0).getValue()).isEqualTo("line 2");
		assertThat(http.get("/fhir/Observation/" + run + "-o").status()).isEqualTo(404);
		// the failed chunk left nothing: the patients were stored once, by the lines on their own
		assertThat(versions("Patient/" + run + "-a")).isEqualTo(1);
		assertThat(versions("Patient/" + run + "-b")).isEqualTo(1);
		List<AuditEvent> audits = importAudits("Patient/" + run + "-a");
		assertThat(audits).isNotEmpty().allSatisfy(event -> {
			assertThat(event.getAction()).isEqualTo(AuditEvent.AuditEventAction.U);
			assertThat(event.getEntity()).extracting(e -> e.getWhat().getReference())
					.contains("Patient/" + run + "-a")
					.doesNotContain("Observation/" + run + "-o");
		});
	}

	@Test
	void theSameFileAgainMakesNoNewVersionAndAChangedLineExactlyOne() {
		String run = "ver-" + Fixtures.uniqueValue().substring(0, 8);
		Patient patient = patient(run + "-p");
		Observation observation = BulkImports.heartRate(run + "-o", "Patient/" + run + "-p");
		String data = ndjson(List.of(line(patient), line(observation)));

		Map<String, Object> first = manifest(await(http, upload(http, data)));
		Map<String, Object> again = manifest(await(http, upload(http, data)));
		observation.setValue(new Quantity().setValue(80).setUnit("/min"));
		Map<String, Object> changed = manifest(await(http, upload(http, ndjson(List.of(line(patient), line(observation))))));

		assertThat(unchanged(first)).isZero();
		assertThat(unchanged(again)).isEqualTo(2);
		assertThat(unchanged(changed)).isEqualTo(1);
		assertThat(versions("Patient/" + run + "-p")).isEqualTo(1);
		assertThat(versions("Observation/" + run + "-o")).isEqualTo(2);
	}

	@Test
	void aPatientsRecordsStayInOneChunkEvenWhereTheChunkSizeFallsInsideThem() {
		// 13 patients × 42 lines, each patient's lines together: the 500th line falls inside the 12th
		// patient's; the chunk takes the rest of that patient's lines, which refer to it
		String data = BulkImportBenchmark.ndjson(13, 9_201L, 10);
		List<String> patients = ids(data, "Patient");

		Map<String, Object> manifest = manifest(await(http, upload(http, data)));

		assertThat(count(manifest, "output", "Patient")).isEqualTo(13);
		assertThat(count(manifest, "output", "Observation")).isEqualTo(13 * 30);
		assertThat(count(manifest, "error", "OperationOutcome")).isZero();
		// one chunk, one audit record, per patient: none was split between two chunks
		assertThat(patients).allSatisfy(id -> assertThat(importAudits("Patient/" + id)).hasSize(1));
	}

	@Test
	void aChunkReferringToAChunkStillBeingStoredWaitsForItRatherThanFailing() {
		// a chunk of 500 patients; then another patient, which does not refer to them and so starts the
		// next chunk, and 10 of their conditions: validated in no time, that chunk stored at once beside
		// the first would refer to patients not yet committed and fail (to be retried)
		List<String> lines = BulkImportBenchmark.ndjson(501, 9_202L, 0).lines().toList();
		List<String> patients = lines.stream().filter(l -> l.contains("\"resourceType\":\"Patient\"")).toList();
		List<String> conditions = lines.stream().filter(l -> l.contains("\"resourceType\":\"Condition\"")).limit(10).toList();
		List<String> all = new ArrayList<>(patients);
		all.addAll(conditions);
		String ordered = ndjson(all);
		double retriedBefore = retried();

		Map<String, Object> manifest = manifest(await(http, upload(http, ordered)));

		assertThat(count(manifest, "output", "Patient")).isEqualTo(501);
		assertThat(count(manifest, "output", "Condition")).isEqualTo(10);
		assertThat(count(manifest, "error", "OperationOutcome")).isZero();
		assertThat(retried() - retriedBefore).as("lines refused by storage and retried").isZero();
	}

	/** vietfhir_bulk_import_retried_total: lines storage refused in their chunk, tried again later. */
	private static double retried() {
		String metrics = server.anonymousHttp().get("/actuator/prometheus", "text/plain").body();
		Matcher counter = Pattern.compile("(?m)^vietfhir_bulk_import_retried_total(\\{[^}]*\\})? (\\S+)$").matcher(metrics);
		return counter.find() ? Double.parseDouble(counter.group(2)) : 0;
	}

	/** The ids of the lines of {@code type}, in order. */
	private static List<String> ids(String ndjson, String type) {
		var parser = TestServer.fhirContext().newJsonParser();
		return ndjson.lines()
				.map(parser::parseResource)
				.filter(resource -> resource.fhirType().equals(type))
				.map(resource -> resource.getIdElement().getIdPart())
				.toList();
	}

	@SuppressWarnings("unchecked")
	private static long unchanged(Map<String, Object> manifest) {
		return ((Number) ((Map<String, Object>) manifest.get("extension")).get("unchanged")).longValue();
	}
}
