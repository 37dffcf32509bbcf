package vn.ehealth.fhir.tests.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * The guide's Measures are resources like any other: they must pass the server's own validation, or a
 * province → national sync (which carries every resource) refuses them on the national server.
 */
class PublishedMeasuresValidTest {

	@ParameterizedTest
	@ValueSource(strings = {"vn-encounters", "vn-admissions", "vn-discharges", "vn-morbidity", "vn-deaths", "vn-length-of-stay"})
	void theMeasureValidates(String id) throws IOException {
		String measure;
		try (InputStream in = getClass().getClassLoader().getResourceAsStream("vietfhir/measures/Measure-" + id + ".json")) {
			assertThat(in).as("Measure-" + id + ".json in the guide package's sources").isNotNull();
			measure = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		Http.Response response = TestServer.shared().http().post("/fhir/Measure/$validate", "application/fhir+json", measure);
		OperationOutcome outcome = response.outcome();
		assertThat(outcome.getIssue())
				.as(response.body())
				.noneMatch(issue -> issue.getSeverity() == OperationOutcome.IssueSeverity.ERROR
						|| issue.getSeverity() == OperationOutcome.IssueSeverity.FATAL);
	}
}
