package vn.ehealth.fhir.server.summary;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which stored references put a resource in a patient's record: $everything's and the summary's. */
class PatientCompartmentTest {

	private static final PatientCompartment COMPARTMENT = new PatientCompartment(FhirContext.forR4Cached());

	/** Patient, Group and List list other people too: they are no part of one patient's record. */
	@Test
	void leavesOutTypesThatListOtherPatients() {
		assertThat(COMPARTMENT.types()).contains("Condition", "Observation", "Encounter", "AllergyIntolerance")
				.doesNotContain("Patient", "Group", "List", "Organization");
	}

	/** $everything follows the CompartmentDefinition: a condition the patient asserted belongs to their record. */
	@Test
	void everythingFollowsEveryCompartmentParameter() {
		assertThat(COMPARTMENT.memberPaths(List.of("Condition")))
				.containsExactlyInAnyOrder("Condition.subject.where(resolve() is Patient)", "Condition.asserter");
	}

	/** The summary lists only what is about the patient, not what they said about someone else. */
	@Test
	void theSummaryFollowsOnlyWhoseRecordItIs() {
		assertThat(COMPARTMENT.subjectPaths(List.of("Condition")))
				.contains("Condition.subject.where(resolve() is Patient)")
				.doesNotContain("Condition.asserter");
		assertThat(COMPARTMENT.subjectPaths(List.of("AllergyIntolerance"))).containsExactly("AllergyIntolerance.patient");
	}

	@Test
	void aTypeOutsideTheCompartmentHasNoPaths() {
		assertThat(COMPARTMENT.memberPaths(List.of("Organization"))).isEmpty();
		assertThat(COMPARTMENT.subjectPaths(List.of("Organization", "Unicorn"))).isEmpty();
	}
}
