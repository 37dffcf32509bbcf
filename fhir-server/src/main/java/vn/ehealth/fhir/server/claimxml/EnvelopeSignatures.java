package vn.ehealth.fhir.server.claimxml;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.apache.xml.security.Init;
import org.apache.xml.security.c14n.Canonicalizer;
import org.apache.xml.security.exceptions.XMLSecurityException;
import org.apache.xml.security.signature.Reference;
import org.apache.xml.security.signature.SignedInfo;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.apache.xml.security.utils.Constants;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Checks the facility's signature on a claim envelope: an enveloped XML signature (XML-DSig 1.1) in
 * {@code GIAMDINHHS/CHUKYDONVI} over the whole envelope, with the facility's X.509 certificate in its
 * KeyInfo (Decree 130/2018/ND-CP: a digital signature with a certificate from a licensed CA).
 *
 * <p>Checked on the very DOM the reader then reads (SafeXml: no DTD, no entity), with Apache
 * Santuario in secure-validation mode. Only one shape is accepted, so what is signed is what is
 * read: exactly one {@code ds:Signature} in the document, in {@code CHUKYDONVI} directly under the
 * root; exactly one Reference, {@code URI=""} (the whole document: no Id lookup that a wrapped copy
 * could answer, nothing outside the document), with the enveloped-signature transform and
 * canonicalization only (no XPath, no XSLT). The certificate must chain (PKIX, the JDK's validator,
 * no network: no OCSP or CRL fetch) to a CA the operator configured, every certificate in the path
 * be valid now, and the signer's key usage allow signing (digitalSignature or nonRepudiation, RFC
 * 5280 §4.2.1.3).
 */
final class EnvelopeSignatures {

	static final String ENVELOPED = Transforms.TRANSFORM_ENVELOPED_SIGNATURE;
	private static final Set<String> CANONICALIZATIONS = Set.of(
			Canonicalizer.ALGO_ID_C14N_OMIT_COMMENTS, Canonicalizer.ALGO_ID_C14N_WITH_COMMENTS,
			Canonicalizer.ALGO_ID_C14N11_OMIT_COMMENTS, Canonicalizer.ALGO_ID_C14N11_WITH_COMMENTS,
			Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS, Canonicalizer.ALGO_ID_C14N_EXCL_WITH_COMMENTS);
	/** Where the signature sits in the envelope. */
	static final String PLACE = "GIAMDINHHS/CHUKYDONVI";

	static {
		Init.init();
	}

	private final ClaimXmlSettings.SignatureMode mode;
	private final Set<TrustAnchor> anchors;
	private final Clock clock;

	EnvelopeSignatures(ClaimXmlSettings.SignatureMode mode, Set<TrustAnchor> anchors, Clock clock) {
		this.mode = mode;
		this.anchors = anchors;
		this.clock = clock;
	}

	/** As configured; enforce without a trusted CA would refuse every envelope, so it stops the start-up instead. */
	static EnvelopeSignatures of(ClaimXmlSettings.Signature settings) {
		if (settings.mode() == ClaimXmlSettings.SignatureMode.OFF) {
			return new EnvelopeSignatures(settings.mode(), Set.of(), Clock.systemUTC());
		}
		Set<TrustAnchor> anchors = SignatureTrustAnchors.load(settings.trustedCa(), settings.trustedCaPassword());
		if (settings.mode() == ClaimXmlSettings.SignatureMode.ENFORCE && anchors.isEmpty()) {
			throw new IllegalStateException("vietfhir.claim-xml.signature.mode=enforce needs vietfhir.claim-xml.signature.trusted-ca "
					+ "(the CA certificates facility signatures must chain to)");
		}
		return new EnvelopeSignatures(settings.mode(), anchors, Clock.systemUTC());
	}

	/**
	 * The signature of a submission as the mode wants it: not checked (off), checked (record), or
	 * checked and, unless valid, the whole submission refused with 422 naming the problem (enforce).
	 * {@code source} is the file's name in a ZIP ("name/") or empty.
	 */
	EnvelopeSignature checked(Document document, String source) {
		if (mode == ClaimXmlSettings.SignatureMode.OFF) {
			return EnvelopeSignature.NOT_CHECKED;
		}
		EnvelopeSignature signature = check(document);
		if (mode == ClaimXmlSettings.SignatureMode.ENFORCE && !signature.valid()) {
			throw refused(source + PLACE, signature.reason());
		}
		return signature;
	}

	private static UnprocessableEntityException refused(String where, String reason) {
		String message = "Chữ ký số của phong bì không được chấp nhận, không lưu gì / The envelope's signature is not accepted, "
				+ "nothing was stored: " + reason + " (" + where + ")";
		OperationOutcome outcome = new OperationOutcome();
		outcome.addIssue()
				.setSeverity(OperationOutcome.IssueSeverity.ERROR)
				.setCode(OperationOutcome.IssueType.SECURITY)
				.setDiagnostics(message)
				.addExpression(where);
		return new UnprocessableEntityException(message, outcome);
	}

	/** The signature of an envelope (its root GIAMDINHHS); absent when CHUKYDONVI holds none. */
	EnvelopeSignature check(Document document) {
		NodeList signatures = document.getElementsByTagNameNS(Constants.SignatureSpecNS, Constants._TAG_SIGNATURE);
		if (signatures.getLength() == 0) {
			return EnvelopeSignature.ABSENT;
		}
		Element root = document.getDocumentElement();
		Element signature = (Element) signatures.item(0);
		byte[] signatureXml = serialize(signature);
		String signedOn = signedOn(root);
		if (signatures.getLength() > 1 || !inPlace(signature, root)) {
			return EnvelopeSignature.invalid("Phong bì phải có đúng một chữ ký, đặt trong " + PLACE,
					"The envelope must carry exactly one signature, in " + PLACE + " (" + signatures.getLength() + " found)",
					null, signatureXml, signedOn);
		}
		List<X509Certificate> certificates;
		try {
			certificates = certificates(signature);
		} catch (GeneralSecurityException e) {
			return EnvelopeSignature.invalid("Chứng thư số trong chữ ký không đọc được", "The signature's certificate cannot be read: "
					+ e.getMessage(), null, signatureXml, signedOn);
		}
		if (certificates.isEmpty()) {
			return EnvelopeSignature.invalid("Chữ ký không kèm chứng thư số (KeyInfo/X509Data/X509Certificate)",
					"The signature carries no certificate (KeyInfo/X509Data/X509Certificate)", null, signatureXml, signedOn);
		}
		X509Certificate signer = certificates.get(0);
		String problem = signatureProblem(signature, signer);
		if (problem == null) {
			problem = certificateProblem(signer, certificates);
		}
		return problem == null
				? new EnvelopeSignature(EnvelopeSignature.Status.VALID, null, signer, signatureXml, signedOn)
				: new EnvelopeSignature(EnvelopeSignature.Status.INVALID, problem, signer, signatureXml, signedOn);
	}

	/** The signature element is CHUKYDONVI's child, and CHUKYDONVI the root's: not a copy wrapped elsewhere. */
	private static boolean inPlace(Element signature, Element root) {
		Node parent = signature.getParentNode();
		return parent instanceof Element place && "CHUKYDONVI".equals(place.getLocalName()) && place.getParentNode() == root
				&& "GIAMDINHHS".equals(root.getLocalName());
	}

	/** Null when the signature holds over this document; else why not ("Vietnamese / English"). */
	private static String signatureProblem(Element element, X509Certificate signer) {
		try {
			XMLSignature signature = new XMLSignature(element, "", true);
			SignedInfo signedInfo = signature.getSignedInfo();
			if (signedInfo.getLength() != 1) {
				return "Chữ ký phải có đúng một tham chiếu (Reference) tới toàn bộ phong bì / The signature must hold exactly one "
						+ "Reference, to the whole envelope (" + signedInfo.getLength() + " found)";
			}
			Reference reference = signedInfo.item(0);
			if (reference.getURI() == null || !reference.getURI().isEmpty()) {
				return "Chữ ký phải ký toàn bộ phong bì (Reference URI=\"\"), không phải '" + reference.getURI() + "' / The signature must "
						+ "cover the whole envelope (Reference URI=\"\"), not '" + reference.getURI() + "'";
			}
			String transformProblem = transformProblem(reference.getTransforms());
			if (transformProblem != null) {
				return transformProblem;
			}
			if (!signature.checkSignatureValue(signer)) {
				return "Chữ ký không khớp nội dung phong bì (nội dung đã bị sửa sau khi ký?) / The signature does not match the "
						+ "envelope's content (changed after signing?)";
			}
			return null;
		} catch (XMLSecurityException | RuntimeException e) {
			return "Chữ ký XML không hợp lệ hoặc bị từ chối / The XML signature is malformed or refused: " + e.getMessage();
		}
	}

	/** Enveloped-signature and canonicalization only: the signed bytes are the envelope read, nothing selected or rewritten. */
	private static String transformProblem(Transforms transforms) throws XMLSecurityException {
		boolean enveloped = false;
		for (int i = 0; transforms != null && i < transforms.getLength(); i++) {
			String uri = transforms.item(i).getURI();
			if (ENVELOPED.equals(uri)) {
				enveloped = true;
			} else if (!CANONICALIZATIONS.contains(uri)) {
				return "Phép biến đổi không được chấp nhận trong chữ ký: " + uri + " / Transform not accepted in the signature: " + uri
						+ " (enveloped-signature and canonicalization only)";
			}
		}
		return enveloped ? null : "Chữ ký phải là chữ ký bao trong (enveloped-signature) / The signature must be enveloped "
				+ "(Transform " + ENVELOPED + ")";
	}

	/** Null when the signer's certificate is fit to sign and chains to a trusted CA now; else why not. */
	private String certificateProblem(X509Certificate signer, List<X509Certificate> certificates) {
		boolean[] usage = signer.getKeyUsage();
		if (usage != null && !usage[0] && !usage[1]) {
			return "Chứng thư số không được dùng để ký (keyUsage thiếu digitalSignature, nonRepudiation) / The certificate's key "
					+ "usage does not allow signing (neither digitalSignature nor nonRepudiation)";
		}
		Date now = Date.from(clock.instant());
		try {
			signer.checkValidity(now);
		} catch (CertificateExpiredException e) {
			return "Chứng thư số đã hết hạn ngày " + signer.getNotAfter().toInstant() + " / The certificate expired on "
					+ signer.getNotAfter().toInstant();
		} catch (CertificateNotYetValidException e) {
			return "Chứng thư số chưa có hiệu lực (từ " + signer.getNotBefore().toInstant() + ") / The certificate is not valid before "
					+ signer.getNotBefore().toInstant();
		}
		if (anchors.isEmpty()) {
			return "Chưa cấu hình CA tin cậy (vietfhir.claim-xml.signature.trusted-ca) / No trusted CA is configured "
					+ "(vietfhir.claim-xml.signature.trusted-ca)";
		}
		try {
			X509CertSelector target = new X509CertSelector();
			target.setCertificate(signer);
			PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, target);
			// no network: revocation is not fetched (OCSP, CRL distribution points)
			parameters.setRevocationEnabled(false);
			parameters.setDate(now);
			parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(certificates)));
			CertPathBuilder.getInstance("PKIX").build(parameters);
			return null;
		} catch (CertPathBuilderException e) {
			return "Chứng thư số không do CA tin cậy cấp (hoặc chuỗi chứng thư hết hạn): " + signer.getIssuerX500Principal().getName()
					+ " / The certificate does not chain to a trusted CA (or a CA certificate in the path has expired): issuer "
					+ signer.getIssuerX500Principal().getName();
		} catch (GeneralSecurityException e) {
			return "Không kiểm tra được chuỗi chứng thư / The certificate path cannot be checked: " + e.getMessage();
		}
	}

	/** The certificates of KeyInfo/X509Data, the signer's first (XML-DSig §4.5.4 leaves the order open; signers put theirs first). */
	private static List<X509Certificate> certificates(Element signature) throws GeneralSecurityException {
		List<X509Certificate> found = new ArrayList<>();
		NodeList values = signature.getElementsByTagNameNS(Constants.SignatureSpecNS, Constants._TAG_X509CERTIFICATE);
		CertificateFactory factory = CertificateFactory.getInstance("X.509");
		for (int i = 0; i < values.getLength(); i++) {
			Node keyInfo = values.item(i).getParentNode() == null ? null : values.item(i).getParentNode().getParentNode();
			if (keyInfo == null || !Constants._TAG_KEYINFO.equals(keyInfo.getLocalName()) || keyInfo.getParentNode() != signature) {
				continue; // only the signature's own KeyInfo/X509Data: never a certificate from an Object
			}
			byte[] der;
			try {
				der = Base64.getMimeDecoder().decode(values.item(i).getTextContent().trim());
			} catch (IllegalArgumentException e) {
				throw new java.security.cert.CertificateException("X509Certificate is not base64: " + e.getMessage());
			}
			found.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
		}
		return found;
	}

	private static String signedOn(Element root) {
		NodeList dates = root.getElementsByTagNameNS("*", "NGAYLAP");
		String text = dates.getLength() == 0 ? "" : dates.item(0).getTextContent().trim();
		return text.matches("\\d{8}") ? text : null;
	}

	private static byte[] serialize(Element signature) {
		try {
			var transformer = TransformerFactory.newDefaultInstance().newTransformer();
			transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			transformer.transform(new DOMSource(signature), new StreamResult(out));
			return out.toByteArray();
		} catch (TransformerException e) {
			throw new IllegalStateException(e);
		}
	}
}
