package vn.ehealth.fhir.tests.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import vn.ehealth.fhir.tests.security.RegisteredClients;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;
import vn.ehealth.fhir.tests.support.Tokens;

/**
 * $export keeps the safeguards every other read has (issue 15): scopes on each file download and on
 * an export without _type, the daily distinct-patient limit, the patients' access log with the hash
 * chain intact; and HAPI's own package storage (Binary) is not exported (issue 16).
 */
class BulkExportSafeguardsTest {

	private static final ObjectMapper JSON = new ObjectMapper();
	private static TestServer server;
	private static Http http;
	private static String adminSecret;

	@BeforeAll
	static void start() {
		server = TestServer.shared();
		http = server.anonymousHttp();
		adminSecret = RegisteredClients.adminSecret(server);
	}

	@Test
	void eachDownloadNeedsReadOnItsFilesTypeWithTheTokenPresentedThen() throws Exception {
		RegisteredClients.Client lab = RegisteredClients.register(server, "xuat-xet-nghiem",
				List.of("system/Patient.rs", "system/Observation.rs"), List.of("PUBHLTH"));
		String both = RegisteredClients.token(server, lab, "system/Patient.rs system/Observation.rs");
		String observationsOnly = RegisteredClients.token(server, lab, "system/Observation.rs");
		String groupId = group(patientsWithObservations(2));

		JsonNode manifest = export(both, "/fhir/Group/" + groupId + "/$export?_type=Patient,Observation");
		String patientFile = fileOf(manifest, "Patient");
		String observationFile = fileOf(manifest, "Observation");

		Http.Response refused = get(observationsOnly, patientFile);
		assertThat(refused.status()).as(refused.body()).isEqualTo(403);
		assertThat(refused.diagnostics()).contains("system/Patient.r").contains("Patient-1.ndjson");
		assertThat(refused.body()).doesNotContain("\"resourceType\":\"Patient\"");
		Http.Response allowed = get(observationsOnly, observationFile);
		assertThat(allowed.status()).isEqualTo(200);
		assertThat(allowed.body().lines().filter(l -> !l.isBlank())).hasSize(2);
		assertThat(get(both, patientFile).status()).isEqualTo(200);
	}

	@Test
	void anExportWithoutTypeNeedsReadOnEveryTypeAndAnEmptyTypeIsRefused() {
		RegisteredClients.Client narrow = RegisteredClients.register(server, "xuat-hep",
				List.of("system/Patient.rs"), List.of("PUBHLTH"));
		String token = RegisteredClients.token(server, narrow, "system/Patient.rs");

		Http.Response system = kickOff(token, "/fhir/$export");
		assertThat(system.status()).as(system.body()).isEqualTo(403);
		assertThat(system.diagnostics()).contains("system/*.r").contains("_type");
		Http.Response patientLevel = kickOff(token, "/fhir/Patient/$export");
		assertThat(patientLevel.status()).as(patientLevel.body()).isEqualTo(403);
		assertThat(patientLevel.diagnostics()).contains("system/*.r");
		Http.Response otherType = kickOff(token, "/fhir/$export?_type=Patient,Observation");
		assertThat(otherType.status()).isEqualTo(403);
		assertThat(otherType.diagnostics()).contains("system/Observation.r");

		Http.Response empty = kickOff(token, "/fhir/$export?_type=");
		assertThat(empty.status()).as(empty.body()).isEqualTo(400);
		assertThat(empty.diagnostics()).contains("_type");

		String groupId = group(patientsWithObservations(1));
		assertThat(kickOff(token, "/fhir/Group/" + groupId + "/$export?_type=Patient").status()).isEqualTo(202);
	}

	@Test
	void exportedPatientsCountAgainstTheDailyLimitAndShowInTheVolumeReport() throws Exception {
		RegisteredClients.Client limited = RegisteredClients.register(server, "xuat-gioi-han", Tokens.newKey(),
				List.of("system/Patient.rs", "system/Observation.rs"), List.of("PUBHLTH"), "Organization/so-y-te",
				"\"daily_patient_limit\":3");
		String token = RegisteredClients.token(server, limited, "system/Patient.rs system/Observation.rs");
		List<IdType> patients = patientsWithObservations(4);
		assertThat(get(token, "/fhir/" + patients.get(0).getValue()).status()).isEqualTo(200);

		// 1 read today + 3 more in the export = 4 > 3: refused whole, nothing counted
		String all = group(patients);
		Http.Response refused = kickOff(token, "/fhir/Group/" + all + "/$export?_type=Patient,Observation");
		assertThat(refused.status()).as(refused.body()).isEqualTo(429);
		assertThat(refused.diagnostics()).contains("limit 3").contains(limited.clientId());
		assertThat(refused.header("Retry-After")).isNotBlank();
		Map<String, Object> row = todaysVolume(limited.clientId());
		assertThat(((Number) row.get("distinct_patients")).intValue()).isEqualTo(1);
		assertThat(((Number) row.get("refused_requests")).intValue()).isEqualTo(1);

		// the Observations alone concern the same 4 patients: refused too
		assertThat(kickOff(token, "/fhir/Group/" + all + "/$export?_type=Observation").status()).isEqualTo(429);

		// the patient read already and one more: 2 <= 3, admitted and counted
		String two = group(patients.subList(0, 2));
		JsonNode manifest = export(token, "/fhir/Group/" + two + "/$export?_type=Patient,Observation");
		assertThat(manifest.get("output")).isNotEmpty();
		assertThat(((Number) todaysVolume(limited.clientId()).get("distinct_patients")).intValue()).isEqualTo(2);
		// counted once: the second patient is now readable without counting again
		assertThat(get(token, "/fhir/" + patients.get(1).getValue()).status()).isEqualTo(200);
		assertThat(((Number) todaysVolume(limited.clientId()).get("distinct_patients")).intValue()).isEqualTo(2);
	}

	@Test
	void everyExportedPatientsAccessLogShowsTheExportAndTheChainStillVerifies() throws Exception {
		RegisteredClients.Client registry = RegisteredClients.register(server, "xuat-so-y-te", Tokens.newKey(),
				List.of("system/Patient.rs", "system/Observation.rs"), List.of("PUBHLTH"), "Organization/so-y-te-ha-noi", null);
		String token = RegisteredClients.token(server, registry, "system/Patient.rs system/Observation.rs");
		List<IdType> patients = patientsWithObservations(3);
		// only the Observations are exported: their patients are still the patients concerned
		String groupId = group(patients.subList(0, 2));
		JsonNode manifest = export(token, "/fhir/Group/" + groupId + "/$export?_type=Observation");
		String jobId = manifest.get("output").get(0).get("url").asText().replaceAll(".*_jobId=([^&]+).*", "$1");

		for (IdType exported : patients.subList(0, 2)) {
			List<AuditEvent> exports = exportEvents(exported);
			assertThat(exports).as(exported.getValue()).hasSize(1);
			AuditEvent event = exports.get(0);
			assertThat(event.getAgentFirstRep().getWho().getIdentifier().getValue()).isEqualTo(registry.clientId());
			assertThat(event.getAgentFirstRep().getWho().getDisplay()).isEqualTo("xuat-so-y-te");
			assertThat(event.getAgent()).anySatisfy(a -> assertThat(a.getWho().getReference()).isEqualTo("Organization/so-y-te-ha-noi"));
			assertThat(event.getPurposeOfEventFirstRep().getCodingFirstRep().getCode()).isEqualTo("PUBHLTH");
			assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
			assertThat(event.getEntity()).anySatisfy(e -> assertThat(e.getName()).contains(groupId));
		}
		assertThat(exportEvents(patients.get(2))).isEmpty();

		JdbcTemplate jdbc = new JdbcTemplate(server.context().getBean(javax.sql.DataSource.class));
		String record = jdbc.queryForObject("SELECT record FROM vf_audit_event WHERE record LIKE ?", String.class,
				"%\"job\":\"" + jobId + "\"%");
		assertThat(Tokens.json(record)).containsEntry("patient_count", 2L).containsEntry("resource_count", 2L);

		Http.Response verify = asAdmin("/admin/audit/verify");
		assertThat(Tokens.json(verify.body())).as(verify.body()).containsEntry("status", "OK");
	}

	@Test
	void hapisPackageStorageBinariesAreNotExportedButDataBinariesAre() throws Exception {
		JdbcTemplate jdbc = new JdbcTemplate(server.context().getBean(javax.sql.DataSource.class));
		List<String> internal = jdbc.queryForList("SELECT r.FHIR_ID FROM HFJ_RESOURCE r WHERE r.RES_TYPE = 'Binary'"
				+ " AND r.RES_ID IN (SELECT BINARY_RES_ID FROM NPM_PACKAGE_VER UNION SELECT BINARY_RES_ID FROM NPM_PACKAGE_VER_RES)",
				String.class);
		assertThat(internal).as("the guide installed through HAPI's package cache").isNotEmpty();
		Binary attachment = new Binary();
		attachment.setContentType("text/plain");
		attachment.setData("Kết quả xét nghiệm".getBytes(StandardCharsets.UTF_8));
		String id = server.client().create().resource(attachment).execute().getId().getIdPart();

		JsonNode manifest = export(server.tokens().token(), "/fhir/$export?_type=Binary");
		List<String> exported = new ArrayList<>();
		for (JsonNode item : manifest.get("output")) {
			for (String line : get(server.tokens().token(), item.get("url").asText()).body().lines().filter(l -> !l.isBlank()).toList()) {
				exported.add(JSON.readTree(line).get("id").asText());
			}
		}
		assertThat(exported).contains(id).doesNotContainAnyElementsOf(internal);
	}

	// --- helpers

	private static List<IdType> patientsWithObservations(int count) {
		List<IdType> patients = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			Patient patient = Fixtures.patient("Lê", "Văn Xuất", Fixtures.uniqueValue());
			IdType id = (IdType) server.client().create().resource(patient).execute().getId().toUnqualifiedVersionless();
			Observation observation = new Observation();
			observation.setStatus(Observation.ObservationStatus.FINAL);
			observation.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
			observation.setSubject(new Reference(id));
			server.client().create().resource(observation).execute();
			patients.add(id);
		}
		return patients;
	}

	private static String group(List<IdType> members) {
		return BulkExports.createGroup(server.client(), members);
	}

	private static List<AuditEvent> exportEvents(IdType patient) {
		Http.Response log = get(server.tokens().token(), "/fhir/" + patient.getValue() + "/$access-log");
		assertThat(log.status()).isEqualTo(200);
		return log.resource(Bundle.class).getEntry().stream().map(e -> (AuditEvent) e.getResource())
				.filter(e -> e.getSubtype().stream().anyMatch(c -> "$export".equals(c.getCode())))
				.filter(e -> e.getEntity().stream().noneMatch(en -> en.getName() != null && en.getName().startsWith("GET ")))
				.toList();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> todaysVolume(String clientId) {
		Http.Response report = asAdmin("/admin/audit/volume?client=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8));
		assertThat(report.status()).isEqualTo(200);
		List<Map<String, Object>> rows = (List<Map<String, Object>>) Tokens.json(report.body()).get("rows");
		assertThat(rows).hasSize(1);
		return rows.get(0);
	}

	private static Http.Response asAdmin(String path) {
		return http.send(HttpRequest.newBuilder(http.uri(path))
				.header("Authorization", "Bearer " + adminSecret).header("Accept", "application/json").GET());
	}

	private static Http.Response kickOff(String token, String path) {
		return http.send(HttpRequest.newBuilder(http.uri(path)).header("Authorization", "Bearer " + token)
				.header("Prefer", "respond-async").header("Accept", "application/fhir+json").GET());
	}

	private static Http.Response get(String token, String url) {
		String path = url.startsWith("http") ? url.substring(server.rootUrl().length()) : url;
		return http.send(HttpRequest.newBuilder(http.uri(path)).header("Authorization", "Bearer " + token)
				.header("Accept", "application/fhir+json").GET());
	}

	private static JsonNode export(String token, String path) throws Exception {
		Http.Response kickOff = kickOff(token, path);
		assertThat(kickOff.status()).as(kickOff.body()).isEqualTo(202);
		String status = kickOff.header("Content-Location");
		for (int i = 0; i < 600; i++) {
			Http.Response polled = get(token, status);
			if (polled.status() == 200) {
				return JSON.readTree(polled.body());
			}
			assertThat(polled.status()).as(polled.body()).isEqualTo(202);
			Thread.sleep(200);
		}
		throw new AssertionError("export did not finish: " + status);
	}

	private static String fileOf(JsonNode manifest, String type) {
		for (JsonNode item : manifest.get("output")) {
			if (item.get("type").asText().equals(type)) {
				return item.get("url").asText();
			}
		}
		throw new AssertionError("no " + type + " file in " + manifest);
	}
}
