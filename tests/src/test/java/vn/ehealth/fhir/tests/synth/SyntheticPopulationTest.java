package vn.ehealth.fhir.tests.synth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.profiles.Canonicals;
import vn.ehealth.fhir.profiles.identifier.CitizenId;
import vn.ehealth.fhir.profiles.identifier.FacilityCode;
import vn.ehealth.fhir.profiles.identifier.HealthInsuranceNumber;
import vn.ehealth.fhir.profiles.identifier.IdentifierSystems;
import vn.ehealth.fhir.synth.Population;
import vn.ehealth.fhir.synth.SyntheticData;
import vn.ehealth.fhir.terminology.VnCodeSystem;
import vn.ehealth.fhir.terminology.VnTerminology;

/**
 * A thousand synthetic patients and the health system around them: every identifier passes the
 * guide's own rule classes, and the population looks like Vietnam's (issue 8).
 */
class SyntheticPopulationTest {

	private static final int PATIENTS = 1000;
	private static SyntheticData data;
	private static List<Patient> patients;
	private static List<Resource> directory;

	@BeforeAll
	static void generate() {
		data = new SyntheticData(42, PATIENTS);
		patients = new ArrayList<>();
		for (int n = 0; n < PATIENTS; n++) {
			patients.add(data.patientOnly(n));
		}
		directory = data.directory();
	}

	@Test
	void everyCccdAgreesWithSexBirthYearAndAProvinceAndNoTwoPeopleShareOne() {
		Set<String> seen = new HashSet<>();
		for (Patient patient : patients) {
			List<Identifier> cccds = identifiers(patient, IdentifierSystems.CCCD);
			assertThat(cccds).hasSize(1);
			String cccd = cccds.get(0).getValue();
			int birthYear = patient.getBirthDateElement().getYear();
			assertThat(CitizenId.check(cccd, patient.getGender(), birthYear)).as(cccd).isEmpty();
			assertThat(seen.add(cccd)).as("duplicate " + cccd).isTrue();
			// the serials from CCCD_SERIALS up are the tests' hand-made CCCDs (Fixtures.cccd)
			assertThat(Integer.parseInt(cccd.substring(6))).as(cccd).isLessThan(Population.CCCD_SERIALS);
		}
		for (Resource resource : directory) {
			if (resource instanceof Practitioner practitioner) {
				String cccd = identifiers(practitioner, IdentifierSystems.CCCD).get(0).getValue();
				assertThat(CitizenId.check(cccd, practitioner.getGender(), practitioner.getBirthDateElement().getYear()))
						.as(cccd).isEmpty();
				assertThat(seen.add(cccd)).as("practitioner shares a CCCD: " + cccd).isTrue();
				assertThat(Integer.parseInt(cccd.substring(6))).as(cccd).isLessThan(Population.CCCD_SERIALS);
			}
		}
	}

	@Test
	void bhytNumbersComeInAllThreeFormsAndPassTheRules() {
		Map<HealthInsuranceNumber.Form, Integer> forms = new TreeMap<>();
		Set<String> bhxhNumbers = new HashSet<>();
		int insured = 0;
		for (Patient patient : patients) {
			List<Identifier> bhyt = identifiers(patient, IdentifierSystems.BHYT);
			insured += bhyt.isEmpty() ? 0 : 1;
			Set<String> ownBhxh = new HashSet<>();
			for (Identifier number : bhyt) {
				assertThat(HealthInsuranceNumber.check(number.getValue())).as(number.getValue()).isEmpty();
				HealthInsuranceNumber.Form form = HealthInsuranceNumber.formOf(number.getValue()).orElseThrow();
				forms.merge(form, 1, Integer::sum);
				if (form == HealthInsuranceNumber.Form.CCCD) {
					assertThat(number.getValue()).isEqualTo(identifiers(patient, IdentifierSystems.CCCD).get(0).getValue());
				}
				HealthInsuranceNumber.bhxhNumberOf(number.getValue()).ifPresent(ownBhxh::add);
			}
			// a card code and the bare number of one person carry the same BHXH number
			assertThat(ownBhxh).hasSizeLessThanOrEqualTo(1);
			for (String bhxh : ownBhxh) {
				assertThat(bhxhNumbers.add(bhxh)).as("BHXH number of two people: " + bhxh).isTrue();
			}
		}
		assertThat(forms.keySet()).containsExactlyInAnyOrder(HealthInsuranceNumber.Form.values());
		assertThat(forms.values()).allSatisfy(count -> assertThat(count).isGreaterThan(PATIENTS / 10));
		assertThat(insured).isBetween(880, 970);
	}

	@Test
	void facilitiesHaveValidUniqueCodesAndLicencesAtTheThreeTechnicalLevels() {
		Set<String> codes = new HashSet<>();
		Set<String> levels = new HashSet<>();
		for (Resource resource : directory) {
			if (resource instanceof Organization organization) {
				String code = identifiers(organization, IdentifierSystems.FACILITY_CODE).get(0).getValue();
				assertThat(FacilityCode.check(code)).as(code).isEmpty();
				assertThat(codes.add(code)).as("duplicate facility code " + code).isTrue();
				Extension licence = organization.getExtensionByUrl(Canonicals.EXT_OPERATING_LICENCE);
				assertThat(licence).as(code).isNotNull();
				assertThat(licence.getExtensionByUrl("number").getValue().primitiveValue())
						.isEqualTo(identifiers(organization, IdentifierSystems.FACILITY_OPERATING_LICENCE).get(0).getValue());
				assertThat(licence.getExtensionByUrl("beds")).isNotNull();
				licence.getExtensionsByUrl("scope").stream()
						.map(scope -> scope.getValue().isPrimitive() ? scope.getValue().primitiveValue()
								: ((org.hl7.fhir.r4.model.CodeableConcept) scope.getValue()).getText())
						.filter(text -> text.startsWith("Cấp chuyên môn kỹ thuật: "))
						.forEach(levels::add);
			}
		}
		assertThat(levels).containsExactlyInAnyOrder(
				"Cấp chuyên môn kỹ thuật: ban đầu", "Cấp chuyên môn kỹ thuật: cơ bản", "Cấp chuyên môn kỹ thuật: chuyên sâu");
		assertThat(codes).anyMatch(code -> code.startsWith("97")).anyMatch(code -> code.startsWith("98"));
		// every one of the 63 provinces has facilities once a thousand patients live all over the country
		assertThat(codes.stream().map(code -> code.substring(0, 2)).filter(p -> !p.equals("97") && !p.equals("98")).distinct())
				.hasSize(63);
	}

	@Test
	void practitionersHoldLicencesWithTitlesAndRolesHaveWorkingHours() {
		Set<String> titles = new HashSet<>();
		int roles = 0;
		for (Resource resource : directory) {
			if (resource instanceof Practitioner practitioner) {
				Extension licence = practitioner.getExtensionByUrl(Canonicals.EXT_PRACTICE_LICENCE);
				Coding title = (Coding) licence.getExtensionByUrl("title").getValue();
				assertThat(title.getSystem()).isEqualTo(VnCodeSystem.PRACTITIONER_TITLE.url());
				assertThat(VnTerminology.codes(VnCodeSystem.PRACTITIONER_TITLE)).contains(title.getCode());
				titles.add(title.getCode());
				assertThat(identifiers(practitioner, IdentifierSystems.PRACTICE_LICENCE).get(0).getValue())
						.isEqualTo(licence.getExtensionByUrl("number").getValue().primitiveValue());
			}
			if (resource instanceof PractitionerRole role) {
				roles++;
				assertThat(role.getAvailableTime()).isNotEmpty().allSatisfy(time -> {
					assertThat(time.getDaysOfWeek()).isNotEmpty();
					assertThat(time.getAllDay() || (time.hasAvailableStartTime() && time.hasAvailableEndTime())).isTrue();
				});
			}
		}
		assertThat(titles).contains("bac-sy", "y-sy", "dieu-duong", "ho-sinh", "ky-thuat-y", "luong-y");
		assertThat(roles).isGreaterThan(1000);
	}

	@Test
	void thePopulationLooksLikeVietnams() {
		Map<String, Integer> ethnicity = new TreeMap<>();
		Set<String> birthProvinces = new HashSet<>();
		Set<String> families = new HashSet<>();
		Set<String> occupations = new HashSet<>();
		int male = 0;
		int children = 0;
		int elderly = 0;
		int withDiacritics = 0;
		LocalDate asOf = data.asOf();
		for (Patient patient : patients) {
			Coding ethnic = (Coding) patient.getExtensionByUrl(Canonicals.EXT_ETHNICITY).getValue();
			assertThat(VnTerminology.codes(VnCodeSystem.ETHNICITY)).contains(ethnic.getCode());
			ethnicity.merge(ethnic.getCode(), 1, Integer::sum);
			Coding occupation = (Coding) patient.getExtensionByUrl(Canonicals.EXT_OCCUPATION).getValue();
			assertThat(VnTerminology.codes(VnCodeSystem.OCCUPATION)).contains(occupation.getCode());
			occupations.add(occupation.getCode());
			CitizenId.provinceCodeOf(identifiers(patient, IdentifierSystems.CCCD).get(0).getValue()).ifPresent(birthProvinces::add);
			male += patient.getGender() == org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.MALE ? 1 : 0;
			int age = Period.between(LocalDate.parse(patient.getBirthDateElement().getValueAsString()), asOf).getYears();
			children += age < 15 ? 1 : 0;
			elderly += age >= 65 ? 1 : 0;
			String name = patient.getNameFirstRep().getText();
			withDiacritics += name.chars().anyMatch(c -> c > 127) ? 1 : 0;
			if (patient.getNameFirstRep().hasFamily()) {
				families.add(patient.getNameFirstRep().getFamily());
			}
			assertThat(patient.getAddressFirstRep().getCountry()).isEqualTo("VN");
		}
		assertThat(ethnicity.get("01")).as("Kinh").isBetween(780, 920);
		assertThat(ethnicity.size()).as("ethnic groups present").isGreaterThanOrEqualTo(12);
		assertThat(male).isBetween(450, 550);
		assertThat(birthProvinces.size()).isGreaterThanOrEqualTo(55);
		assertThat(children).isBetween(150, 350);
		assertThat(elderly).isBetween(30, 150);
		assertThat(withDiacritics).isGreaterThan(900);
		assertThat(families.size()).isGreaterThan(40);
		assertThat(occupations.size()).isGreaterThan(15);
	}

	private static List<Identifier> identifiers(Resource resource, String system) {
		List<Identifier> all = resource instanceof Patient p ? p.getIdentifier()
				: resource instanceof Practitioner p ? p.getIdentifier()
				: ((Organization) resource).getIdentifier();
		return all.stream().filter(i -> system.equals(i.getSystem())).toList();
	}
}
