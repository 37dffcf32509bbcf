package vn.ehealth.fhir.server.bulk;

import ca.uhn.fhir.parser.IParser;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Meta;

/**
 * The _elements of an export: the top-level elements to keep (mandatory ones, id and meta always
 * stay), applied by HAPI's parser. Resources cut down this way are tagged SUBSETTED, as FHIR asks.
 */
final class Elements {

	private static final String SUBSETTED_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";
	private static final String SUBSETTED = "SUBSETTED";
	/** HAPI's parser writes its tag with the display "Resource encoded in summary mode", which is not what
	 * _elements does; the tag is written as the code alone (system and code are what FHIR and the Bulk Data
	 * tester read). */
	private static final String TAG_WITH_HAPI_DISPLAY = "{\"system\":\"" + SUBSETTED_SYSTEM + "\",\"code\":\"" + SUBSETTED
			+ "\",\"display\":\"Resource encoded in summary mode\"}";
	private static final String TAG = "{\"system\":\"" + SUBSETTED_SYSTEM + "\",\"code\":\"" + SUBSETTED + "\"}";

	private final Set<String> encode = new HashSet<>();

	/** @param names as the client gave them: "name" (any type) or "Patient.name" */
	Elements(List<String> names) {
		for (String name : names) {
			encode.add(name.contains(".") ? name : "*." + name);
		}
		encode.add("*.id");
		encode.add("*.meta");
	}

	/**
	 * HAPI's parser adds the SUBSETTED tag itself when it encodes with encode-elements set
	 * (BaseParser.shouldAddSubsettedTag); a stored SUBSETTED tag is dropped so the line carries exactly
	 * one (FHIR R4 search, _elements: a resource returned subsetted is marked SUBSETTED; Bulk Data
	 * tester checks there is one such tag).
	 */
	void apply(IParser parser, Meta meta) {
		parser.setEncodeElements(encode);
		parser.setEncodeElementsAppliesToChildResourcesOnly(false);
		meta.getTag().removeIf(tag -> SUBSETTED_SYSTEM.equals(tag.getSystem()) && SUBSETTED.equals(tag.getCode()));
	}

	/** The line as encoded by a parser {@link #apply}-ed, with the SUBSETTED tag as system and code only. */
	static String withPlainSubsettedTag(String encoded) {
		return encoded.replace(TAG_WITH_HAPI_DISPLAY, TAG);
	}
}
