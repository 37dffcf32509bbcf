package vn.ehealth.fhir.tests.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
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
		long seed = 700_001;
		ScaleRun.Settings settings = new ScaleRun.Settings(2, new int[] {1, 2}, "vn", seed, 2, 2, 1, true, "enforce", 0);
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
	void aRunStoppedAfterItsFirstStepResumesWithTheNextOnTheSameData() throws Exception {
		TestServer server = TestServer.shared();
		long seed = 800_001;
		DataSource database = server.context().getBean(DataSource.class);
		ScaleRun.Report first = ScaleRun.run(new ScaleRun.Settings(2, new int[] {1, 2}, "vn", seed, 1, 1, 1, true, "enforce", 1),
				server.baseUrl(), server.tokens()::token, database, System.out);
		assertThat(first.steps()).extracting(ScaleRun.Step::scale).containsExactly(1);

		ScaleRun.Report resumed = ScaleRun.run(new ScaleRun.Settings(2, new int[] {1, 2}, "vn", seed, 1, 1, 1, true, "enforce", 0),
				server.baseUrl(), server.tokens()::token, database, System.out, first.steps(), report -> { });

		assertThat(resumed.steps()).extracting(ScaleRun.Step::scale).containsExactly(1, 2);
		ScaleRun.Step second = resumed.steps().get(1);
		assertThat(second.patients()).isEqualTo(4);
		assertThat(second.rest().patients()).isEqualTo(1);
		// the second step counts its own patient on top of the first's resources, not the directory again
		assertThat(second.resources()).isEqualTo(first.steps().get(0).resources() + second.rest().resources() + second.bulkImport().resources());
		assertThat(resumed.markdown()).contains("| 1× | 2 |", "| 2× | 4 |");
	}

	@Test
	void resumingOnADatabaseThatChangedStopsNamingTheDifference() {
		TestServer server = TestServer.shared();
		Map<String, Long> oneMore = counts(server);
		oneMore.merge("Patient", 1L, Long::sum);
		ScaleRun.Ingest none = new ScaleRun.Ingest(1, 1, 1);
		ScaleRun.Step earlier = new ScaleRun.Step(1, 2, 700, none, none, Map.of(), Map.of(), 700, 1, 1, oneMore, "");
		ScaleRun.Settings settings = new ScaleRun.Settings(2, new int[] {1, 2}, "vn", 42, 1, 1, 1, true, "enforce", 0);

		assertThatThrownBy(() -> ScaleRun.run(settings, server.baseUrl(), server.tokens()::token,
				server.context().getBean(DataSource.class), System.out, List.of(earlier), report -> { }))
				.hasMessageContaining("RESOURCES LOST OR ADDED on resuming after the 1× step")
				.hasMessageContaining("Patient: expected");
	}

	@Test
	void aMissingResourceStopsTheRunNamingTheType() {
		TestServer server = TestServer.shared();
		Map<String, Long> expected = counts(server);
		expected.merge("Observation", 1L, Long::sum);
		assertThatThrownBy(() -> ScaleRun.check(server.baseUrl(), server.tokens()::token, expected, "in this test"))
				.hasMessageContaining("RESOURCES LOST OR ADDED in this test")
				.hasMessageContaining("Observation: expected");
	}

	private static Map<String, Long> counts(TestServer server) {
		Map<String, Long> counts = new HashMap<>();
		for (String type : ScaleRun.TYPES) {
			counts.put(type, server.client().search().byUrl(type + "?_summary=count")
					.returnBundle(org.hl7.fhir.r4.model.Bundle.class).execute().getTotal() + 0L);
		}
		return counts;
	}
}
