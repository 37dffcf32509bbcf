package vn.ehealth.fhir.igpackage;

import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.Type;

/**
 * What a generated snapshot must not carry into the published package, so that the official HL7
 * validator accepts the guide's own profiles.
 */
final class PublishedSnapshot {

	/** The generator's note of the base's FHIR version, defined in hl7.fhir.uv.tools (not a dependency). */
	static final String SNAPSHOT_BASE_VERSION = "http://hl7.org/fhir/tools/StructureDefinition/snapshot-base-version";

	private PublishedSnapshot() {}

	static void tidy(StructureDefinition profile) {
		// the package states its FHIR version (fhirVersion, package.json); the note needs a package we do not use
		profile.getSnapshot().getExtension().removeIf(e -> SNAPSHOT_BASE_VERSION.equals(e.getUrl()));
		profile.getSnapshot().getElement().forEach(PublishedSnapshot::dropContradictedExamples);
	}

	/**
	 * An example a slice inherits from its datatype (Identifier.system's "http://www.acme.com/identifiers/patient")
	 * contradicts the slice's fixed or pattern value; the validator rejects such example URLs in a guide.
	 */
	private static void dropContradictedExamples(ElementDefinition element) {
		Type required = element.hasFixed() ? element.getFixed() : element.getPattern();
		if (required instanceof PrimitiveType<?> value) {
			element.getExample().removeIf(example -> example.getValue() instanceof PrimitiveType<?> given
					&& !value.getValueAsString().equals(given.getValueAsString()));
		}
	}
}
