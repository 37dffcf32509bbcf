package vn.ehealth.fhir.tests.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import java.util.Map;
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
		assertThat(record).hasSize(3).allSatisfy((call, percentiles) -> assertThat(percentiles[0]).isPositive());
	}
}
