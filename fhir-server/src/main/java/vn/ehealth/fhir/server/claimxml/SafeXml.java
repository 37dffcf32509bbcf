package vn.ehealth.fhir.server.claimxml;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The one way claim XML is parsed: the JDK parser with every door to the outside shut (OWASP XXE
 * cheat sheet). A DOCTYPE is refused outright, which rules out external entities (XXE), entity
 * expansion ("billion laughs") and DTD fetches; XInclude is off, no external DTD or schema is ever
 * loaded, so parsing never reaches the network or the disk; the nesting depth is capped. The claim
 * tables of QĐ 4750 need none of these features.
 */
final class SafeXml {

	private final DocumentBuilderFactory factory;

	SafeXml(int maxDepth) {
		try {
			factory = DocumentBuilderFactory.newDefaultInstance();
			factory.setNamespaceAware(true);
			factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
			factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
			factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
			factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
			factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
			factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
			factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
			// the JDK's own limit (jdk.xml.maxElementDepth), checked while parsing, before any tree is built
			factory.setAttribute("http://www.oracle.com/xml/jaxp/properties/maxElementDepth", maxDepth);
			factory.setXIncludeAware(false);
			factory.setExpandEntityReferences(false);
		} catch (ParserConfigurationException e) {
			throw new IllegalStateException("The XML parser cannot be hardened", e);
		}
	}

	/** Parses {@code bytes}; what the parser refuses is the caller's 400, with the parser's reason. */
	Document parse(byte[] bytes, String where) {
		try {
			DocumentBuilder builder = factory.newDocumentBuilder();
			builder.setEntityResolver((publicId, systemId) -> {
				throw new SAXException("external entity " + systemId + " refused");
			});
			builder.setErrorHandler(new Strict());
			return builder.parse(new InputSource(new ByteArrayInputStream(bytes)));
		} catch (SAXException e) {
			throw ClaimXmlRefusals.badXml(where, e.getMessage());
		} catch (IOException | ParserConfigurationException e) {
			throw ClaimXmlRefusals.badXml(where, e.getMessage());
		}
	}

	/** Warnings and errors both stop the parse: a claim is not repaired by guessing. */
	private static final class Strict implements ErrorHandler {
		@Override
		public void warning(SAXParseException e) throws SAXException {
			throw e;
		}

		@Override
		public void error(SAXParseException e) throws SAXException {
			throw e;
		}

		@Override
		public void fatalError(SAXParseException e) throws SAXException {
			throw e;
		}
	}
}
