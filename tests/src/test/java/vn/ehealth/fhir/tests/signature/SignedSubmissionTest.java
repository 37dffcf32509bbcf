package vn.ehealth.fhir.tests.signature;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWK;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.server.signature.BundleSignatures;
import vn.ehealth.fhir.server.signature.JsonCanonicalForm;
import vn.ehealth.fhir.tests.security.RegisteredClients;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;
import vn.ehealth.fhir.tests.support.Tokens;

/** Signed transaction bundles: verified against the client's registered keys, recorded as Provenance, refused when they do not hold. */
class SignedSubmissionTest {

	private static TestServer server;
	private static Http http;
	private static String facility;
	/** Signs with ES384 when it wants to; signatures not required. */
	private static RegisteredClients.Client his;
	private static String hisToken;
	/** Must sign (RS384 key). */
	private static RegisteredClients.Client lis;
	private static String lisToken;
	/** Another facility's system: its key must not pass for the HIS's. */
	private static RegisteredClients.Client other;

	@BeforeAll
	static void clients() {
		server = TestServer.shared();
		http = server.anonymousHttp();
		IdType organization = (IdType) server.client().create().resource(Fixtures.facility("Bệnh viện Ký Số"))
				.execute().getId().toUnqualifiedVersionless();
		facility = organization.getValue();
		List<String> scopes = List.of("system/*.cruds");
		his = RegisteredClients.register(server, "his-ky-so", Tokens.newKey(), scopes, List.of("TREAT"), facility, null);
		hisToken = RegisteredClients.token(server, his, "system/*.cruds");
		lis = RegisteredClients.register(server, "lis-bat-buoc-ky", Tokens.newRsaKey(), scopes, List.of("TREAT"), facility,
				"\"signature_required\":true");
		lisToken = RegisteredClients.token(server, lis, "system/*.cruds");
		other = RegisteredClients.register(server, "his-khac", Tokens.newKey(), scopes, List.of("TREAT"), facility, null);
	}

	/** A transaction creating a patient (tagged with a unique test identifier) and one of their observations. */
	private static String transaction(String idValue) {
		Patient patient = Fixtures.patient("Nguyễn", "Thị Ký", idValue);
		Observation pulse = new Observation();
		pulse.setStatus(Observation.ObservationStatus.FINAL);
		pulse.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4").setDisplay("Nhịp tim");
		pulse.setSubject(new Reference("urn:uuid:5b0a3c1e-8f0e-4a53-9a5e-1f1b7b1d0a01"));
		pulse.setValue(new Quantity().setValue(72.50).setUnit("/min"));
		Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		bundle.addEntry().setFullUrl("urn:uuid:5b0a3c1e-8f0e-4a53-9a5e-1f1b7b1d0a01").setResource(patient)
				.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");
		bundle.addEntry().setFullUrl("urn:uuid:5b0a3c1e-8f0e-4a53-9a5e-1f1b7b1d0a02").setResource(pulse)
				.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
		return TestServer.fhirContext().newJsonParser().setPrettyPrint(true).encodeResourceToString(bundle);
	}

	private static String sign(String bundle, JWK key) {
		try {
			return BundleSignatures.sign(bundle, key, facility);
		} catch (Exception e) {
			throw new IllegalStateException(e);
		}
	}

	private static Http.Response post(String token, String contentType, String body) {
		return http.send(HttpRequest.newBuilder(http.uri("/fhir"))
				.header("Authorization", "Bearer " + token)
				.header("Content-Type", contentType)
				.header("Accept", "application/fhir+json")
				.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
	}

	private static Http.Response post(String token, String bundle) {
		return post(token, "application/fhir+json", bundle);
	}

	private static List<Provenance> provenancesOf(String target) {
		Bundle found = server.http().get("/fhir/Provenance?target=" + target, "application/fhir+json").resource(Bundle.class);
		return found.getEntry().stream().map(e -> (Provenance) e.getResource()).toList();
	}

	@Test
	void aValidSignatureIsStoredAsProvenanceOfWhatTheBundleWrote() {
		String idValue = Fixtures.uniqueValue();
		String signed = sign(transaction(idValue), his.key());
		Http.Response response = post(hisToken, signed);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		Bundle result = response.resource(Bundle.class);
		// the two entries sent, and the Provenance the server added to the same transaction
		assertThat(result.getEntry()).hasSize(3);
		String patient = new IdType(result.getEntry().get(0).getResponse().getLocation()).toUnqualifiedVersionless().getValue();
		String observation = new IdType(result.getEntry().get(1).getResponse().getLocation()).toUnqualifiedVersionless().getValue();
		assertThat(result.getEntry().get(2).getResponse().getLocation()).startsWith("Provenance/");

		List<Provenance> provenances = provenancesOf(patient);
		assertThat(provenances).hasSize(1);
		Provenance provenance = provenances.get(0);
		assertThat(provenance.getTarget()).extracting(Reference::getReference).containsExactlyInAnyOrder(patient, observation);
		assertThat(provenance.getAgentFirstRep().getWho().getIdentifier().getValue()).isEqualTo(his.clientId());
		assertThat(provenance.getAgentFirstRep().getOnBehalfOf().getReference()).isEqualTo(facility);
		assertThat(provenance.getSignatureFirstRep().getWho().getReference()).isEqualTo(facility);
		assertThat(provenance.getSignatureFirstRep().getSigFormat()).isEqualTo("application/jose");
		String jws = new String(provenance.getSignatureFirstRep().getData(), StandardCharsets.US_ASCII);
		String sent = new String(Base64.getDecoder().decode(
				Tokens.json(signed).get("signature") instanceof java.util.Map<?, ?> s ? (String) s.get("data") : ""), StandardCharsets.US_ASCII);
		assertThat(jws).isEqualTo(sent).matches("[A-Za-z0-9_-]+\\.\\.[A-Za-z0-9_-]+");
		assertThat(provenance.getSignatureFirstRep().getTypeFirstRep().getCode()).isEqualTo("1.2.840.10065.1.12.1.1");
	}

	@Test
	void aFacilityMayPublishItsOrganizationInTheSignedBundleItself() {
		String newFacility = "Organization/bv-moi-" + (int) (Math.random() * 1_000_000);
		RegisteredClients.Client newcomer = RegisteredClients.register(server, "his-co-so-moi", Tokens.newKey(),
				List.of("system/*.cruds"), List.of("TREAT"), newFacility, "\"signature_required\":true");
		org.hl7.fhir.r4.model.Organization organization = Fixtures.facility("Phòng khám Mới Mở");
		organization.setId(newFacility);
		String idValue = Fixtures.uniqueValue();
		Bundle bundle = TestServer.fhirContext().newJsonParser().parseResource(Bundle.class, transaction(idValue));
		bundle.addEntry().setResource(organization).getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl(newFacility);
		String json = TestServer.fhirContext().newJsonParser().encodeResourceToString(bundle);
		String signed;
		try {
			signed = BundleSignatures.sign(json, newcomer.key(), newFacility);
		} catch (Exception e) {
			throw new IllegalStateException(e);
		}
		Http.Response response = post(RegisteredClients.token(server, newcomer, "system/*.cruds"), signed);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		List<Provenance> provenances = provenancesOf(newFacility);
		assertThat(provenances).hasSize(1);
		assertThat(provenances.get(0).getSignatureFirstRep().getWho().getReference()).isEqualTo(newFacility);
		assertThat(provenances.get(0).getTarget()).hasSize(3);
	}

	@Test
	void rs384SignatureOfAClientThatMustSignIsAcceptedWhateverTheJsonLayout() throws Exception {
		String idValue = Fixtures.uniqueValue();
		String signed = sign(transaction(idValue), lis.key());
		// the canonical form covers content, not whitespace or member order: re-serialised compactly it still holds
		String compact = new ObjectMapper().writeValueAsString(new ObjectMapper().readTree(signed));
		Http.Response response = post(lisToken, compact);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		assertThat(Fixtures.countPatients(server.client(), idValue)).isEqualTo(1);
	}

	@Test
	void aBundleChangedAfterSigningIsRefusedAndNothingIsStored() {
		String idValue = Fixtures.uniqueValue();
		String signed = sign(transaction(idValue), his.key());
		assertThat(signed).contains("\"Thị Ký\"");
		String tampered = signed.replace("\"Thị Ký\"", "\"Thị Kỳ\"");
		Http.Response response = post(hisToken, tampered);
		assertThat(response.status()).isEqualTo(422);
		assertThat(response.diagnostics()).contains("signature does not verify");
		assertThat(Fixtures.countPatients(server.client(), idValue)).isZero();

		// one number changed: 72.5 beats per minute become 75.5
		Http.Response number = post(hisToken, signed.replace("72.5", "75.5"));
		assertThat(number.status()).isEqualTo(422);
		assertThat(Fixtures.countPatients(server.client(), idValue)).isZero();
		// the untouched bundle goes through: the refusals above were about the changes
		assertThat(post(hisToken, signed).status()).isEqualTo(200);
		assertThat(Fixtures.countPatients(server.client(), idValue)).isEqualTo(1);
	}

	@Test
	void aClientThatMustSignIsRefusedUnsignedBundlesAndOtherWrites() {
		String idValue = Fixtures.uniqueValue();
		Http.Response unsigned = post(lisToken, transaction(idValue));
		assertThat(unsigned.status()).isEqualTo(422);
		assertThat(unsigned.diagnostics()).contains("must sign");
		Http.Response create = http.send(HttpRequest.newBuilder(http.uri("/fhir/Patient"))
				.header("Authorization", "Bearer " + lisToken).header("Content-Type", "application/fhir+json")
				.POST(HttpRequest.BodyPublishers.ofString(TestServer.fhirContext().newJsonParser()
						.encodeResourceToString(Fixtures.patient("Trần", "Văn Thiếu", idValue)), StandardCharsets.UTF_8)));
		assertThat(create.status()).isEqualTo(422);
		assertThat(Fixtures.countPatients(server.client(), idValue)).isZero();
		// nor through bulk import, whose NDJSON lines carry no signature
		String line = TestServer.fhirContext().newJsonParser().encodeResourceToString(Fixtures.patient("Trần", "Văn Thiếu", idValue)
				.setId("ky-" + idValue.substring(0, 8)));
		Http.Response imported = http.send(HttpRequest.newBuilder(http.uri("/fhir/$import"))
				.header("Authorization", "Bearer " + lisToken).header("Content-Type", "application/fhir+ndjson")
				.header("Accept", "application/fhir+json")
				.POST(HttpRequest.BodyPublishers.ofString(line + "\n", StandardCharsets.UTF_8)));
		assertThat(imported.status()).isEqualTo(422);
		assertThat(imported.diagnostics()).contains("$import");
		assertThat(Fixtures.countPatients(server.client(), idValue)).isZero();
		// the client that need not sign may still send unsigned bundles
		assertThat(post(hisToken, transaction(idValue)).status()).isEqualTo(200);
	}

	@Test
	void aSignatureByAnotherClientsKeyIsRefused() {
		String idValue = Fixtures.uniqueValue();
		Http.Response response = post(hisToken, sign(transaction(idValue), other.key()));
		assertThat(response.status()).isEqualTo(422);
		assertThat(response.diagnostics()).contains("kid");
		assertThat(Fixtures.countPatients(server.client(), idValue)).isZero();

		// the same key without its kid: tried against the client's keys, none verifies
		Http.Response unnamed = post(hisToken, sign(transaction(idValue), new com.nimbusds.jose.jwk.ECKey.Builder(other.key().toECKey())
				.keyID(null).build()));
		assertThat(unnamed.status()).isEqualTo(422);
		assertThat(unnamed.diagnostics()).contains("signature does not verify");
		assertThat(Fixtures.countPatients(server.client(), idValue)).isZero();
	}

	@Test
	void aSignatureNamingAnotherFacilityOrSentAsXmlIsRefused() throws Exception {
		String idValue = Fixtures.uniqueValue();
		String elsewhere = BundleSignatures.sign(transaction(idValue), his.key(), "Organization/bv-khac");
		Http.Response wrongFacility = post(hisToken, elsewhere);
		assertThat(wrongFacility.status()).isEqualTo(422);
		assertThat(wrongFacility.diagnostics()).contains("acts for " + facility);

		Bundle parsed = TestServer.fhirContext().newJsonParser().parseResource(Bundle.class, sign(transaction(idValue), his.key()));
		Http.Response xml = post(hisToken, "application/fhir+xml", TestServer.fhirContext().newXmlParser().encodeResourceToString(parsed));
		assertThat(xml.status()).isEqualTo(422);
		assertThat(xml.diagnostics()).contains("JSON");
		assertThat(Fixtures.countPatients(server.client(), idValue)).isZero();
	}

	/** RFC 8785 appendix: the canonical form facility software must reproduce. */
	@Test
	void canonicalFormIsRfc8785() throws Exception {
		String input = "{\"numbers\":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"
				+ "\"string\":\"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\"literals\":[null,true,false]}";
		String expected = "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
				+ "\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";
		assertThat(JsonCanonicalForm.canonicalize(input)).isEqualTo(expected);
		assertThat(JsonCanonicalForm.canonicalize("{\"b\":[1,100,-0.0,1e21,123e-9],\"a\":{\"€\":1,\"z\":2,\"A\":3}}"))
				.isEqualTo("{\"a\":{\"A\":3,\"z\":2,\"€\":1},\"b\":[1,100,0,1e+21,1.23e-7]}");
	}
}
