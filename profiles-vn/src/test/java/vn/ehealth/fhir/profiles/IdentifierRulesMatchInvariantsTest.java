package vn.ehealth.fhir.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vn.ehealth.fhir.profiles.GuideFiles.GuideFile;
import vn.ehealth.fhir.profiles.identifier.CitizenId;
import vn.ehealth.fhir.profiles.identifier.FacilityCode;
import vn.ehealth.fhir.profiles.identifier.HealthInsuranceNumber;
import vn.ehealth.fhir.profiles.identifier.IdentifierSystems;
import vn.ehealth.fhir.profiles.identifier.Violation;

/**
 * The Java identifier rules and the profiles' invariants state the same rules: run on the identifiers
 * of every example and counter-example, the Java rules name the same invariant keys the profiles do.
 */
class IdentifierRulesMatchInvariantsTest {

	/** Keys the Java rules cover; the other invariants (vn-pat-1, vn-org-3, …) are about more than an identifier. */
	private static final Set<String> JAVA_KEYS = Set.of(
			"vn-cccd-1", "vn-cccd-2", "vn-cccd-3", "vn-cccd-4", "vn-bhyt-1", "vn-bhyt-2", "vn-bhyt-3", "vn-org-1", "vn-org-2");

	@ParameterizedTest(name = "{0}")
	@MethodSource("vn.ehealth.fhir.profiles.GuideFiles#examples")
	void javaRulesAcceptEveryExample(GuideFile example) {
		assertThat(javaViolations(example.resource())).isEmpty();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("vn.ehealth.fhir.profiles.GuideFiles#counterExamples")
	void javaRulesNameTheSameInvariantAsTheCounterExample(GuideFile counterExample) {
		String key = counterExample.brokenInvariantKey();
		Set<String> expected = JAVA_KEYS.contains(key) ? Set.of(key) : Set.of();
		assertThat(javaViolations(counterExample.resource())).isEqualTo(expected);
	}

	private static Set<String> javaViolations(Resource resource) {
		List<Violation> violations = new ArrayList<>();
		List<Resource> resources = new ArrayList<>(List.of(resource));
		if (resource instanceof Bundle bundle) {
			bundle.getEntry().forEach(e -> resources.add(e.getResource()));
		}
		for (Resource r : resources) {
			if (r instanceof Patient p) {
				Integer year = p.hasBirthDate() ? p.getBirthDateElement().getYear() : null;
				for (Identifier id : p.getIdentifier()) {
					if (IdentifierSystems.isCccd(id.getSystem())) {
						violations.addAll(CitizenId.check(id.getValue(), p.getGender(), year));
					} else if (IdentifierSystems.isBhyt(id.getSystem())) {
						violations.addAll(HealthInsuranceNumber.check(id.getValue()));
					}
				}
			} else if (r instanceof Practitioner p) {
				Integer year = p.hasBirthDate() ? p.getBirthDateElement().getYear() : null;
				for (Identifier id : p.getIdentifier()) {
					if (IdentifierSystems.isCccd(id.getSystem())) {
						violations.addAll(CitizenId.check(id.getValue(), p.getGender(), year));
					}
				}
			} else if (r instanceof Organization o) {
				for (Identifier id : o.getIdentifier()) {
					if (IdentifierSystems.FACILITY_CODE.equals(id.getSystem())) {
						violations.addAll(FacilityCode.check(id.getValue()));
					}
				}
			}
		}
		Set<String> keys = new TreeSet<>();
		violations.forEach(v -> keys.add(v.invariantKey()));
		return keys;
	}

}
