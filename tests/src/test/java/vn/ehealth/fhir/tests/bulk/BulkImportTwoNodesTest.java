package vn.ehealth.fhir.tests.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.ehealth.fhir.tests.bulk.BulkImports.count;
import static vn.ehealth.fhir.tests.bulk.BulkImports.line;
import static vn.ehealth.fhir.tests.bulk.BulkImports.manifest;
import static vn.ehealth.fhir.tests.bulk.BulkImports.ndjson;

import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.NdjsonFileHost;
import vn.ehealth.fhir.tests.support.TestServer;

/** Two server nodes on one database: every import job runs once, and its status is the same on both nodes. */
class BulkImportTwoNodesTest {

	@Test
	void eachJobRunsOnceWhenTwoNodesCompeteForThem() {
		TestServer first = TestServer.shared();
		String jdbcUrl = ((HikariDataSource) first.context().getBean(DataSource.class)).getJdbcUrl();
		TestServer second = TestServer.start("vietfhir-node-b-", Map.of(
				"vietfhir.database.mode", "external",
				"spring.datasource.url", jdbcUrl,
				"spring.datasource.username", "postgres",
				"spring.datasource.password", "postgres",
				"spring.datasource.hikari.maximum-pool-size", "6"));
		try {
			String run = "two-" + Fixtures.uniqueValue().substring(0, 8);
			NdjsonFileHost host = NdjsonFileHost.shared();
			int jobs = 4;
			int perJob = 40;
			int cccd = (int) (Math.random() * 800_000);
			List<String> statuses = new ArrayList<>();
			for (int j = 0; j < jobs; j++) {
				List<String> lines = new ArrayList<>();
				for (int i = 0; i < perJob; i++) {
					Patient patient = Fixtures.patientWithCccd("001085" + String.format("%06d", cccd++), "male", "1985-03-02");
					patient.getIdentifierFirstRep().setValue(run);
					patient.setId(run + "-" + j + "-" + i);
					lines.add(line(patient));
				}
				String url = host.put("/ndjson/" + run + "/" + j + ".ndjson", ndjson(lines));
				// kicked off alternately on either node; queued in the one table both nodes' workers claim from
				Http http = (j % 2 == 0 ? first : second).http();
				Http.Response kickOff = http.post("/fhir/$import", "application/fhir+json",
						"{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"inputFormat\",\"valueCode\":\"application/fhir+ndjson\"},"
								+ "{\"name\":\"input\",\"part\":[{\"name\":\"type\",\"valueCode\":\"Patient\"},{\"name\":\"url\",\"valueUri\":\""
								+ url + "\"}]}]}");
				assertThat(kickOff.status()).as(kickOff.body()).isEqualTo(202);
				statuses.add(kickOff.header("Content-Location"));
			}
			for (int j = 0; j < jobs; j++) {
				// polled on the other node than the one that took the kick-off
				Map<String, Object> manifest = manifest(BulkImports.await((j % 2 == 0 ? second : first).http(), statuses.get(j)));
				assertThat(count(manifest, "output", "Patient")).isEqualTo(perJob);
				assertThat(host.hits("/ndjson/" + run + "/" + j + ".ndjson")).as("job " + j + " ran once").isEqualTo(1);
			}
			Bundle stored = first.http().get("/fhir/Patient?identifier=" + Fixtures.TEST_ID_SYSTEM + "%7C" + run + "&_summary=count",
					"application/fhir+json").resource(Bundle.class);
			assertThat(stored.getTotal()).isEqualTo(jobs * perJob);
		} finally {
			second.stop();
		}
	}
}
