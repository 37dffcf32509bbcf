package vn.ehealth.fhir.server.claimxml;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.HexFormat;
import java.util.TimeZone;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Signature;
import org.hl7.fhir.r4.model.StringType;

/**
 * Record mode: the result of the envelope's signature check, on a Provenance written in each
 * episode's transaction, as signature/SignedSubmissionInterceptor records a JWS-signed bundle: the
 * targets are the episode's Encounter and Claim, the agent the facility, {@code signature} the
 * signature itself (ASTM author's signature, {@code who} the facility, {@code sigFormat}
 * application/signature+xml, {@code data} the {@code ds:Signature} element). FHIR's Signature has
 * no place for whether it held, so an extension on it says: {@code result} valid or invalid,
 * {@code reason}, the signer certificate's {@code subject}, {@code serial} and {@code issuer}.
 *
 * <p>One Provenance per episode, its id derived from the facility and MA_LK and its times from the
 * envelope's NGAYLAP: a correction replaces it, sending the same envelope again changes nothing.
 */
final class EnvelopeSignatureProvenance {

	static final String EXTENSION = "https://vietfhir.org/fhir/StructureDefinition/claim-xml-signature-check";
	/** Signature.type as signature/BundleSignatures writes it: ASTM E1762-95 author's signature. */
	static final String TYPE_SYSTEM = "urn:iso-astm:E1762-95:2013";
	static final String AUTHOR_SIGNATURE = "1.2.840.10065.1.12.1.1";
	static final String SIG_FORMAT = "application/signature+xml";
	private static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");

	private EnvelopeSignatureProvenance() {}

	/** Adds the Provenance of a checked signature to the episode's transaction; nothing for an unsigned or unchecked one. */
	static void add(Bundle transaction, String facility, Submission.Episode episode, EnvelopeSignature signature) {
		if (signature == null || !signature.present()) {
			return;
		}
		Provenance provenance = new Provenance();
		Reference facilityRef = null;
		for (Bundle.BundleEntryComponent entry : transaction.getEntry()) {
			Resource resource = entry.getResource();
			if (resource instanceof Encounter encounter) {
				provenance.addTarget(new Reference(entry.getFullUrl()));
				facilityRef = encounter.getServiceProvider();
			} else if (resource != null && "Claim".equals(resource.fhirType())) {
				provenance.addTarget(new Reference(entry.getFullUrl()));
			}
		}
		if (!provenance.hasTarget()) {
			return;
		}
		Date when = when(signature.signedOn());
		provenance.setRecorded(when);
		provenance.getRecordedElement().setTimeZone(TimeZone.getTimeZone(VIETNAM));
		Provenance.ProvenanceAgentComponent agent = provenance.addAgent();
		agent.setType(new CodeableConcept(new Coding(
				"http://terminology.hl7.org/CodeSystem/provenance-participant-type", "author", "Author")));
		agent.setWho(facilityRef == null ? null : facilityRef.copy());
		Signature recorded = provenance.addSignature();
		recorded.addType(new Coding(TYPE_SYSTEM, AUTHOR_SIGNATURE, "Author's Signature"));
		recorded.setWhen(when);
		recorded.getWhenElement().setTimeZone(TimeZone.getTimeZone(VIETNAM));
		recorded.setWho(facilityRef == null ? null : facilityRef.copy());
		recorded.setTargetFormat("application/xml");
		recorded.setSigFormat(SIG_FORMAT);
		recorded.setData(signature.signatureXml());
		recorded.addExtension(check(signature));

		String id = "claimsig-" + key(facility, episode.maLk());
		provenance.setId(id);
		transaction.addEntry().setResource(provenance).getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl("Provenance/" + id);
	}

	private static Extension check(EnvelopeSignature signature) {
		Extension check = new Extension(EXTENSION);
		check.addExtension("result", new CodeType(signature.valid() ? "valid" : "invalid"));
		if (signature.reason() != null) {
			check.addExtension("reason", new StringType(signature.reason()));
		}
		if (signature.signer() != null) {
			check.addExtension("subject", new StringType(signature.signer().getSubjectX500Principal().getName()));
			check.addExtension("serial", new StringType(signature.signer().getSerialNumber().toString(16)));
			check.addExtension("issuer", new StringType(signature.signer().getIssuerX500Principal().getName()));
		}
		return check;
	}

	/** NGAYLAP at the start of that day in Vietnam; now when the envelope has none. */
	private static Date when(String signedOn) {
		if (signedOn == null) {
			return new Date();
		}
		try {
			return Date.from(LocalDate.parse(signedOn, DateTimeFormatter.BASIC_ISO_DATE).atStartOfDay(VIETNAM).toInstant());
		} catch (java.time.format.DateTimeParseException e) {
			return new Date();
		}
	}

	/** A stable id per episode of a facility (MA_LK may hold characters an id may not). */
	private static String key(String facility, String maLk) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest((facility + "|" + maLk).getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(hash, 0, 20);
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}
}
