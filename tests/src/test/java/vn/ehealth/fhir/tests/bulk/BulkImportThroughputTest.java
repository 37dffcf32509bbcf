package vn.ehealth.fhir.tests.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.bench.BulkImportBenchmark;
import vn.ehealth.fhir.bench.IngestBenchmark;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * A few thousand synthetic resources through $import under enforced validation: all stored, none
 * failing, and the same file again changes nothing. Prints the rate (docs/bulk-import.md).
 */
class BulkImportThroughputTest {

	@Test
	void importsAFewThousandValidatedResourcesAndTheSameFileAgainChangesNothing() throws Exception {
		TestServer server = TestServer.shared();
		// the same kind of data through REST transactions (one bundle per patient, 2 at a time), for
		// comparison; first, so that both find the server's caches warm
		IngestBenchmark.Result rest = IngestBenchmark.run(server.baseUrl(), server.tokens().token(), 60, 2, 9_301L, 12, 0);
		assertThat(rest.errors()).isZero();

		// 60 patients × (patient, condition, 12 encounters × (encounter + 3 vital signs)) = 3,000 resources
		String ndjson = BulkImportBenchmark.ndjson(60, 9_302L, 12);
		BulkImportBenchmark.Result first = BulkImportBenchmark.run(server.baseUrl(), server.tokens().token(), ndjson);
		assertThat(first.resources()).isEqualTo(3_000);
		assertThat(first.errors()).isZero();
		assertThat(first.stored()).isEqualTo(3_000);
		assertThat(first.unchanged()).isZero();

		BulkImportBenchmark.Result again = BulkImportBenchmark.run(server.baseUrl(), server.tokens().token(), ndjson);
		assertThat(again.stored()).isEqualTo(3_000);
		assertThat(again.unchanged()).isEqualTo(3_000);
		System.out.printf("$import of %d resources: %.0f resources/s new, %.0f resources/s again (unchanged);"
						+ " REST transactions: %.0f resources/s%n",
				first.resources(), first.resourcesPerSecond(), again.resourcesPerSecond(), rest.resourcesPerSecond());
	}
}
