package vn.ehealth.fhir.server.validation;

import java.util.Map;
import java.util.Set;
import org.hl7.fhir.utilities.xhtml.NodeType;
import org.hl7.fhir.utilities.xhtml.XhtmlNode;

/**
 * Proves a narrative's XHTML acceptable without the HL7 validator, for the plain narratives systems
 * generate (text, paragraphs, lists, tables, emphasis): a {@code div} in the XHTML namespace whose
 * elements and attributes are all in a small set that the FHIR narrative rules allow (R4 Narrative,
 * txt-1: basic HTML formatting, no active content; txt-2: some non-whitespace content). Anything
 * else — links, images, ids, styles, comments, other namespaces — is left to the HL7 validator,
 * which checks the full rules (URLs, references to ids, the complete element and attribute lists).
 */
final class NarrativeXhtml {

	static final String XHTML = "http://www.w3.org/1999/xhtml";
	/** Formatting elements of FHIR's narrative subset (R4 §2.4 Narrative: HTML 4.0 chapters 7–11, 15). */
	private static final Set<String> ELEMENTS = Set.of(
			"div", "p", "br", "span", "b", "i", "em", "strong", "small", "sub", "sup", "pre", "code", "hr",
			"blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
			"table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td");
	/** Attributes those elements may carry here (the narrative rules allow more; those go to the HL7 validator). */
	private static final Set<String> ATTRIBUTES = Set.of("class", "title", "lang", "colspan", "rowspan");

	private NarrativeXhtml() {}

	/** Null when the div is proven acceptable; otherwise what is left to the HL7 validator. */
	static String unproven(XhtmlNode div) {
		if (div == null || div.getNodeType() != NodeType.Element || !"div".equals(div.getName())) {
			return "narrative without a div";
		}
		if (!XHTML.equals(div.getNsDecl()) && !XHTML.equals(div.getAttribute("xmlns"))) {
			return "narrative div outside the XHTML namespace";
		}
		for (Map.Entry<String, String> attribute : div.getAttributes().entrySet()) {
			if (!attribute.getKey().equals("xmlns") && !ATTRIBUTES.contains(attribute.getKey())) {
				return "narrative attribute " + attribute.getKey();
			}
		}
		String why = inner(div, 0);
		if (why != null) {
			return why;
		}
		String text = div.allText();
		return text == null || text.isBlank() ? "narrative without text (txt-2)" : null;
	}

	private static String inner(XhtmlNode node, int depth) {
		if (depth > 50) {
			return "narrative nested too deep";
		}
		for (XhtmlNode child : node.getChildNodes()) {
			if (child.getNodeType() == NodeType.Text) {
				continue;
			}
			if (child.getNodeType() != NodeType.Element) {
				return "narrative " + child.getNodeType();
			}
			if (!ELEMENTS.contains(child.getName())) {
				return "narrative element " + child.getName();
			}
			for (String attribute : child.getAttributes().keySet()) {
				if (!ATTRIBUTES.contains(attribute)) {
					return "narrative attribute " + attribute + " on " + child.getName();
				}
			}
			String why = inner(child, depth + 1);
			if (why != null) {
				return why;
			}
		}
		return null;
	}
}
