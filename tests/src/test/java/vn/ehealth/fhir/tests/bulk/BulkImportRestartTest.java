package vn.ehealth.fhir.tests.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.ehealth.fhir.tests.bulk.BulkImports.count;
import static vn.ehealth.fhir.tests.bulk.BulkImports.line;
import static vn.ehealth.fhir.tests.bulk.BulkImports.manifest;
import static vn.ehealth.fhir.tests.bulk.BulkImports.ndjson;
import static vn.ehealth.fhir.tests.bulk.BulkImports.path;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/** A restart in the middle of an import: the job continues from its last stored chunk; every resource is stored once. */
class BulkImportRestartTest {

	private static final Pattern STORED = Pattern.compile("running: ([\\d,]+) resources stored");

	@Test
	void aJobInterruptedByARestartContinuesAndStoresEachResourceOnce() {
		String run = "rst-" + Fixtures.uniqueValue().substring(0, 8);
		int total = 2_500;
		List<String> cccds = Fixtures.cccds("001085", total);
		List<String> lines = new ArrayList<>();
		for (int i = 0; i < total; i++) {
			Patient patient = Fixtures.patientWithCccd(cccds.get(i), "male", "1985-03-02");
			patient.getIdentifierFirstRep().setValue(run);
			patient.setId(run + "-" + i);
			lines.add(line(patient));
		}
		Http http = TestServer.shared().http();
		String status = BulkImports.upload(http, ndjson(lines));

		// wait for the first stored chunk, then restart the server under the running job
		Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
		long storedBefore = 0;
		while (storedBefore == 0) {
			Http.Response poll = http.get(path(status));
			assertThat(poll.status()).as("the job ended before the restart: " + poll.body()).isEqualTo(202);
			Matcher m = STORED.matcher(poll.header("X-Progress"));
			storedBefore = m.find() ? Long.parseLong(m.group(1).replace(",", "")) : 0;
			assertThat(Instant.now()).isBefore(deadline);
			BulkImports.sleep(200);
		}
		TestServer restarted = TestServer.restartShared();
		Http after = restarted.http();

		Map<String, Object> manifest = manifest(BulkImports.await(after, status));
		assertThat(count(manifest, "output", "Patient")).isEqualTo(total);
		Bundle found = after.get("/fhir/Patient?identifier=" + Fixtures.TEST_ID_SYSTEM + "%7C" + run + "&_summary=count",
				"application/fhir+json").resource(Bundle.class);
		assertThat(found.getTotal()).isEqualTo(total);
		// the first chunk was stored before the restart and not again after it
		Bundle history = after.get("/fhir/Patient/" + run + "-0/_history", "application/fhir+json").resource(Bundle.class);
		assertThat(history.getTotal()).isEqualTo(1);
	}
}
