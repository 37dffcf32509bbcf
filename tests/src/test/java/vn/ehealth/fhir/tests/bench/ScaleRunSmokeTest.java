package vn.ehealth.fhir.tests.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.bench.ScaleRun;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * The scale run, tiny: 2 then 4 patients (half by REST transactions, half by $import) on the suite's
 * server with security and enforced validation; every measurement is taken and every count checked
 * (issue 21). The real run is the README command, outside CI.
 */
class ScaleRunSmokeTest {

	@Test
	void twoStepsLoadMeasureAndFindEveryResource() throws Exception {
		TestServer server = TestServer.shared();
		// a seed of its own: the Vietnamese data set PUTs at ids that start with it
		long seed = 700_000 + (System.nanoTime() & 0xFFFF);
		ScaleRun.Settings settings = new ScaleRun.Settings(2, new int[] {1, 2}, "vn", seed, 2, 2, 1, true, "enforce");
		ScaleRun.Report report = ScaleRun.run(settings, server.baseUrl(), server.tokens()::token,
				server.context().getBean(DataSource.class), System.out);

		assertThat(report.steps()).hasSize(2);
		ScaleRun.Step last = report.steps().get(1);
		assertThat(last.patients()).isEqualTo(4);
		assertThat(last.rest().patients()).isEqualTo(1);
		assertThat(last.bulkImport().patients()).isEqualTo(1);
		assertThat(last.rest().resources()).isPositive();
		assertThat(last.bulkImport().resources()).isPositive();
		assertThat(last.exported()).isGreaterThanOrEqualTo(last.resources());
		assertThat(last.databaseBytes()).isPositive();
		assertThat(last.searches()).hasSize(5).allSatisfy((query, p) -> assertThat(p[0]).isPositive());
		assertThat(last.records()).hasSize(2).allSatisfy((call, p) -> assertThat(p[0]).isPositive());
		assertThat(report.markdown()).contains("| 2× | 4 |", "$import res/s", "bytes/resource", "Patient/[id]/$summary");
	}

	@Test
	void aMissingResourceStopsTheRunNamingTheType() {
		TestServer server = TestServer.shared();
		Map<String, Long> expected = new HashMap<>();
		for (String type : ScaleRun.TYPES) {
			expected.put(type, server.client().search().byUrl(type + "?_summary=count")
					.returnBundle(org.hl7.fhir.r4.model.Bundle.class).execute().getTotal() + 0L);
		}
		expected.merge("Observation", 1L, Long::sum);
		assertThatThrownBy(() -> ScaleRun.check(server.baseUrl(), server.tokens()::token, expected, "in this test"))
				.hasMessageContaining("RESOURCES LOST OR ADDED in this test")
				.hasMessageContaining("Observation: expected");
	}
}
