package vn.ehealth.fhir.tests.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * HAPI's admin operations ($expunge erases history for good; Circular 38/2024 requires it kept) are off
 * unless the operator turns them on, and then only for the vietfhir/admin scope, on the audit trail.
 */
class AdminOperationsTest {

	private static final String JSON = "application/fhir+json";
	private static final String EXPUNGE_ALL = "{\"resourceType\":\"Parameters\",\"parameter\":["
			+ "{\"name\":\"expungeDeletedResources\",\"valueBoolean\":true},"
			+ "{\"name\":\"expungePreviousVersions\",\"valueBoolean\":true}]}";
	/** HAPI's admin operations as the CapabilityStatement names them (without $). */
	private static final List<String> ADMIN_OPERATIONS = List.of(
			"expunge", "delete-expunge", "reindex", "reindex-dryrun", "hapi.fhir.reindex-status",
			"mark-all-resources-for-reindexing", "perform-reindexing-pass", "reindex-terminology",
			"invalidate-expansion", "get-resource-counts", "hapi.fhir.replace-references", "hapi.fhir.undo-replace-references",
			"hapi.fhir.merge",
			"hapi.fhir.undo-merge", "trigger-subscription");

	@Test
	void offByDefaultSoHistorySurvives() {
		TestServer server = TestServer.shared();
		Http http = server.http();
		assertThat(advertisedOperations(http)).doesNotContainAnyElementsOf(ADMIN_OPERATIONS);

		IdType patient = deletedPatientWithTwoVersions(server);
		Http.Response expunge = http.post("/fhir/" + patient.getValue() + "/$expunge", JSON, EXPUNGE_ALL);
		assertRefused(expunge);
		assertRefused(http.post("/fhir/Patient/$expunge", JSON, EXPUNGE_ALL));
		assertRefused(http.post("/fhir/$expunge", JSON, EXPUNGE_ALL));
		assertRefused(http.post("/fhir/$reindex", JSON, "{\"resourceType\":\"Parameters\"}"));
		assertRefused(http.post("/fhir/$mark-all-resources-for-reindexing", JSON, "{\"resourceType\":\"Parameters\"}"));
		assertRefused(http.get("/fhir/$get-resource-counts", JSON));
		assertRefused(http.send(HttpRequest.newBuilder(
				http.uri("/fhir/Patient?_id=" + patient.getIdPart() + "&_expunge=true")).DELETE()));

		assertThat(http.get("/fhir/" + patient.getValue() + "/_history/1", JSON).status()).isEqualTo(200);
		assertThat(http.get("/fhir/" + patient.getValue() + "/_history/2", JSON).status()).isEqualTo(200);
	}

	@Test
	void turnedOnExpungeIsForTheAdminScopeAndAudited() {
		TestServer server = TestServer.start("vietfhir-admin-ops-", Map.of("vietfhir.fhir.admin-operations", "expunge"));
		try {
			Http http = server.http();
			assertThat(advertisedOperations(http)).contains("expunge").doesNotContain("reindex", "get-resource-counts");
			RegisteredClients.Client admin = RegisteredClients.register(
					server, "quan-tri", List.of("system/*.cruds", "vietfhir/admin"), List.of("HOPERAT"));
			String adminToken = RegisteredClients.token(server, admin, "system/*.cruds vietfhir/admin");
			IdType patient = deletedPatientWithTwoVersions(server);
			String path = "/fhir/" + patient.getValue() + "/$expunge";

			Http.Response refused = http.post(path, JSON, EXPUNGE_ALL);
			assertThat(refused.status()).as(refused.body()).isEqualTo(403);
			assertThat(refused.diagnostics()).contains("vietfhir/admin");
			assertThat(http.get("/fhir/" + patient.getValue() + "/_history/1", JSON).status()).isEqualTo(200);

			Http.Response done = http.send(HttpRequest.newBuilder(http.uri(path))
					.header("Authorization", "Bearer " + adminToken).header("Content-Type", JSON)
					.POST(HttpRequest.BodyPublishers.ofString(EXPUNGE_ALL, StandardCharsets.UTF_8)));
			assertThat(done.status()).as(done.body()).isEqualTo(200);
			assertThat(http.get("/fhir/" + patient.getValue() + "/_history/1", JSON).status()).isEqualTo(404);

			List<AuditEvent> expunges = auditEvents(server, patient).stream()
					.filter(e -> e.getSubtype().stream().map(Coding::getCode).anyMatch("$expunge"::equals)).toList();
			assertThat(expunges).hasSize(2);
			// newest first: the admin's expunge, then the refused attempt of the suite client
			assertThat(expunges.get(0).getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
			assertThat(expunges.get(0).getAgentFirstRep().getWho().getIdentifier().getValue()).isEqualTo(admin.clientId());
			assertThat(expunges.get(1).getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
		} finally {
			server.stop();
		}
	}

	/** A patient created, updated and deleted: versions 1 and 2 readable in its history. */
	private static IdType deletedPatientWithTwoVersions(TestServer server) {
		Patient patient = Fixtures.patient("Trịnh", "Văn Khải", Fixtures.uniqueValue());
		IdType id = (IdType) server.client().create().resource(patient).execute().getId().toUnqualifiedVersionless();
		patient.setId(id);
		patient.setActive(false);
		server.client().update().resource(patient).execute();
		server.client().delete().resourceById(id).execute();
		return id;
	}

	private static List<String> advertisedOperations(Http http) {
		CapabilityStatement capabilities = http.get("/fhir/metadata", JSON).resource(CapabilityStatement.class);
		List<String> names = new ArrayList<>();
		CapabilityStatement.CapabilityStatementRestComponent rest = capabilities.getRestFirstRep();
		rest.getOperation().forEach(o -> names.add(o.getName()));
		rest.getResource().forEach(r -> r.getOperation().forEach(o -> names.add(o.getName())));
		return names;
	}

	private static void assertRefused(Http.Response response) {
		assertThat(response.status()).as(response.body()).isBetween(400, 499);
		assertThat(response.header("Content-Type")).contains("fhir");
		assertThat(response.outcome().getIssueFirstRep().getSeverity().toCode()).isEqualTo("error");
	}

	private static List<AuditEvent> auditEvents(TestServer server, IdType patient) {
		Http anonymous = server.anonymousHttp();
		Http.Response response = anonymous.send(HttpRequest.newBuilder(anonymous.uri("/admin/audit/events?patient=" + patient.getValue()))
				.header("Authorization", "Bearer " + RegisteredClients.adminSecret(server)).GET());
		assertThat(response.status()).isEqualTo(200);
		return response.resource(Bundle.class).getEntry().stream().map(e -> (AuditEvent) e.getResource()).toList();
	}
}
