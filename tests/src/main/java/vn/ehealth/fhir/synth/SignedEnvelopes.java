package vn.ehealth.fhir.synth;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.apache.xml.security.Init;
import org.apache.xml.security.algorithms.MessageDigestAlgorithm;
import org.apache.xml.security.c14n.Canonicalizer;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Signs a claim envelope as a facility's software does before sending it to the portal: an
 * enveloped XML signature (RSA-SHA256 or ECDSA-SHA256, exclusive canonicalization, SHA-256 digest)
 * over the whole {@code GIAMDINHHS} document ({@code Reference URI=""}), put in {@code CHUKYDONVI},
 * with the signer's certificate (then any CA certificates given) in {@code KeyInfo/X509Data}.
 */
public final class SignedEnvelopes {

	static {
		Init.init();
	}

	private SignedEnvelopes() {}

	public static String sign(String envelope, PrivateKey key, X509Certificate... certificates) {
		try {
			DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
			factory.setNamespaceAware(true);
			factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
			Document document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(envelope.getBytes(StandardCharsets.UTF_8)));
			Element place = place(document);
			String algorithm = "EC".equals(key.getAlgorithm())
					? XMLSignature.ALGO_ID_SIGNATURE_ECDSA_SHA256 : XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256;
			XMLSignature signature = new XMLSignature(document, "", algorithm, Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
			place.appendChild(signature.getElement());
			Transforms transforms = new Transforms(document);
			transforms.addTransform(Transforms.TRANSFORM_ENVELOPED_SIGNATURE);
			transforms.addTransform(Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS);
			signature.addDocument("", transforms, MessageDigestAlgorithm.ALGO_ID_DIGEST_SHA256);
			for (X509Certificate certificate : certificates) {
				signature.addKeyInfo(certificate);
			}
			signature.sign(key);
			return write(document);
		} catch (Exception e) {
			throw new IllegalStateException("Cannot sign the envelope: " + e.getMessage(), e);
		}
	}

	/** CHUKYDONVI under the root, emptied (a new one at the end when there is none). */
	private static Element place(Document document) {
		Element root = document.getDocumentElement();
		for (Node node = root.getFirstChild(); node != null; node = node.getNextSibling()) {
			if (node instanceof Element element && "CHUKYDONVI".equals(element.getLocalName())) {
				while (element.hasChildNodes()) {
					element.removeChild(element.getFirstChild());
				}
				return element;
			}
		}
		return (Element) root.appendChild(document.createElementNS(root.getNamespaceURI(), "CHUKYDONVI"));
	}

	public static String write(Document document) throws Exception {
		var transformer = TransformerFactory.newDefaultInstance().newTransformer();
		transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
		StringWriter out = new StringWriter();
		transformer.transform(new DOMSource(document), new StreamResult(out));
		return out.toString();
	}
}
