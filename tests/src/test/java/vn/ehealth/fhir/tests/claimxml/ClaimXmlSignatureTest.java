package vn.ehealth.fhir.tests.claimxml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Signature;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import vn.ehealth.fhir.synth.ClaimXml;
import vn.ehealth.fhir.synth.SignedEnvelopes;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.SigningCertificates;
import vn.ehealth.fhir.tests.support.SigningCertificates.Identity;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * The facility's XML signature on a claim envelope (CHUKYDONVI, issue 18): checked with Santuario
 * and the operator's CAs; recorded on a Provenance (record, the suite's server) or required (enforce,
 * a server of its own). CAs and certificates are made here with Bouncy Castle.
 */
class ClaimXmlSignatureTest {

	private static final String IMPORT = "/fhir/$import-claim-xml";
	private static final String CHECK = "https://vietfhir.org/fhir/StructureDefinition/claim-xml-signature-check";
	private static TestServer enforcing;
	private static Identity otherCa;

	@BeforeAll
	static void servers() {
		TestServer.shared();
		otherCa = SigningCertificates.ca("CN=Untrusted CA, O=Khong tin cay, C=VN");
		enforcing = TestServer.start("vietfhir-claimsig-", Map.of("vietfhir.claim-xml.signature.mode", "enforce"));
	}

	@AfterAll
	static void stop() {
		enforcing.stop();
	}

	// ------------------------------------------------------------------ record (the suite's server)

	@Test
	void aValidSignatureIsRecordedOnAProvenanceOfTheEpisodeAndSendingItAgainChangesNothing() {
		String facility = ClaimXmlImportTest.facilityCode();
		Identity signer = SigningCertificates.facility(SigningCertificates.suiteCa(), facility);
		ClaimXml.Episode episode = episode(facility);
		String signed = SignedEnvelopes.sign(ClaimXml.envelope(facility, List.of(episode)), signer.keys().getPrivate(), signer.certificate());

		Http http = TestServer.shared().http();
		storedEpisode(post(http, signed));

		Provenance provenance = provenance(http, facility, episode);
		assertThat(provenance.getTarget()).extracting(t -> t.getReference().replaceAll("/_history/.*", ""))
				.anyMatch(r -> r.startsWith("Encounter/")).anyMatch(r -> r.startsWith("Claim/"));
		assertThat(provenance.getAgentFirstRep().getWho().getReference()).startsWith("Organization/");
		Signature signature = provenance.getSignatureFirstRep();
		assertThat(signature.getSigFormat()).isEqualTo("application/signature+xml");
		assertThat(new String(signature.getData(), StandardCharsets.UTF_8)).contains("SignatureValue");
		assertThat(signature.getWhenElement().getValueAsString()).startsWith("2026-06-30");
		Extension check = signature.getExtensionByUrl(CHECK);
		assertThat(check.getExtensionByUrl("result").getValue().primitiveValue()).isEqualTo("valid");
		assertThat(check.getExtensionByUrl("subject").getValue().primitiveValue()).contains("OU=" + facility);
		assertThat(check.getExtensionByUrl("serial").getValue().primitiveValue())
				.isEqualTo(signer.certificate().getSerialNumber().toString(16));

		storedEpisode(post(http, signed));
		assertThat(provenance(http, facility, episode).getMeta().getVersionId()).isEqualTo(provenance.getMeta().getVersionId());
	}

	@Test
	void inRecordModeATamperedEnvelopeOrAWrongCaIsStoredAndRecordedInvalidWithTheReason() {
		Http http = TestServer.shared().http();
		String facility = ClaimXmlImportTest.facilityCode();
		Identity signer = SigningCertificates.facility(SigningCertificates.suiteCa(), facility);
		ClaimXml.Episode tamperedEpisode = episode(facility);
		storedEpisode(post(http, tamper(SignedEnvelopes.sign(ClaimXml.envelope(facility, List.of(tamperedEpisode)),
				signer.keys().getPrivate(), signer.certificate()))));
		Extension tampered = provenance(http, facility, tamperedEpisode).getSignatureFirstRep().getExtensionByUrl(CHECK);
		assertThat(tampered.getExtensionByUrl("result").getValue().primitiveValue()).isEqualTo("invalid");
		assertThat(tampered.getExtensionByUrl("reason").getValue().primitiveValue()).contains("does not match the envelope's content");

		Identity stranger = SigningCertificates.facility(otherCa, facility);
		ClaimXml.Episode strangerEpisode = episode(facility);
		storedEpisode(post(http, SignedEnvelopes.sign(ClaimXml.envelope(facility, List.of(strangerEpisode)),
				stranger.keys().getPrivate(), stranger.certificate())));
		Extension untrusted = provenance(http, facility, strangerEpisode).getSignatureFirstRep().getExtensionByUrl(CHECK);
		assertThat(untrusted.getExtensionByUrl("result").getValue().primitiveValue()).isEqualTo("invalid");
		assertThat(untrusted.getExtensionByUrl("reason").getValue().primitiveValue()).contains("does not chain to a trusted CA");
		assertThat(untrusted.getExtensionByUrl("issuer").getValue().primitiveValue()).contains("Untrusted CA");
	}

	// ------------------------------------------------------------------ enforce (a server of its own)

	@Test
	void inEnforceModeAValidSignatureIsStored() {
		String facility = ClaimXmlImportTest.facilityCode();
		Identity signer = SigningCertificates.facility(SigningCertificates.suiteCa(), facility);
		ClaimXml.Episode episode = episode(facility);
		storedEpisode(post(enforcing.http(), SignedEnvelopes.sign(ClaimXml.envelope(facility, List.of(episode)),
				signer.keys().getPrivate(), signer.certificate())));
		assertThat(encounters(enforcing.http(), facility, episode)).isEqualTo(1);
	}

	@Test
	void inEnforceModeATamperedEnvelopeIsRefusedWith422AndNothingIsStored() {
		String facility = ClaimXmlImportTest.facilityCode();
		Identity signer = SigningCertificates.facility(SigningCertificates.suiteCa(), facility);
		ClaimXml.Episode episode = episode(facility);
		String tampered = tamper(SignedEnvelopes.sign(ClaimXml.envelope(facility, List.of(episode)), signer.keys().getPrivate(),
				signer.certificate()));
		refused(tampered, "không khớp nội dung phong bì", "does not match the envelope's content");
		assertThat(encounters(enforcing.http(), facility, episode)).isZero();
	}

	@Test
	void inEnforceModeACertificateFromAnotherCaIsRefused() {
		String facility = ClaimXmlImportTest.facilityCode();
		Identity stranger = SigningCertificates.facility(otherCa, facility);
		refused(SignedEnvelopes.sign(ClaimXml.envelope(facility, List.of(episode(facility))), stranger.keys().getPrivate(),
				stranger.certificate()), "không do CA tin cậy cấp", "does not chain to a trusted CA");
	}

	@Test
	void inEnforceModeAnExpiredCertificateOrOneNotForSigningIsRefused() {
		String facility = ClaimXmlImportTest.facilityCode();
		Instant now = Instant.now();
		Identity expired = SigningCertificates.facility(SigningCertificates.suiteCa(), facility, now.minus(Duration.ofDays(60)),
				now.minus(Duration.ofDays(1)), KeyUsage.digitalSignature | KeyUsage.nonRepudiation);
		refused(SignedEnvelopes.sign(ClaimXml.envelope(facility, List.of(episode(facility))), expired.keys().getPrivate(),
				expired.certificate()), "đã hết hạn", "The certificate expired on");

		Identity encipherOnly = SigningCertificates.facility(SigningCertificates.suiteCa(), facility, now.minus(Duration.ofDays(1)),
				now.plus(Duration.ofDays(30)), KeyUsage.keyEncipherment);
		refused(SignedEnvelopes.sign(ClaimXml.envelope(facility, List.of(episode(facility))), encipherOnly.keys().getPrivate(),
				encipherOnly.certificate()), "không được dùng để ký", "key usage does not allow signing");
	}

	@Test
	void inEnforceModeAnUnsignedEnvelopeOrBareTableSetIsRefused() {
		String facility = ClaimXmlImportTest.facilityCode();
		refused(ClaimXml.envelope(facility, List.of(episode(facility))), "không có chữ ký số", "carries no facility signature");
		refused(ClaimXml.bareTableSet(episode(facility)), "không có chữ ký số", "carries no facility signature");
	}

	/**
	 * Signature wrapping (XSW): the facility's genuinely signed content moved out of the way, into the
	 * signature's own Object, and other episodes put where the reader reads. Also a Reference that
	 * points outside the document: refused before anything is fetched.
	 */
	@Test
	void inEnforceModeSignatureWrappingAndExternalReferencesAreRefused() throws Exception {
		String facility = ClaimXmlImportTest.facilityCode();
		Identity signer = SigningCertificates.facility(SigningCertificates.suiteCa(), facility);
		String genuine = SignedEnvelopes.sign(ClaimXml.envelope(facility, List.of(episode(facility))), signer.keys().getPrivate(),
				signer.certificate());
		ClaimXml.Episode forged = episode(facility);
		refused(wrapped(genuine, ClaimXml.envelope(facility, List.of(forged))), "không khớp", "does not match");
		assertThat(encounters(enforcing.http(), facility, forged)).isZero();

		refused(genuine.replace("URI=\"\"", "URI=\"http://127.0.0.1:9/hoso.xml\""), "phải ký toàn bộ phong bì",
				"must cover the whole envelope (Reference URI=\"\"), not 'http://127.0.0.1:9/hoso.xml'");
		refused(genuine.replace("<CHUKYDONVI>", "<THONGTINKHAC><CHUKYDONVI>").replace("</CHUKYDONVI>", "</CHUKYDONVI></THONGTINKHAC>"),
				"đặt trong GIAMDINHHS/CHUKYDONVI", "exactly one signature, in GIAMDINHHS/CHUKYDONVI");
	}

	// ------------------------------------------------------------------ helpers

	private static ClaimXml.Episode episode(String facility) {
		return ClaimXmlImportTest.episode(facility, Fixtures.cccd("001085"), "BN-" + Fixtures.uniqueValue().substring(0, 8));
	}

	private static Http.Response post(Http http, String xml) {
		return http.send(HttpRequest.newBuilder(http.uri(IMPORT))
				.header("Content-Type", "application/xml").header("Accept", "application/fhir+json")
				.POST(HttpRequest.BodyPublishers.ofString(xml, StandardCharsets.UTF_8)));
	}

	private static void storedEpisode(Http.Response response) {
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		Bundle bundle = response.resource(Bundle.class);
		assertThat(bundle.getEntry()).hasSize(1);
		assertThat(bundle.getEntryFirstRep().getResponse().getStatus()).as(response.body()).startsWith("200");
	}

	private static void refused(String xml, String vietnamese, String english) {
		Http.Response response = post(enforcing.http(), xml);
		assertThat(response.status()).as(response.body()).isEqualTo(422);
		assertThat(response.diagnostics()).contains(vietnamese).contains(english).contains("CHUKYDONVI");
		assertThat(response.diagnostics().indexOf(vietnamese)).isLessThan(response.diagnostics().indexOf(english));
	}

	private static Provenance provenance(Http http, String facility, ClaimXml.Episode episode) {
		Encounter encounter = (Encounter) search(http, "Encounter?identifier=" + ClaimXmlImportTest.episodeSystem(facility) + "%7C"
				+ episode.maLk()).getEntryFirstRep().getResource();
		Bundle found = search(http, "Provenance?target=Encounter/" + encounter.getIdPart());
		assertThat(found.getEntry()).hasSize(1);
		return (Provenance) found.getEntryFirstRep().getResource();
	}

	private static int encounters(Http http, String facility, ClaimXml.Episode episode) {
		return search(http, "Encounter?identifier=" + ClaimXmlImportTest.episodeSystem(facility) + "%7C" + episode.maLk()).getEntry().size();
	}

	private static Bundle search(Http http, String query) {
		Http.Response response = http.get("/fhir/" + query, "application/fhir+json");
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.resource(Bundle.class);
	}

	/** The signed envelope with the patient's name changed in XML1 (base64 in NOIDUNGFILE) after signing. */
	private static String tamper(String signed) {
		Matcher table = Pattern.compile("<LOAIHOSO>XML1</LOAIHOSO><NOIDUNGFILE>([^<]+)</NOIDUNGFILE>").matcher(signed);
		assertThat(table.find()).isTrue();
		String xml1 = new String(Base64.getDecoder().decode(table.group(1)), StandardCharsets.UTF_8);
		assertThat(xml1).contains("Nguyễn Văn An");
		String changed = Base64.getEncoder().encodeToString(xml1.replace("Nguyễn Văn An", "Nguyễn Văn Bình").getBytes(StandardCharsets.UTF_8));
		return signed.substring(0, table.start(1)) + changed + signed.substring(table.end(1));
	}

	/** The forged envelope, carrying the genuine signature with the genuine envelope wrapped inside it (ds:Object). */
	private static String wrapped(String genuine, String forged) throws Exception {
		DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
		factory.setNamespaceAware(true);
		Document original = factory.newDocumentBuilder().parse(new ByteArrayInputStream(genuine.getBytes(StandardCharsets.UTF_8)));
		Document target = factory.newDocumentBuilder().parse(new ByteArrayInputStream(forged.getBytes(StandardCharsets.UTF_8)));
		String ds = "http://www.w3.org/2000/09/xmldsig#";
		Element signature = (Element) target.importNode(original.getElementsByTagNameNS(ds, "Signature").item(0), true);
		Element object = target.createElementNS(ds, "ds:Object");
		Element copy = (Element) target.importNode(original.getDocumentElement(), true);
		org.w3c.dom.Node inner = copy.getElementsByTagNameNS(ds, "Signature").item(0);
		inner.getParentNode().removeChild(inner);
		object.appendChild(copy);
		signature.appendChild(object);
		target.getElementsByTagName("CHUKYDONVI").item(0).appendChild(signature);
		return SignedEnvelopes.write(target);
	}
}
