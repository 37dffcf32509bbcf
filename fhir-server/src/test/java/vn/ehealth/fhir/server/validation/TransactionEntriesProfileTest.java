package vn.ehealth.fhir.server.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.Test;

class TransactionEntriesProfileTest {

	@Test
	void typesEachEntryWithItsGuideProfileThenAnyResource() {
		Map<String, String> profileByType = new LinkedHashMap<>();
		profileByType.put("Patient", "https://vietfhir.org/fhir/StructureDefinition/vn-patient");
		profileByType.put("Observation", "https://vietfhir.org/fhir/StructureDefinition/vn-observation");

		StructureDefinition profile = TransactionEntriesProfile.of(FhirContext.forR4Cached(), profileByType);

		assertThat(profile.getUrl()).isEqualTo(TransactionEntriesProfile.URL);
		assertThat(profile.getType()).isEqualTo("Bundle");
		assertThat(profile.getDerivation()).isEqualTo(StructureDefinition.TypeDerivationRule.CONSTRAINT);
		ElementDefinition resource = profile.getSnapshot().getElement().stream()
				.filter(e -> e.getPath().equals("Bundle.entry.resource")).findFirst().orElseThrow();
		assertThat(resource.getType()).extracting(ElementDefinition.TypeRefComponent::getCode)
				.containsExactly("Patient", "Observation", "Resource");
		assertThat(resource.getType().get(0).getProfile().get(0).getValue()).isEqualTo(profileByType.get("Patient"));
		assertThat(resource.getType().get(2).hasProfile()).isFalse();
		// every other element is the base Bundle's, unchanged
		assertThat(profile.getSnapshot().getElement()).hasSameSizeAs(
				((StructureDefinition) FhirContext.forR4Cached().getValidationSupport()
						.fetchStructureDefinition("http://hl7.org/fhir/StructureDefinition/Bundle")).getSnapshot().getElement());
	}
}
