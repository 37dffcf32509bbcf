package vn.ehealth.fhir.server.claimxml;

import java.security.cert.X509Certificate;

/**
 * What the check of an envelope's signature ({@code CHUKYDONVI}) found.
 *
 * @param status valid, invalid (with the reason), absent, or not checked (mode off)
 * @param reason why it does not hold, Vietnamese first, English beside it; null when valid
 * @param signer the certificate in the signature's KeyInfo that it was checked with; null when absent
 * @param signatureXml the {@code ds:Signature} element as sent (UTF-8), recorded with the result
 * @param signedOn the envelope's {@code NGAYLAP} (yyyyMMdd), the date the facility made and signed it
 */
record EnvelopeSignature(Status status, String reason, X509Certificate signer, byte[] signatureXml, String signedOn) {

	enum Status {
		VALID,
		INVALID,
		ABSENT,
		NOT_CHECKED
	}

	static final EnvelopeSignature NOT_CHECKED = new EnvelopeSignature(Status.NOT_CHECKED, null, null, null, null);
	static final EnvelopeSignature ABSENT = new EnvelopeSignature(Status.ABSENT,
			"Phong bì không có chữ ký số của cơ sở (CHUKYDONVI trống) / The envelope carries no facility signature (CHUKYDONVI is empty)",
			null, null, null);

	static EnvelopeSignature invalid(String vietnamese, String english, X509Certificate signer, byte[] signatureXml, String signedOn) {
		return new EnvelopeSignature(Status.INVALID, vietnamese + " / " + english, signer, signatureXml, signedOn);
	}

	boolean valid() {
		return status == Status.VALID;
	}

	/** Checked and found, valid or not: what record mode writes a Provenance for. */
	boolean present() {
		return status == Status.VALID || status == Status.INVALID;
	}
}
