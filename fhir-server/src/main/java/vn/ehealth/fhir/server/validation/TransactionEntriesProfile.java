package vn.ehealth.fhir.server.validation;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.StructureDefinition;

/**
 * The profile a transaction's chunk is validated against (built in memory, never published): the base
 * Bundle, with {@code Bundle.entry.resource} typed as each profiled type with its guide profile, then
 * any other resource. Validating an entry of a Bundle, the HL7 validator walks the resource against the
 * profile {@code Bundle.entry.resource} gives it, then again against each profile in its meta.profile:
 * with the base Bundle that was the base type and then the guide's profile, two walks of every entry.
 * The guide profile's snapshot holds every element, cardinality, binding and invariant of the base type
 * it constrains, so one walk against it checks all of them; a single resource written on its own was
 * already validated that way (the profile given to the validator, no base walk).
 */
final class TransactionEntriesProfile {

	static final String URL = "https://vietfhir.org/fhir/StructureDefinition/vietfhir-transaction-entries";
	private static final String BUNDLE = "http://hl7.org/fhir/StructureDefinition/Bundle";

	private TransactionEntriesProfile() {}

	static StructureDefinition of(FhirContext fhirContext, Map<String, String> profileByType) {
		StructureDefinition bundle = (StructureDefinition) fhirContext.getValidationSupport().fetchStructureDefinition(BUNDLE);
		StructureDefinition profile = bundle.copy();
		profile.setId("vietfhir-transaction-entries");
		profile.setUrl(URL);
		profile.setVersion(null);
		profile.setName("VietFhirTransactionEntries");
		profile.setTitle(null);
		profile.setText(null);
		profile.setStatus(Enumerations.PublicationStatus.ACTIVE);
		profile.setDerivation(StructureDefinition.TypeDerivationRule.CONSTRAINT);
		profile.setBaseDefinition(BUNDLE);
		profile.getDifferential().getElement().clear();
		for (ElementDefinition element : profile.getSnapshot().getElement()) {
			if (element.getPath().equals("Bundle.entry.resource")) {
				element.setType(entryTypes(profileByType));
				profile.getDifferential().addElement(element.copy());
			}
		}
		return profile;
	}

	/** One type per guide profile (the validator takes an entry's profile from its type), then any resource. */
	private static List<ElementDefinition.TypeRefComponent> entryTypes(Map<String, String> profileByType) {
		List<ElementDefinition.TypeRefComponent> types = new ArrayList<>();
		profileByType.forEach((type, url) -> types.add(new ElementDefinition.TypeRefComponent().setCode(type).addProfile(url)));
		types.add(new ElementDefinition.TypeRefComponent().setCode("Resource"));
		return types;
	}
}
