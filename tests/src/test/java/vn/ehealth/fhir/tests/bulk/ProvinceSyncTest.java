package vn.ehealth.fhir.tests.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.server.cli.SyncTool;
import vn.ehealth.fhir.server.sync.ProvinceSync;
import vn.ehealth.fhir.tests.security.RegisteredClients;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;
import vn.ehealth.fhir.tests.support.Tokens;

/**
 * Province → national sync between real servers: a province server (ids as UUIDs, so they are
 * unique across provinces) and a national one. Create, update and delete on the province, sync,
 * and the national server holds the same current state; a second sync with no changes moves
 * nothing. Both forms: the command (to the suite's server, over HTTP) and the national server's own
 * job (in process, started through /admin/sync).
 */
class ProvinceSyncTest {

	private static TestServer province;
	private static TestServer national;
	private static Path suiteKey;

	@BeforeAll
	static void servers() throws IOException {
		province = TestServer.start("vietfhir-province-", Map.of("vietfhir.fhir.server-id-strategy", "uuid"));
		suiteKey = Files.createTempDirectory("vietfhir-sync-keys-").resolve("suite.private.jwk.json");
		Files.writeString(suiteKey, Tokens.suiteKey().toJSONString());
		// a national server whose own job pulls from the province (scheduled hourly: the test starts runs itself)
		national = TestServer.start("vietfhir-national-", Map.of(
				"vietfhir.sync.enabled", "true",
				"vietfhir.sync.source-base-url", province.baseUrl(),
				"vietfhir.sync.client-id", Tokens.SUITE_CLIENT,
				"vietfhir.sync.private-key-file", suiteKey.toString(),
				"vietfhir.sync.interval", "PT1H",
				"vietfhir.sync.max-poll-interval", "PT0.5S"));
	}

	@AfterAll
	static void stop() {
		if (national != null) {
			national.stop();
		}
		if (province != null) {
			province.stop();
		}
	}

	/** What the test wrote on the province: their references, to compare with the target. */
	private static final class Written {
		final List<String> references = new ArrayList<>();
		final String tag = Fixtures.uniqueValue();

		String create(IGenericClient client, Resource resource) {
			IdType id = (IdType) client.create().resource(resource).execute().getId().toUnqualifiedVersionless();
			references.add(id.getValue());
			return id.getValue();
		}
	}

	private static Patient patient(String tag, String given) {
		Patient patient = Fixtures.patientWithCccd(Fixtures.cccd("001085"), "male", "1985-03-02");
		patient.getIdentifierFirstRep().setValue(tag);
		patient.getNameFirstRep().getGiven().clear();
		patient.getNameFirstRep().addGiven(given);
		return patient;
	}

	/** Phase 1 on the province: two patients, an observation each. */
	private static Written createOnProvince() {
		IGenericClient client = province.client();
		Written written = new Written();
		String an = written.create(client, patient(written.tag, "Văn An"));
		String binh = written.create(client, patient(written.tag, "Thị Bình"));
		assertThat(new IdType(an).getIdPart()).hasSize(36); // a UUID: unique across provinces
		written.create(client, BulkImports.heartRate(null, an));
		written.create(client, BulkImports.heartRate(null, binh));
		return written;
	}

	/** Phase 2 on the province: update a patient, delete an observation, add one. */
	private static void changeOnProvince(Written written) {
		IGenericClient client = province.client();
		Patient an = client.read().resource(Patient.class).withUrl(written.references.get(0)).execute();
		an.getNameFirstRep().getGiven().clear();
		an.getNameFirstRep().addGiven("Văn Ân");
		an.setIdElement(an.getIdElement().toUnqualifiedVersionless());
		client.update().resource(an).execute();
		client.delete().resourceById(new IdType(written.references.get(2))).execute();
		written.create(client, BulkImports.heartRate(null, written.references.get(1)));
	}

	/** Every resource the test wrote is on the target as on the province, and what the province deleted is gone. */
	private static void assertSameCurrentState(Written written, TestServer target) {
		Http source = province.http();
		Http copy = target.http();
		for (String reference : written.references) {
			Http.Response original = source.get("/fhir/" + reference, "application/fhir+json");
			Http.Response synced = copy.get("/fhir/" + reference, "application/fhir+json");
			if (original.status() == 410) {
				assertThat(synced.status()).as(reference + " was deleted on the province").isIn(404, 410);
				continue;
			}
			assertThat(original.status()).isEqualTo(200);
			assertThat(synced.status()).as(reference + " on the target: " + synced.body()).isEqualTo(200);
			assertThat(withoutMeta(synced)).as(reference).isEqualTo(withoutMeta(original));
		}
		Http.Response patients = copy.get("/fhir/Patient?identifier=" + Fixtures.TEST_ID_SYSTEM + "%7C" + written.tag
				+ "&_summary=count", "application/fhir+json");
		assertThat(patients.resource(Bundle.class).getTotal()).isEqualTo(2);
	}

	private static String withoutMeta(Http.Response response) {
		Resource resource = (Resource) TestServer.fhirContext().newJsonParser().parseResource(response.body());
		resource.setMeta(null);
		if (resource instanceof org.hl7.fhir.r4.model.DomainResource domain) {
			domain.setText(null);
		}
		return TestServer.fhirContext().newJsonParser().encodeResourceToString(resource);
	}

	@Test
	void theCommandSyncsCreatesUpdatesAndDeletesAndASecondRunMovesNothing() throws IOException {
		TestServer target = TestServer.shared();
		Path state = Files.createTempDirectory("vietfhir-sync-state-").resolve("sync-state.json");
		String[] args = {
			"sync", "--source", province.baseUrl(), "--source-client", Tokens.SUITE_CLIENT, "--source-key", suiteKey.toString(),
			"--target", target.baseUrl(), "--target-client", Tokens.SUITE_CLIENT, "--target-key", suiteKey.toString(),
			"--state", state.toString(), "--overlap", "PT0S"
		};
		Written written = createOnProvince();
		ProvinceSync.Result first = SyncTool.run(args);
		assertThat(first.received()).isGreaterThanOrEqualTo(4);
		assertSameCurrentState(written, target);
		assertThat(Files.readString(state)).contains(first.transactionTime().toString());

		changeOnProvince(written);
		ProvinceSync.Result second = SyncTool.run(args);
		assertThat(second.received()).isEqualTo(2); // the updated patient, the new observation
		assertThat(second.changed()).isEqualTo(2);
		assertThat(second.deletionsReceived()).isEqualTo(1);
		assertThat(second.deleted()).isEqualTo(1);
		assertSameCurrentState(written, target);

		ProvinceSync.Result third = SyncTool.run(args);
		assertThat(third.received()).isZero();
		assertThat(third.deletionsReceived()).isZero();
		assertThat(third.movedNothing()).isTrue();
		assertThat(third.transactionTime()).isAfter(second.transactionTime());
	}

	@Test
	void theNationalServersOwnJobSyncsAndRemembersItsHighWaterMark() {
		Written written = createOnProvince();
		Map<String, Object> first = runJob();
		assertThat(first.get("last_status")).as(first.toString()).isEqualTo("completed");
		assertSameCurrentState(written, national);

		changeOnProvince(written);
		Map<String, Object> second = runJob();
		assertThat(second.get("last_status")).as(second.toString()).isEqualTo("completed");
		assertThat(((Number) second.get("last_changed")).longValue()).isEqualTo(2);
		assertThat(((Number) second.get("last_deleted")).longValue()).isEqualTo(1);
		assertSameCurrentState(written, national);
		Bundle history = national.http().get("/fhir/" + written.references.get(0) + "/_history", "application/fhir+json")
				.resource(Bundle.class);
		assertThat(history.getTotal()).isEqualTo(2); // created, then the update: applied once each

		// nothing changed: the overlap brings the last minutes' resources again, and they change nothing
		Map<String, Object> third = runJob();
		assertThat(third.get("last_status")).isEqualTo("completed");
		assertThat(((Number) third.get("last_changed")).longValue()).isZero();
		assertThat(((Number) third.get("last_deleted")).longValue()).isZero();
		assertThat(Instant.parse((String) third.get("high_water_mark"))).isAfter(Instant.parse((String) second.get("high_water_mark")));
		assertThat(national.http().get("/fhir/" + written.references.get(0) + "/_history", "application/fhir+json")
				.resource(Bundle.class).getTotal()).isEqualTo(2);
	}

	/** POST /admin/sync/run on the national server and wait for the run to finish; its state. */
	private static Map<String, Object> runJob() {
		Http http = national.anonymousHttp();
		String admin = "Bearer " + RegisteredClients.adminSecret(national);
		Http.Response started = http.send(HttpRequest.newBuilder(http.uri("/admin/sync/run")).header("Authorization", admin)
				.POST(HttpRequest.BodyPublishers.noBody()));
		assertThat(started.status()).as(started.body()).isEqualTo(202);
		Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
		while (true) {
			Http.Response status = http.send(HttpRequest.newBuilder(http.uri("/admin/sync")).header("Authorization", admin).GET());
			assertThat(status.status()).isEqualTo(200);
			Map<String, Object> state = Tokens.json(status.body());
			if (!Boolean.TRUE.equals(state.get("running_here")) && !"running".equals(state.get("last_status"))) {
				return state;
			}
			assertThat(Instant.now()).as("sync still running").isBefore(deadline);
			BulkImports.sleep(300);
		}
	}
}
