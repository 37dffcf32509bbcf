package vn.ehealth.fhir.tests.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;
import vn.ehealth.fhir.tests.support.Tokens;

/** SMART v2 scopes per interaction, _include filtering, and purpose of use on /fhir. */
class ScopeAndPurposeTest {

	private static Http anonymous;
	private static IdType patientId;
	/** A lab system: may read and search Observations only, for treatment. */
	private static String labToken;

	@BeforeAll
	static void data() {
		TestServer server = TestServer.shared();
		anonymous = server.anonymousHttp();
		patientId = (IdType) server.client().create()
				.resource(Fixtures.patient("Đặng", "Thùy Trâm", Fixtures.uniqueValue()))
				.execute().getId().toUnqualifiedVersionless();
		Observation obs = new Observation();
		obs.setStatus(Observation.ObservationStatus.FINAL);
		obs.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4").setDisplay("Nhịp tim");
		obs.setSubject(new Reference(patientId));
		obs.setValue(new Quantity().setValue(72).setUnit("/min"));
		server.client().create().resource(obs).execute();

		RegisteredClients.Client lab = RegisteredClients.register(server, "lis-xet-nghiem", List.of("system/Observation.rs"), List.of("TREAT"));
		labToken = (String) Tokens.json(Tokens.request(server.rootUrl(), lab.clientId(), lab.key(), "system/Observation.rs", null).body())
				.get("access_token");
	}

	private static Http.Response as(String token, HttpRequest.Builder request) {
		return anonymous.send(request.header("Authorization", "Bearer " + token).header("Accept", "application/fhir+json"));
	}

	private static HttpRequest.Builder get(String path) {
		return HttpRequest.newBuilder(anonymous.uri(path)).GET();
	}

	@Test
	void scopeAllowsItsOwnTypeAndInteractions() {
		assertThat(as(labToken, get("/fhir/Observation?subject=" + patientId.getValue())).status()).isEqualTo(200);
	}

	@Test
	void missingScopeIsRefusedWith403() {
		Http.Response read = as(labToken, get("/fhir/" + patientId.getValue()));
		assertThat(read.status()).isEqualTo(403);
		assertThat(read.diagnostics()).contains("system/Patient.r");
		assertThat(as(labToken, get("/fhir/Patient?_id=" + patientId.getIdPart())).status()).isEqualTo(403);

		String observation = "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"Mạch\"}}";
		Http.Response create = as(labToken, HttpRequest.newBuilder(anonymous.uri("/fhir/Observation"))
				.header("Content-Type", "application/fhir+json")
				.POST(HttpRequest.BodyPublishers.ofString(observation, StandardCharsets.UTF_8)));
		assertThat(create.status()).isEqualTo(403);
		assertThat(create.diagnostics()).contains("system/Observation.c");
	}

	@Test
	void includeCannotLeakATypeTheScopeForbids() {
		Http.Response response = as(labToken, get("/fhir/Observation?subject=" + patientId.getValue() + "&_include=Observation:subject"));
		assertThat(response.status()).isEqualTo(200);
		Bundle bundle = response.resource(Bundle.class);
		assertThat(bundle.getEntry()).isNotEmpty();
		assertThat(bundle.getEntry()).extracting(e -> e.getResource().fhirType()).containsOnly("Observation");

		// the suite client, allowed Patient, does get the included subject
		Bundle full = TestServer.shared().http()
				.get("/fhir/Observation?subject=" + patientId.getValue() + "&_include=Observation:subject", "application/fhir+json")
				.resource(Bundle.class);
		assertThat(full.getEntry()).extracting(e -> e.getResource().fhirType()).contains("Observation", "Patient");
	}

	@Test
	void everyTransactionEntryIsChecked() {
		String transaction = """
				{"resourceType":"Bundle","type":"transaction","entry":[
				 {"request":{"method":"GET","url":"Observation?subject=%s"}},
				 {"resource":{"resourceType":"Patient","name":[{"family":"Phan"}]},"request":{"method":"POST","url":"Patient"}}]}
				""".formatted(patientId.getValue());
		Http.Response response = as(labToken, HttpRequest.newBuilder(anonymous.uri("/fhir"))
				.header("Content-Type", "application/fhir+json")
				.POST(HttpRequest.BodyPublishers.ofString(transaction, StandardCharsets.UTF_8)));
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.diagnostics()).contains("system/Patient.c");
	}

	@Test
	void purposeNotRegisteredForTheClientIsRefusedWith403() {
		Http.Response research = as(labToken, get("/fhir/Observation?subject=" + patientId.getValue()).header("X-Purpose-Of-Use", "HRESCH"));
		assertThat(research.status()).isEqualTo(403);
		assertThat(research.diagnostics()).contains("HRESCH");

		Http.Response treatment = as(labToken, get("/fhir/Observation?subject=" + patientId.getValue()).header("X-Purpose-Of-Use", "TREAT"));
		assertThat(treatment.status()).isEqualTo(200);
	}
}
