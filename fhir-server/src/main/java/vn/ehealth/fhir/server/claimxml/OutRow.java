package vn.ehealth.fhir.server.claimxml;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Type;

/**
 * One row of a table as {@code $claim-xml} writes it back, filled from FHIR records: empty values are
 * left out (an exporter writes no empty field), and the reading helpers are the inverse of
 * {@link ClaimCodes}'s: the field kept verbatim in its {@code qd4750-*} extension, the code of a table's
 * code list, an identifier of a system.
 */
final class OutRow {

	private final Map<String, String> fields = new LinkedHashMap<>();

	OutRow put(String field, String value) {
		if (value != null && !value.isBlank()) {
			fields.put(field, value);
		}
		return this;
	}

	/** Sets the field unless the row has it already (a value kept verbatim wins over one derived). */
	OutRow putIfAbsent(String field, String value) {
		return fields.containsKey(field) ? this : put(field, value);
	}

	/** Each field kept verbatim on {@code source} by {@link ClaimCodes#keep}. */
	OutRow kept(Element source, String... names) {
		for (String name : names) {
			putIfAbsent(name, kept(source.getExtension(), name));
		}
		return this;
	}

	OutRow kept(org.hl7.fhir.r4.model.DomainResource source, String... names) {
		for (String name : names) {
			putIfAbsent(name, kept(source.getExtension(), name));
		}
		return this;
	}

	String get(String field) {
		return fields.get(field);
	}

	boolean has(String field) {
		return fields.containsKey(field);
	}

	Map<String, String> fields() {
		return fields;
	}

	// ------------------------------------------------------------------ reading FHIR back

	/** The verbatim value of field {@code name} among the extensions, or null. */
	static String kept(List<Extension> extensions, String name) {
		String url = ClaimCodes.fieldExtension(name);
		for (Extension extension : extensions) {
			if (url.equals(extension.getUrl()) && extension.getValue() != null && extension.getValue().isPrimitive()) {
				return extension.getValue().primitiveValue();
			}
		}
		return null;
	}

	/** The coded value of field {@code name} kept as an extension (KET_QUA_DTRI, XML15's classifications). */
	static String keptCode(List<Extension> extensions, String name) {
		String url = ClaimCodes.fieldExtension(name);
		for (Extension extension : extensions) {
			if (url.equals(extension.getUrl())) {
				Type value = extension.getValue();
				if (value instanceof CodeableConcept concept) {
					return concept.getCodingFirstRep().getCode();
				}
				if (value instanceof Coding coding) {
					return coding.getCode();
				}
				return value == null ? null : value.primitiveValue();
			}
		}
		return null;
	}

	/** The code of {@code concept} in the table code list {@code list} (e.g. {@code ma-thuoc}), or null. */
	static String code(CodeableConcept concept, String list) {
		return codeIn(concept, ClaimCodes.codeSystem(list));
	}

	/** The code of {@code concept} in {@code system}, or null. */
	static String codeIn(CodeableConcept concept, String system) {
		if (concept == null) {
			return null;
		}
		return concept.getCoding().stream().filter(c -> system.equals(c.getSystem())).map(Coding::getCode).findFirst().orElse(null);
	}

	/** The value of the first identifier in {@code system}, or null. */
	static String identifier(List<Identifier> identifiers, String system) {
		return identifiers.stream().filter(i -> system.equals(i.getSystem())).map(Identifier::getValue).findFirst().orElse(null);
	}

	/** Several values of one field, as the tables list them: {@code ;} between them. */
	static String joined(List<String> values) {
		List<String> present = values.stream().filter(v -> v != null && !v.isBlank()).toList();
		return present.isEmpty() ? null : String.join(";", present);
	}
}
