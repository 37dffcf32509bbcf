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
public final class Elements {

	private final Set<String> encode = new HashSet<>();

	/** @param names as the client gave them: "name" (any type) or "Patient.name" */
	public Elements(List<String> names) {
		for (String name : names) {
			encode.add(name.contains(".") ? name : "*." + name);
		}
		encode.add("*.id");
		encode.add("*.meta");
	}

	void apply(IParser parser, Meta meta) {
		parser.setEncodeElements(encode);
		parser.setEncodeElementsAppliesToChildResourcesOnly(false);
		meta.addTag("http://terminology.hl7.org/CodeSystem/v3-ObservationValue", "SUBSETTED", "subsetted");
	}
}
