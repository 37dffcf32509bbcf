package vn.ehealth.fhir.tests.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import java.util.Map;
import vn.ehealth.fhir.bench.BenchmarkSuite;
import vn.ehealth.fhir.bench.IngestBenchmark;
import vn.ehealth.fhir.bench.PatientRecordBenchmark;
import vn.ehealth.fhir.bench.SearchBenchmark;
import vn.ehealth.fhir.tests.support.TestServer;

/** A few synthetic patients through the ingest benchmark: every step completes, nothing fails (issue 8). */
class BenchmarkSmokeTest {


	@Test
	void syntheticPatientsIngestWithoutErrorsUnderEnforcedValidation() throws Exception {
		TestServer server = TestServer.shared();
		IngestBenchmark.Result result =
				IngestBenchmark.run(server.baseUrl(), server.tokens().token(), 4, 2, 99, 3, 0);
		assertThat(result.firstError()).isNull();
		assertThat(result.errors()).isZero();
		assertThat(result.bundles()).isEqualTo(4);
		// 1 patient + 1 condition + 3 encounters × (1 encounter + 3 vital signs)
		assertThat(result.resources()).isEqualTo(4 * (2 + 3 * 4));
		Bundle encounters = server.client().search()
				.byUrl("Encounter?_summary=count&date=ge2021-01-01")
				.returnBundle(Bundle.class)
				.execute();
		assertThat(encounters.getTotal()).isGreaterThanOrEqualTo(12);

		Map<String, double[]> searches = SearchBenchmark.run(server.baseUrl(), server.tokens().token(), 4, 4, 99);
		assertThat(searches).hasSize(6).allSatisfy((query, percentiles) -> assertThat(percentiles[0]).isPositive());

		// a median-sized patient (242 resources): $summary once failed there when HAPI paged a search in the background
		Map<String, double[]> record = PatientRecordBenchmark.run(server.baseUrl(), server.tokens().token(), 60, 3);
		assertThat(record).hasSize(4).allSatisfy((call, percentiles) -> assertThat(percentiles[0]).isPositive());
	}

	/** The whole suite, tiny: every step (ingest, searches, records, export, reads) completes without errors. */
	@Test
	void theWholeSuiteRunsAgainstOurServer() throws Exception {
		TestServer server = TestServer.shared();
		Map<String, String> options = new java.util.HashMap<>(Map.of(
				"server", server.baseUrl(), "token", server.tokens().token(), "patients", "3", "queries", "3",
				"calls", "2", "read-concurrency", "2", "read-seconds", "1", "median-encounters", "3", "large-encounters", "6"));
		options.put("seed", "77");
		BenchmarkSuite.Report report = BenchmarkSuite.run(options);
		assertThat(report.results()).containsKeys("ingest", "search", "patientRecord", "export", "readById");
		assertThat(((Map<?, ?>) report.results().get("ingest")).get("errors")).isEqualTo(0);
		assertThat((Long) ((Map<?, ?>) report.results().get("export")).get("resources")).isPositive();
		assertThat(((Map<?, ?>) report.results().get("readById")).get("errors")).isEqualTo(0L);
		assertThat(report.markdown()).contains("| search mix |", "system $export", "read by id");
	}
}
