package vn.ehealth.fhir.tests.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.tests.security.RegisteredClients;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * The possible-duplicates review list (issue 19): a probable pair is listed for its province as soon
 * as the second record is stored, with the evidence; "not a duplicate" is remembered through later
 * changes to either record; only the merge scope may read or decide.
 */
class DuplicateReviewTest {

	private static Http http;
	private static String reviewerToken;

	@BeforeAll
	static void server() {
		TestServer server = TestServer.shared();
		http = server.http();
		PatientMatchTest.server();
		RegisteredClients.Client reviewer = RegisteredClients.register(
				server, "ra-soat-trung", List.of("system/*.cruds", "system/Patient.merge"), List.of("HOPERAT"));
		reviewerToken = RegisteredClients.token(server, reviewer, "system/*.cruds system/Patient.merge");
	}

	static Http.Response asReviewer(HttpRequest.Builder request) {
		return http.send(request.header("Authorization", "Bearer " + reviewerToken).header("Accept", PatientMatchTest.JSON));
	}

	static List<Parameters.ParametersParameterComponent> pairs(String query) {
		Http.Response response = asReviewer(HttpRequest.newBuilder(http.uri("/fhir/Patient/$duplicates?" + query)).GET());
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.resource(Parameters.class).getParameter();
	}

	static boolean isPair(Parameters.ParametersParameterComponent pair, String x, String y) {
		List<String> patients = pair.getPart().stream().filter(p -> p.getName().equals("patient"))
				.map(p -> ((Reference) p.getValue()).getReference()).toList();
		return patients.containsAll(List.of(x, y));
	}

	@Test
	void aProbablePairIsListedForItsProvinceAndNotADuplicateIsRemembered() {
		String born = PatientMatchTest.birthDate1978();
		String first = PatientMatchTest.created(PatientMatchTest.diem(born, null));
		Patient again = PatientMatchTest.diem(born, null);
		again.getNameFirstRep().setFamily("Tran").getGiven().clear();
		again.getNameFirstRep().addGiven("Thi").addGiven("Ngoc").addGiven("Diem");
		again.getAddressFirstRep().setState("Tuyên Quang"); // the 2025 province Hà Giang joined
		String second = PatientMatchTest.created(again);

		assertThat(pairs("province=08&_count=1000")).anySatisfy(pair -> {
			assertThat(isPair(pair, first, second)).isTrue();
			assertThat(pair.getPart()).anySatisfy(p -> assertThat(p.getName()).isEqualTo("evidence"));
		});
		assertThat(pairs("province=" + java.net.URLEncoder.encode("Hà Giang", StandardCharsets.UTF_8) + "&_count=1000"))
				.anyMatch(pair -> isPair(pair, first, second));

		Parameters decision = new Parameters();
		decision.addParameter().setName("patient").setValue(new Reference(first));
		decision.addParameter().setName("patient").setValue(new Reference(second));
		String body = PatientMatchTest.PARSER.encodeResourceToString(decision);
		Http.Response refused = http.post("/fhir/Patient/$not-duplicate", PatientMatchTest.JSON, body);
		assertThat(refused.status()).as(refused.body()).isEqualTo(403);
		Http.Response decided = asReviewer(HttpRequest.newBuilder(http.uri("/fhir/Patient/$not-duplicate"))
				.header("Content-Type", PatientMatchTest.JSON).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
		assertThat(decided.status()).as(decided.body()).isEqualTo(200);

		// a later change to either record does not bring the pair back
		Patient changed = http.get("/fhir/" + second, PatientMatchTest.JSON).resource(Patient.class);
		changed.addTelecom().setSystem(org.hl7.fhir.r4.model.ContactPoint.ContactPointSystem.PHONE).setValue("0912345678");
		Http.Response updated = http.send(HttpRequest.newBuilder(http.uri("/fhir/" + second))
				.header("Content-Type", PatientMatchTest.JSON)
				.PUT(HttpRequest.BodyPublishers.ofString(PatientMatchTest.PARSER.encodeResourceToString(changed), StandardCharsets.UTF_8)));
		assertThat(updated.status()).as(updated.body()).isEqualTo(200);
		assertThat(pairs("province=08&_count=1000")).noneMatch(pair -> isPair(pair, first, second));
		assertThat(pairs("status=not-duplicate&_count=1000")).anyMatch(pair -> isPair(pair, first, second));
	}

	@Test
	void aMergeClosesThePairAndUnmergePutsItBackOnTheList() {
		String born = PatientMatchTest.birthDate1978();
		String first = PatientMatchTest.created(PatientMatchTest.diem(born, null));
		Patient again = PatientMatchTest.diem(born, null);
		again.getNameFirstRep().setFamily("Tran");
		String second = PatientMatchTest.created(again);
		assertThat(pairs("province=08&_count=1000")).anyMatch(pair -> isPair(pair, first, second));

		Http.Response merged = asReviewer(mergeRequest("Patient/$merge", second, first));
		assertThat(merged.status()).as(merged.body()).isEqualTo(200);
		assertThat(pairs("province=08&_count=1000")).noneMatch(pair -> isPair(pair, first, second));
		assertThat(pairs("status=merged&_count=1000")).anyMatch(pair -> isPair(pair, first, second));

		// the undo restores the state before the merge, the open pair included
		Http.Response undone = asReviewer(mergeRequest("Patient/$unmerge", second, first));
		assertThat(undone.status()).as(undone.body()).isEqualTo(200);
		assertThat(pairs("province=08&_count=1000")).anySatisfy(pair -> {
			assertThat(isPair(pair, first, second)).isTrue();
			assertThat(pair.getPart()).anySatisfy(p -> assertThat(p.getName()).isEqualTo("evidence"));
		});
		assertThat(pairs("status=merged&_count=1000")).noneMatch(pair -> isPair(pair, first, second));
	}

	private static HttpRequest.Builder mergeRequest(String operation, String source, String target) {
		String body = PatientMatchTest.PARSER.encodeResourceToString(PatientMergeTest.mergeParameters(source, target, false));
		return HttpRequest.newBuilder(http.uri("/fhir/" + operation)).header("Content-Type", PatientMatchTest.JSON)
				.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
	}

	@Test
	void theListIsForTheMergeScopeOnly() {
		Http.Response refused = http.get("/fhir/Patient/$duplicates", PatientMatchTest.JSON);
		assertThat(refused.status()).as(refused.body()).isEqualTo(403);
		assertThat(refused.diagnostics()).contains("system/Patient.merge");
	}
}
