package vn.ehealth.fhir.tests.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * With security switched off (local demos, benchmarks) the files are served without a token, so the
 * manifest says requiresAccessToken false (Bulk Data IG; a SMART Bulk Data Tester check).
 */
class BulkExportSecurityOffTest {

	private static TestServer server;

	@BeforeAll
	static void start() {
		server = TestServer.start("vietfhir-open-", Map.of("vietfhir.security.enabled", "false"));
	}

	@AfterAll
	static void stop() {
		if (server != null) {
			server.stop();
		}
	}

	@Test
	void manifestSaysNoAccessTokenIsNeeded() throws Exception {
		BulkExports exports = new BulkExports(server.anonymousHttp(), server.rootUrl());
		assertThat(server.anonymousHttp().post("/fhir/Patient", "application/fhir+json",
				TestServer.fhirContext().newJsonParser().encodeResourceToString(
						Fixtures.patientWithCccd(Fixtures.cccd("001085"), "male", "1985-03-02"))).status()).isEqualTo(201);
		JsonNode manifest = exports.export(exports.kickOff("/fhir/$export?_type=Patient", "respond-async"));
		assertThat(manifest.get("requiresAccessToken").asBoolean()).isFalse();
		// and indeed the files come without one
		assertThat(exports.download(manifest.get("output")).get("Patient")).isNotEmpty();
	}
}
