package vn.ehealth.fhir.tests.synth;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.util.FhirTerser;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.profiles.identifier.FacilityCode;
import vn.ehealth.fhir.synth.SyntheticData;
import vn.ehealth.fhir.terminology.VnCodeSystem;
import vn.ehealth.fhir.terminology.VnTerminology;
import vn.ehealth.fhir.tests.support.TestServer;

/** Years of care for 300 patients: sizes, codes, schedules, deaths, and references that resolve (issue 8). */
class SyntheticCareHistoryTest {

	private static final int PATIENTS = 300;
	private static final List<List<Resource>> records = new ArrayList<>();
	private static final Set<String> directoryIds = new HashSet<>();
	private static SyntheticData data;

	@BeforeAll
	static void generate() {
		data = new SyntheticData(42, PATIENTS);
		for (Resource resource : data.directory()) {
			directoryIds.add(resource.fhirType() + "/" + resource.getIdElement().getIdPart());
		}
		for (int n = 0; n < PATIENTS; n++) {
			records.add(data.patient(n));
		}
	}

	@Test
	void aMedianPatientHasAFewHundredResourcesWithALongTail() {
		List<Integer> sizes = new ArrayList<>(records.stream().map(List::size).toList());
		Collections.sort(sizes);
		int median = sizes.get(sizes.size() / 2);
		assertThat(median).isBetween(180, 420);
		assertThat(sizes.get(sizes.size() - 1)).isGreaterThan(3 * median);
	}

	@Test
	void everyKindOfCareIsThere() {
		Map<String, Integer> byType = new TreeMap<>();
		Set<String> encounterClasses = new HashSet<>();
		records.forEach(record -> record.forEach(r -> {
			byType.merge(r.fhirType(), 1, Integer::sum);
			if (r instanceof Encounter encounter) {
				encounterClasses.add(encounter.getClass_().getCode());
			}
		}));
		assertThat(byType.keySet()).contains("Patient", "Encounter", "Condition", "Observation", "DiagnosticReport",
				"MedicationRequest", "Immunization", "AllergyIntolerance", "Procedure");
		assertThat(encounterClasses).containsExactlyInAnyOrder("AMB", "IMP", "EMER");
	}

	@Test
	void resourcesReferenceOnlyTheDirectoryOrWhatCameBeforeThemInTheirBundle() {
		FhirTerser terser = TestServer.fhirContext().newTerser();
		for (List<Resource> record : records) {
			Set<String> stored = new HashSet<>();
			for (Resource resource : record) {
				for (Reference reference : terser.getAllPopulatedChildElementsOfType(resource, Reference.class)) {
					if (reference.hasReference()) {
						String target = reference.getReference();
						assertThat(stored.contains(target) || directoryIds.contains(target))
								.as(resource.getIdElement().getIdPart() + " → " + target).isTrue();
					}
				}
				stored.add(resource.fhirType() + "/" + resource.getIdElement().getIdPart());
			}
		}
	}

	@Test
	void diagnosesAreIcd10OfTheGuideAndMeasurementsAreLoincWithUcumUnits() {
		Set<String> icd10 = VnTerminology.codes(VnCodeSystem.ICD10);
		Set<String> conditions = new HashSet<>();
		for (List<Resource> record : records) {
			for (Resource resource : record) {
				if (resource instanceof Condition condition) {
					assertThat(condition.getCode().getCodingFirstRep().getSystem()).isEqualTo(VnCodeSystem.ICD10.url());
					assertThat(icd10).contains(condition.getCode().getCodingFirstRep().getCode());
					conditions.add(condition.getCode().getCodingFirstRep().getCode());
				}
				if (resource instanceof Observation observation) {
					assertThat(observation.getCode().getCodingFirstRep().getSystem()).isEqualTo("http://loinc.org");
					if (observation.hasValueQuantity()) {
						assertThat(observation.getValueQuantity().getSystem()).isEqualTo("http://unitsofmeasure.org");
						assertThat(observation.getValueQuantity().getCode()).isNotBlank();
					}
					observation.getComponent().forEach(component ->
							assertThat(component.getValueQuantity().getSystem()).isEqualTo("http://unitsofmeasure.org"));
				}
			}
		}
		// the diseases the issue names: hypertension, type 2 diabetes, COPD, hepatitis B, dengue
		assertThat(conditions).contains("I10", "E11.9", "J44.9", "B18.1", "A90");
	}

	@Test
	void ePrescriptionsNameThePrescriberAndCarryANationalPrescriptionCode() {
		int count = 0;
		for (List<Resource> record : records) {
			for (Resource resource : record) {
				if (resource instanceof MedicationRequest request) {
					count++;
					assertThat(request.getRequester().getReference()).startsWith("PractitionerRole/");
					assertThat(request.hasAuthoredOn()).isTrue();
					String code = request.getGroupIdentifier().getValue();
					assertThat(code).matches("^[0-9]{5}[a-z0-9]{7}-c$");
					assertThat(FacilityCode.check(code.substring(0, 5))).isEmpty();
				}
			}
		}
		assertThat(count).isGreaterThan(PATIENTS * 20);
	}

	@Test
	void childrenBornDuringTheRecordsFollowTheExpandedProgrammeOnImmunization() {
		int children = 0;
		int complete = 0;
		for (List<Resource> record : records) {
			Patient patient = (Patient) record.get(0);
			LocalDate birth = LocalDate.parse(patient.getBirthDateElement().getValueAsString());
			if (birth.isBefore(SyntheticData.DEFAULT_CARE_START) || birth.plusYears(2).isAfter(data.asOf()) || patient.hasDeceased()) {
				continue;
			}
			children++;
			Map<String, Integer> doses = new TreeMap<>();
			record.stream().filter(r -> r instanceof Immunization).map(r -> (Immunization) r)
					.forEach(i -> doses.merge(i.getVaccineCode().getCodingFirstRep().getCode(), 1, Integer::sum));
			// BCG, hepatitis B at birth, three doses of DPT-VGB-Hib, measles
			if (doses.getOrDefault("19", 0) == 1 && doses.getOrDefault("08", 0) == 1
					&& doses.getOrDefault("102", 0) == 3 && doses.getOrDefault("05", 0) == 1) {
				complete++;
			}
		}
		assertThat(children).isGreaterThan(10);
		assertThat(complete).isGreaterThan(children / 2);
	}

	@Test
	void somePatientsDieAndTheirCauseIsRecordedWithNothingAfterIt() {
		int deaths = 0;
		for (List<Resource> record : records) {
			Patient patient = (Patient) record.get(0);
			if (!patient.hasDeceasedDateTimeType()) {
				continue;
			}
			deaths++;
			java.util.Date died = patient.getDeceasedDateTimeType().getValue();
			List<Observation> causes = record.stream().filter(r -> r instanceof Observation).map(r -> (Observation) r)
					.filter(o -> o.getCode().getCodingFirstRep().getCode().equals("69453-9")).toList();
			assertThat(causes).hasSize(1);
			assertThat(causes.get(0).getValueCodeableConcept().getCodingFirstRep().getSystem()).isEqualTo(VnCodeSystem.ICD10.url());
			for (Resource resource : record) {
				if (resource instanceof Encounter encounter) {
					assertThat(encounter.getPeriod().getStart()).isBeforeOrEqualTo(died);
				}
			}
		}
		assertThat(deaths).isGreaterThan(3);
	}
}
