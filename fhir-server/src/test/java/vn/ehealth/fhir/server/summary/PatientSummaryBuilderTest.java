package vn.ehealth.fhir.server.summary;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How $summary chooses its sections (IPS Composition, vn-patient-summary rule vn-ps-2) from the
 * records read: which section each record goes to, which it is left out of, and what a required
 * section with nothing in it says.
 */
class PatientSummaryBuilderTest {

	private static final FhirContext R4 = FhirContext.forR4Cached();
	private static final String PATIENT = "Patient/cccd-079185001234";
	private static final String LOINC = "http://loinc.org";
	private static final String SNOMED = "http://snomed.info/sct";
	private static final String ICD10 = "http://hl7.org/fhir/sid/icd-10";

	/** No store: every record the tests give refers to the patient alone, so nothing more is read. */
	private final PatientSummaryBuilder builder = new PatientSummaryBuilder(R4, null, null, 100);

	@Test
	void theThreeRequiredSectionsAreAlwaysThereSayingNoKnownWhenEmpty() {
		Composition composition = composition(summary(List.of(), Set.of(), "vi"));
		assertThat(composition.getSection()).extracting(s -> s.getCode().getCodingFirstRep().getCode())
				.containsExactly("11450-4", "48765-2", "10160-0");
		assertThat(entryCodes(summary(List.of(), Set.of(), "vi"))).contains("160245001", "716186003", "787481004");
	}

	@Test
	void otherSectionsAppearOnlyWithDataAndInIpsOrder() {
		Immunization vaccine = new Immunization();
		vaccine.setId("Immunization/bcg");
		vaccine.setPatient(patientRef());
		vaccine.setStatus(Immunization.ImmunizationStatus.COMPLETED);
		vaccine.setVaccineCode(concept("http://hl7.org/fhir/sid/cvx", "19", "BCG"));
		Observation pulse = observation("pulse", "vital-signs", "8867-4");
		Bundle summary = summary(List.of(pulse, vaccine), Set.of(), "vi");
		assertThat(composition(summary).getSection()).extracting(Composition.SectionComponent::getTitle)
				.containsExactly("Danh sách vấn đề sức khỏe", "Dị ứng và phản ứng bất lợi", "Thuốc đang dùng", "Tiêm chủng",
						"Dấu hiệu sinh tồn");
	}

	/** IPS: resolved, inactive and remitted problems are history of past illness, the rest current problems. */
	@ParameterizedTest
	@CsvSource({"active, 11450-4", "recurrence, 11450-4", "resolved, 11348-0", "inactive, 11348-0", "remission, 11348-0"})
	void aConditionGoesToProblemsOrPastIllnessByItsClinicalStatus(String clinicalStatus, String section) {
		Condition condition = condition("I10", clinicalStatus, null);
		assertThat(sectionOf(summary(List.of(condition), Set.of(), "vi"), "Condition/I10")).isEqualTo(section);
	}

	@Test
	void aConditionWithoutClinicalStatusIsACurrentProblem() {
		Condition condition = condition("E11", null, null);
		assertThat(sectionOf(summary(List.of(condition), Set.of(), "vi"), "Condition/E11")).isEqualTo("11450-4");
	}

	@ParameterizedTest
	@CsvSource({"refuted", "entered-in-error"})
	void refutedOrMistakenRecordsAreLeftOut(String verification) {
		Condition condition = condition("I10", "active", verification);
		AllergyIntolerance allergy = new AllergyIntolerance();
		allergy.setId("AllergyIntolerance/penicillin");
		allergy.setPatient(patientRef());
		allergy.setCode(concept(SNOMED, "91936005", "Allergy to penicillin"));
		allergy.setVerificationStatus(concept("http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", verification, null));
		Bundle summary = summary(List.of(condition, allergy), Set.of(), "vi");
		assertThat(entryCodes(summary)).doesNotContain("I10", "91936005").contains("160245001", "716186003");
	}

	@Test
	void aRecordWhoseStatusIsEnteredInErrorIsLeftOut() {
		Observation mistaken = observation("wrong-patient", "laboratory", "2345-7");
		mistaken.setStatus(Observation.ObservationStatus.ENTEREDINERROR);
		assertThat(composition(summary(List.of(mistaken), Set.of(), "vi")).getSection()).hasSize(3);
	}

	/** Vital signs and laboratory results have their sections; an observation of another category has none. */
	@Test
	void observationsGoToASectionByCategory() {
		Bundle summary = summary(List.of(observation("pulse", "vital-signs", "8867-4"), observation("glucose", "laboratory", "2345-7"),
				observation("smoking", "social-history", "72166-2")), Set.of(), "vi");
		assertThat(sectionOf(summary, "Observation/pulse")).isEqualTo("8716-3");
		assertThat(sectionOf(summary, "Observation/glucose")).isEqualTo("30954-2");
		assertThat(sectionOf(summary, "Observation/smoking")).isNull();
	}

	/** A type the caller's scopes hide is not "no known allergies": the section says it is withheld. */
	@Test
	void aSectionTheCallerMayNotSeeIsMarkedWithheld() {
		Composition composition = composition(summary(List.of(), EnumSet.of(SummarySection.ALLERGIES), "vi"));
		Composition.SectionComponent allergies = composition.getSection().get(1);
		assertThat(allergies.getEmptyReason().getCodingFirstRep().getCode()).isEqualTo("withheld");
		assertThat(allergies.hasEntry()).isFalse();
		assertThat(composition.getSection().get(0).hasEntry()).isTrue(); // still "no current problems"
	}

	/** The same problem recorded twice is listed once, as most recently recorded. */
	@Test
	void aRepeatedCodeIsListedOnceAsItsMostRecentRecord() {
		Condition older = condition("I10", "active", null);
		older.setId("Condition/htn-2019");
		older.setRecordedDateElement(new DateTimeType("2019-05-01T09:00:00+07:00"));
		Condition newer = condition("I10", "active", null);
		newer.setId("Condition/htn-2025");
		newer.setRecordedDateElement(new DateTimeType("2025-02-10T09:00:00+07:00"));
		Condition diabetes = condition("E11", "active", null);
		diabetes.setRecordedDateElement(new DateTimeType("2021-01-01T09:00:00+07:00"));
		Bundle summary = summary(List.of(older, diabetes, newer), Set.of(), "vi");
		Composition.SectionComponent problems = composition(summary).getSection().get(0);
		assertThat(problems.getEntry()).hasSize(2);
		assertThat(sectionOf(summary, "Condition/htn-2025")).isEqualTo("11450-4");
		assertThat(sectionOf(summary, "Condition/htn-2019")).isNull();
		assertThat(problems.getText().getDivAsString()).containsSubsequence("I10", "10/02/2025", "E11");
	}

	@Test
	void theNarrativeIsVietnameseUnlessEnglishIsPreferred() {
		assertThat(composition(summary(List.of(), Set.of(), "en-GB,vi;q=0.5")).getSection())
				.extracting(Composition.SectionComponent::getTitle)
				.containsExactly("Problem list", "Allergies and intolerances", "Medication summary");
		assertThat(summary(List.of(), Set.of(), null).getLanguage()).isEqualTo("vi");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {"en | true", "en-US,vi;q=0.8 | true", "vi,en;q=0.9 | false", "'' | false", "NULL | false"},
			nullValues = "NULL")
	void prefersEnglishOnlyWhenItIsTheFirstLanguageAsked(String acceptLanguage, boolean english) {
		assertThat(PatientSummaryBuilder.prefersEnglish(acceptLanguage)).isEqualTo(english);
	}

	@Test
	void theRequiredSectionsAreTheFirstThreeOfIps() {
		assertThat(Arrays.stream(SummarySection.values()).filter(s -> s.required))
				.containsExactly(SummarySection.PROBLEMS, SummarySection.ALLERGIES, SummarySection.MEDICATIONS);
	}

	private Bundle summary(List<Resource> records, Set<SummarySection> withheld, String acceptLanguage) {
		SystemRequestDetails request = new SystemRequestDetails();
		request.setFhirServerBase("https://fhir.example.vn/fhir");
		if (acceptLanguage != null) {
			request.addHeader("Accept-Language", acceptLanguage);
		}
		Patient patient = new Patient();
		patient.setId(PATIENT);
		patient.addName().setFamily("Nguyễn").addGiven("Văn An");
		return builder.build(patient, records, withheld, request);
	}

	private static Composition composition(Bundle summary) {
		return (Composition) summary.getEntryFirstRep().getResource();
	}

	/** The LOINC code of the section listing the resource with this id, or null when none lists it. */
	private static String sectionOf(Bundle summary, String id) {
		String fullUrl = summary.getEntry().stream()
				.filter(e -> e.getResource().getIdElement().toUnqualifiedVersionless().getValue().equals(id))
				.map(Bundle.BundleEntryComponent::getFullUrl).findFirst().orElse(null);
		if (fullUrl == null) {
			return null;
		}
		return composition(summary).getSection().stream()
				.filter(s -> s.getEntry().stream().anyMatch(r -> fullUrl.equals(r.getReference())))
				.map(s -> s.getCode().getCodingFirstRep().getCode()).findFirst().orElse(null);
	}

	/** The first code of every resource entry but the composition and the patient. */
	private static List<String> entryCodes(Bundle summary) {
		return summary.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
				.map(r -> r instanceof Condition c ? c.getCode()
						: r instanceof AllergyIntolerance a ? a.getCode()
						: r instanceof MedicationStatement m ? m.getMedicationCodeableConcept()
						: null)
				.filter(c -> c != null)
				.map(c -> c.getCodingFirstRep().getCode()).toList();
	}

	private static Condition condition(String icd10, String clinicalStatus, String verification) {
		Condition condition = new Condition();
		condition.setId("Condition/" + icd10);
		condition.setSubject(patientRef());
		condition.setCode(concept(ICD10, icd10, null));
		if (clinicalStatus != null) {
			condition.setClinicalStatus(concept("http://terminology.hl7.org/CodeSystem/condition-clinical", clinicalStatus, null));
		}
		if (verification != null) {
			condition.setVerificationStatus(concept("http://terminology.hl7.org/CodeSystem/condition-ver-status", verification, null));
		}
		return condition;
	}

	private static Observation observation(String id, String category, String loinc) {
		Observation observation = new Observation();
		observation.setId("Observation/" + id);
		observation.setStatus(Observation.ObservationStatus.FINAL);
		observation.setSubject(patientRef());
		observation.addCategory(concept("http://terminology.hl7.org/CodeSystem/observation-category", category, null));
		observation.setCode(concept(LOINC, loinc, null));
		return observation;
	}

	private static org.hl7.fhir.r4.model.Reference patientRef() {
		return new org.hl7.fhir.r4.model.Reference(PATIENT);
	}

	private static CodeableConcept concept(String system, String code, String display) {
		return new CodeableConcept(new Coding(system, code, display));
	}
}
