package vn.ehealth.fhir.tests.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.synth.SyntheticData;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * Records stored before the statistics existed (an older version, or a load with the facts' upkeep off)
 * get their facts once when the server starts, so the reports of an upgraded database are not
 * silently empty.
 */
class ReportFactsBackfillTest {

	private static final LocalDate FROM = LocalDate.of(2016, 1, 1);
	private static final LocalDate TO = LocalDate.of(2026, 6, 30);
	private static TestServer server;

	@AfterAll
	static void stop() {
		if (server != null) {
			server.stop();
		}
	}

	@Test
	void recordsWithoutFactsGetThemAtTheNextStart() {
		server = TestServer.start("reports-backfill-", Map.of("vietfhir.reports.maintain-facts", "false"));
		SyntheticData data = new SyntheticData(7, 4);
		store(data.directory());
		for (int n : data.patientNumbers()) {
			store(data.patient(n));
		}
		int expected = new ExpectedCounts(data).encounters(FROM, TO, visit -> "all").getOrDefault("all", 0);
		assertThat(expected).isPositive();
		assertThat(encounters()).as("no facts while their upkeep is off").isZero();

		server = server.restart(Map.of("vietfhir.reports.maintain-facts", "true"));
		assertThat(encounters()).isEqualTo(expected);
	}

	private static void store(List<Resource> resources) {
		for (int from = 0; from < resources.size(); from += 200) {
			server.client().transaction()
					.withBundle(SyntheticData.transaction(resources.subList(from, Math.min(resources.size(), from + 200)))).execute();
		}
	}

	private static int encounters() {
		Http http = server.http();
		Http.Response response = http.send(HttpRequest.newBuilder(http.uri("/fhir/Measure/vn-encounters/$evaluate-measure?periodStart="
				+ FROM + "&periodEnd=" + TO)).header("Accept", "application/fhir+json").header("X-Purpose-Of-Use", "PUBHLTH").GET());
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.resource(MeasureReport.class).getGroupFirstRep().getPopulationFirstRep().getCount();
	}
}
