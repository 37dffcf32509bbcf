package vn.ehealth.fhir.server.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Signed transaction bundles: the signature covers the bundle's canonical JSON (RFC 8785) less
 * signature, id and meta, as a JWS with detached payload by a key the facility registered.
 */
class BundleSignaturesTest {

	private static final String BUNDLE = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":"
			+ "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Trần\",\"given\":[\"Thị Bình\"]}]},"
			+ "\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}]}";

	private static ECKey facilityKey;

	@BeforeAll
	static void key() throws Exception {
		facilityKey = new ECKeyGenerator(Curve.P_384).keyID("bv-bachmai-2026").generate();
	}

	@Test
	void aSignedBundleVerifiesWithTheFacilitysPublicKey() throws Exception {
		String signed = BundleSignatures.sign(BUNDLE, facilityKey, "Organization/bachmai");
		JsonNode signature = JsonCanonicalForm.parse(signed).get("signature");
		assertThat(signature.get("who").get("reference").asText()).isEqualTo("Organization/bachmai");
		assertThat(signature.get("sigFormat").asText()).isEqualTo(BundleSignatures.SIG_FORMAT);
		String compact = new String(Base64.getDecoder().decode(signature.get("data").asText()), StandardCharsets.US_ASCII);

		assertThat(BundleSignatures.verifyDetached(compact, BundleSignatures.payload(signed), publicKeys()).getKeyID())
				.isEqualTo("bv-bachmai-2026");
	}

	/** The server gives the bundle an id and meta, and the signature is itself not signed: none of them counts. */
	@Test
	void theSignatureDoesNotCoverSignatureIdOrMeta() throws Exception {
		String stored = BUNDLE.replace("{\"resourceType\":\"Bundle\",",
				"{\"resourceType\":\"Bundle\",\"id\":\"b1\",\"meta\":{\"versionId\":\"1\"},\"signature\":{\"sigFormat\":\"x\"},");
		assertThat(BundleSignatures.payload(stored)).isEqualTo(BundleSignatures.payload(BUNDLE));
	}

	/** Canonical JSON: member order and spacing do not change what is signed. */
	@Test
	void theSignatureCoversContentNotLayout() throws Exception {
		String reordered = "{ \"type\": \"transaction\", \"entry\": [{\"request\":{\"url\":\"Patient\",\"method\":\"POST\"},"
				+ "\"resource\":{\"name\":[{\"given\":[\"Thị Bình\"],\"family\":\"Trần\"}],\"resourceType\":\"Patient\"}}],"
				+ " \"resourceType\": \"Bundle\" }";
		assertThat(BundleSignatures.payload(reordered)).isEqualTo(BundleSignatures.payload(BUNDLE));
	}

	@Test
	void aBundleChangedAfterSigningIsRefused() throws Exception {
		String compact = BundleSignatures.signDetached(BundleSignatures.payload(BUNDLE), facilityKey);
		byte[] changed = BundleSignatures.payload(BUNDLE.replace("Trần", "Trân"));
		assertThatThrownBy(() -> BundleSignatures.verifyDetached(compact, changed, publicKeys()))
				.isInstanceOf(BundleSignatures.InvalidSignature.class).hasMessageContaining("does not match");
	}

	@Test
	void aSignatureByAKeyTheFacilityDidNotRegisterIsRefused() throws Exception {
		ECKey other = new ECKeyGenerator(Curve.P_384).keyID("someone-else").generate();
		byte[] payload = BundleSignatures.payload(BUNDLE);
		String byOther = BundleSignatures.signDetached(payload, other);
		assertThatThrownBy(() -> BundleSignatures.verifyDetached(byOther, payload, publicKeys()))
				.isInstanceOf(BundleSignatures.InvalidSignature.class).hasMessageContaining("no key with kid someone-else");
	}

	/** ES384 or RS384 only, as SMART Backend Services asks of client keys. */
	@Test
	void anotherAlgorithmIsRefused() throws Exception {
		ECKey p256 = new ECKeyGenerator(Curve.P_256).keyID("bv-bachmai-2026").generate();
		byte[] payload = BundleSignatures.payload(BUNDLE);
		JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("bv-bachmai-2026").build(), new Payload(payload));
		jws.sign(new ECDSASigner(p256));
		assertThatThrownBy(() -> BundleSignatures.verifyDetached(jws.serialize(true), payload, new JWKSet(p256.toPublicJWK())))
				.isInstanceOf(BundleSignatures.InvalidSignature.class).hasMessageContaining("ES384 or RS384");
	}

	@Test
	void dataThatIsNotADetachedJwsIsRefused() {
		assertThatThrownBy(() -> BundleSignatures.verifyDetached("not a jws", new byte[0], publicKeys()))
				.isInstanceOf(BundleSignatures.InvalidSignature.class).hasMessageContaining("detached payload");
	}

	private static JWKSet publicKeys() {
		return new JWKSet(facilityKey.toPublicJWK());
	}
}
