package vn.ehealth.fhir.server.signature;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSSignerFactory;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Signatures on submitted transaction bundles: a JWS (RFC 7515) with detached payload, compact form
 * {@code header..signature}, carried base64-encoded in {@code Bundle.signature.data}.
 *
 * <p>What is signed (the payload): the Bundle exactly as sent, as JSON, without its top-level
 * {@code signature}, {@code id} and {@code meta}, in JCS canonical form (RFC 8785, see
 * {@link JsonCanonicalForm}), as UTF-8 bytes. The JWS header names the algorithm ({@code ES384} or
 * {@code RS384}) and should name the key ({@code kid}); the key must be in the client's registered JWKS.
 */
public final class BundleSignatures {

	/** Bundle.signature.type: ASTM E1762-95 "Author's Signature". */
	static final String TYPE_SYSTEM = "urn:iso-astm:E1762-95:2013";
	static final String AUTHOR_SIGNATURE = "1.2.840.10065.1.12.1.1";
	static final String SIG_FORMAT = "application/jose";
	static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384);
	/** Top-level members of the Bundle that the signature does not cover. */
	static final List<String> UNSIGNED_MEMBERS = List.of("signature", "id", "meta");

	/** A signature that does not hold, with the reason. */
	static class InvalidSignature extends Exception {
		InvalidSignature(String message) {
			super(message);
		}
	}

	private BundleSignatures() {}

	/** The bytes a bundle's signature covers (see the class comment). */
	static byte[] payload(String bundleJson) throws JsonProcessingException {
		JsonNode bundle = JsonCanonicalForm.parse(bundleJson);
		if (!(bundle instanceof ObjectNode object)) {
			throw new IllegalArgumentException("A Bundle is a JSON object");
		}
		ObjectNode signed = object.deepCopy();
		signed.remove(UNSIGNED_MEMBERS);
		return JsonCanonicalForm.canonicalize(signed).getBytes(StandardCharsets.UTF_8);
	}

	/** A detached JWS ({@code header..signature}) over the payload, ES384 or RS384 by the key's type. */
	static String signDetached(byte[] payload, JWK key) throws JOSEException {
		JWSAlgorithm algorithm = key instanceof RSAKey ? JWSAlgorithm.RS384 : JWSAlgorithm.ES384;
		JWSObject jws = new JWSObject(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).build(), new Payload(payload));
		jws.sign(new DefaultJWSSignerFactory().createJWSSigner(key, algorithm));
		return jws.serialize(true);
	}

	/**
	 * The bundle with a {@code signature} by the key: author's signature, {@code who} the facility
	 * ({@code Organization/<id>}), JWS with detached payload. What facility software does, in Java.
	 */
	public static String sign(String bundleJson, JWK key, String facility) throws JsonProcessingException, JOSEException {
		String compact = signDetached(payload(bundleJson), key);
		ObjectNode bundle = (ObjectNode) JsonCanonicalForm.parse(bundleJson);
		ObjectNode signature = bundle.putObject("signature");
		ObjectNode type = signature.putArray("type").addObject();
		type.put("system", TYPE_SYSTEM).put("code", AUTHOR_SIGNATURE).put("display", "Author's Signature");
		signature.put("when", Instant.now().toString());
		signature.putObject("who").put("reference", facility);
		signature.put("sigFormat", SIG_FORMAT);
		signature.put("data", Base64.getEncoder().encodeToString(compact.getBytes(StandardCharsets.US_ASCII)));
		return JsonCanonicalForm.STRICT.writerWithDefaultPrettyPrinter().writeValueAsString(bundle);
	}

	/** Checks a detached JWS over the payload against the keys; the key used, or why it does not hold. */
	static JWK verifyDetached(String compact, byte[] payload, JWKSet keys) throws InvalidSignature {
		JWSObject jws;
		try {
			jws = JWSObject.parse(compact, new Payload(payload));
		} catch (ParseException e) {
			throw new InvalidSignature("Bundle.signature.data is not a JWS with detached payload (header..signature): " + e.getMessage());
		}
		JWSAlgorithm algorithm = jws.getHeader().getAlgorithm();
		if (!ALGORITHMS.contains(algorithm)) {
			throw new InvalidSignature("the JWS must be signed ES384 or RS384, not " + algorithm);
		}
		String kid = jws.getHeader().getKeyID();
		List<JWK> candidates = keys.getKeys().stream()
				.filter(k -> kid == null || kid.equals(k.getKeyID()))
				.filter(k -> algorithm.equals(JWSAlgorithm.RS384) ? k instanceof RSAKey : k instanceof ECKey)
				.toList();
		if (candidates.isEmpty()) {
			throw new InvalidSignature(kid != null
					? "no key with kid " + kid + " is registered for this client"
					: "no " + algorithm + " key is registered for this client");
		}
		for (JWK key : candidates) {
			try {
				JWSVerifier verifier = key instanceof RSAKey rsa ? new RSASSAVerifier(rsa) : new ECDSAVerifier((ECKey) key);
				if (jws.verify(verifier)) {
					return key;
				}
			} catch (JOSEException e) {
				// a key that cannot verify this algorithm (e.g. an EC key on another curve): try the next
			}
		}
		throw new InvalidSignature("the signature does not match the bundle's content (changed after signing?) "
				+ "or was made with a key not registered for this client");
	}
}
