package vn.ehealth.fhir.tests.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.ehealth.fhir.tests.bulk.BulkImports.NDJSON;
import static vn.ehealth.fhir.tests.bulk.BulkImports.await;
import static vn.ehealth.fhir.tests.bulk.BulkImports.count;
import static vn.ehealth.fhir.tests.bulk.BulkImports.line;
import static vn.ehealth.fhir.tests.bulk.BulkImports.manifest;
import static vn.ehealth.fhir.tests.bulk.BulkImports.ndjson;
import static vn.ehealth.fhir.tests.bulk.BulkImports.path;
import static vn.ehealth.fhir.tests.bulk.BulkImports.upload;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/** $import of uploaded NDJSON: validation per line, the error file, idempotence, audit. */
class BulkImportTest {

	private static Http http;

	@BeforeAll
	static void server() {
		http = TestServer.shared().http();
	}

	private static Patient patient(String id) {
		Patient patient = Fixtures.patientWithCccd(Fixtures.cccd("001085"), "male", "1985-03-02");
		patient.setId(id);
		return patient;
	}

	@Test
	void storesTheValidLinesAndListsTheInvalidOnesByLineNumber() {
		String run = "imp-" + Fixtures.uniqueValue().substring(0, 8);
		Patient wrongCccd = Fixtures.patientWithCccd(Fixtures.cccd("001185"), "male", "1985-03-02"); // digit 4 says woman
		wrongCccd.setId(run + "-bad");
		Patient noId = patient(null);
		List<String> lines = new ArrayList<>();
		lines.add(line(patient(run + "-a")));                                  // 1 stored
		lines.add(line(wrongCccd));                                            // 2 vn-cccd error
		lines.add("{\"resourceType\":\"Patient\", this is not JSON");          // 3 not JSON
		lines.add(line(BulkImports.heartRate(run + "-o1", "Patient/" + run + "-a"))); // 4 stored
		lines.add(line(noId));                                                 // 5 no id
		lines.add("");                                                         // 6 blank: skipped
		lines.add(line(BulkImports.heartRate(run + "-o2", "Patient/" + run + "-b"))); // 7 refers to line 8: stored on retry
		lines.add(line(patient(run + "-b")));                                  // 8 stored

		String status = upload(http, ndjson(lines));
		Map<String, Object> manifest = manifest(await(http, status));

		assertThat(count(manifest, "output", "Patient")).isEqualTo(2);
		assertThat(count(manifest, "output", "Observation")).isEqualTo(2);
		assertThat(count(manifest, "error", "OperationOutcome")).isEqualTo(3);
		assertThat(manifest.get("transactionTime")).isNotNull();
		assertThat((String) manifest.get("request")).endsWith("/fhir/$import");

		Http.Response errors = http.get(path(BulkImports.errorUrl(manifest)));
		assertThat(errors.status()).isEqualTo(200);
		assertThat(errors.header("Content-Type")).startsWith(NDJSON);
		List<Long> badLines = new ArrayList<>();
		Pattern linePattern = Pattern.compile("^line (\\d+)$");
		for (String text : errors.body().split("\n")) {
			OperationOutcome outcome = TestServer.fhirContext().newJsonParser().parseResource(OperationOutcome.class, text);
			Matcher m = linePattern.matcher(outcome.getIssueFirstRep().getLocation().get(0).getValue());
			assertThat(m.matches()).isTrue();
			badLines.add(Long.parseLong(m.group(1)));
			if (badLines.get(badLines.size() - 1) == 2) {
				assertThat(text).contains(run + "-bad").contains("vn-cccd");
			}
		}
		assertThat(badLines).containsExactly(2L, 3L, 5L);

		assertThat(http.get("/fhir/Patient/" + run + "-a").status()).isEqualTo(200);
		assertThat(http.get("/fhir/Observation/" + run + "-o2").status()).isEqualTo(200);
		assertThat(http.get("/fhir/Patient/" + run + "-bad").status()).isEqualTo(404);
	}

	/** One line that is not UTF-8 (Latin-1 bytes) fails alone and is named in the error file; the job goes on. */
	@Test
	void aLineThatIsNotUtf8IsReportedAndTheOthersAreStored() {
		String run = "utf-" + Fixtures.uniqueValue().substring(0, 8);
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes((line(patient(run + "-a")) + "\n").getBytes(StandardCharsets.UTF_8));
		body.writeBytes("{\"resourceType\":\"Patient\",\"id\":\"x\",\"name\":[{\"family\":\"B\u00e9\"}]}\n"
				.getBytes(StandardCharsets.ISO_8859_1));
		body.writeBytes((line(patient(run + "-b")) + "\n").getBytes(StandardCharsets.UTF_8));
		Http.Response kickOff = http.send(HttpRequest.newBuilder(http.uri("/fhir/$import"))
				.header("Content-Type", NDJSON)
				.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
		assertThat(kickOff.status()).as(kickOff.body()).isEqualTo(202);

		Map<String, Object> manifest = manifest(await(http, kickOff.header("Content-Location")));

		assertThat(count(manifest, "output", "Patient")).isEqualTo(2);
		Http.Response errors = http.get(path(BulkImports.errorUrl(manifest)));
		assertThat(errors.body().split("\n")).hasSize(1);
		OperationOutcome outcome = TestServer.fhirContext().newJsonParser().parseResource(OperationOutcome.class, errors.body());
		assertThat(outcome.getIssueFirstRep().getLocation().get(0).getValue()).isEqualTo("line 2");
		assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("UTF-8");
	}

	@Test
	void importingTheSameDataAgainCreatesNoDuplicatesAndNoNewVersions() {
		String run = "rep-" + Fixtures.uniqueValue().substring(0, 8);
		Patient patient = patient(run + "-p");
		String idValue = patient.getIdentifierFirstRep().getValue();
		String data = ndjson(List.of(line(patient), line(BulkImports.heartRate(run + "-o", "Patient/" + run + "-p"))));

		manifest(await(http, upload(http, data)));
		Map<String, Object> again = manifest(await(http, upload(http, data)));

		assertThat(count(again, "output", "Patient")).isEqualTo(1);
		assertThat(Fixtures.countPatients(TestServer.shared().client(), idValue)).isEqualTo(1);
		Bundle history = http.get("/fhir/Patient/" + run + "-p/_history", "application/fhir+json").resource(Bundle.class);
		assertThat(history.getTotal()).isEqualTo(1);
	}
}
