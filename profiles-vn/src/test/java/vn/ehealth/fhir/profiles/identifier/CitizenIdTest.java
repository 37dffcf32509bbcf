package vn.ehealth.fhir.profiles.identifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CitizenIdTest {

	private static List<Rule> rules(List<Violation> violations) {
		return violations.stream().map(Violation::rule).toList();
	}

	@Test
	void acceptsMaleBorn1985RegisteredInHanoi() {
		assertThat(CitizenId.check("001085012345", AdministrativeGender.MALE, 1985)).isEmpty();
	}

	@Test
	void acceptsFemaleBorn2003RegisteredInHoChiMinhCity() {
		assertThat(CitizenId.check("079303004567", AdministrativeGender.FEMALE, 2003)).isEmpty();
	}

	@ParameterizedTest(name = "digit 4 = {1} for {2} born {3}")
	@CsvSource({
		"001085012345, 0, MALE, 1985",
		"001185012345, 1, FEMALE, 1985",
		"001205012345, 2, MALE, 2005",
		"001305012345, 3, FEMALE, 2005",
		"001401012345, 4, MALE, 2101",
		"001501012345, 5, FEMALE, 2101",
		"001601012345, 6, MALE, 2201",
		"001701012345, 7, FEMALE, 2201",
		"001801012345, 8, MALE, 2301",
		"001901012345, 9, FEMALE, 2301"
	})
	void acceptsEveryCenturyAndSexDigit(String cccd, int digit, AdministrativeGender gender, int birthYear) {
		assertThat(cccd.charAt(3) - '0').isEqualTo(digit);
		assertThat(CitizenId.check(cccd, gender, birthYear)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = {"", "00108501234", "0010850123456", "00108501234A", " 001085012345", "001-085-012345"})
	void rejectsCccdThatIsNotTwelveDigits(String cccd) {
		assertThat(rules(CitizenId.check(cccd, AdministrativeGender.MALE, 1985))).containsExactly(Rule.CCCD_PATTERN);
	}

	@Test
	void rejectsMissingCccdAsNotTwelveDigits() {
		List<Violation> violations = CitizenId.check(null);
		assertThat(rules(violations)).containsExactly(Rule.CCCD_PATTERN);
		assertThat(violations.get(0).invariantKey()).isEqualTo("vn-cccd-1");
	}

	@ParameterizedTest
	@ValueSource(strings = {"003085012345", "000085012345", "097085012345", "100085012345", "016085012345"})
	void rejectsCccdWhoseFirstThreeDigitsAreNotAProvinceOfThe63List(String cccd) {
		assertThat(rules(CitizenId.check(cccd, AdministrativeGender.MALE, 1985))).containsExactly(Rule.CCCD_PROVINCE);
	}

	@Test
	void acceptsEveryProvinceOfThe63List() {
		assertThat(LegacyProvinces.CODES).hasSize(63);
		for (String province : LegacyProvinces.CODES) {
			assertThat(CitizenId.check("0" + province + "085012345")).as(province).isEmpty();
		}
	}

	@Test
	void rejectsCccdWhoseSexDigitContradictsGender() {
		List<Violation> violations = CitizenId.check("001085012345", AdministrativeGender.FEMALE, 1985);
		assertThat(rules(violations)).containsExactly(Rule.CCCD_SEX_DIGIT);
		assertThat(violations.get(0).invariantKey()).isEqualTo("vn-cccd-3");
		assertThat(violations.get(0).messageVi()).contains("nam", "nữ");
		assertThat(violations.get(0).messageEn()).contains("male", "female");
	}

	@Test
	void rejectsCccdWhoseCenturyDigitContradictsBirthYear() {
		List<Violation> violations = CitizenId.check("001285012345", AdministrativeGender.MALE, 1985);
		assertThat(rules(violations)).containsExactly(Rule.CCCD_CENTURY_DIGIT);
		assertThat(violations.get(0).invariantKey()).isEqualTo("vn-cccd-3");
	}

	@Test
	void rejectsCccdWhoseYearDigitsContradictBirthYear() {
		List<Violation> violations = CitizenId.check("001086012345", AdministrativeGender.MALE, 1985);
		assertThat(rules(violations)).containsExactly(Rule.CCCD_BIRTH_YEAR);
		assertThat(violations.get(0).invariantKey()).isEqualTo("vn-cccd-4");
	}

	@Test
	void reportsEveryBrokenRuleAtOnce() {
		assertThat(rules(CitizenId.check("003286012345", AdministrativeGender.FEMALE, 1985)))
				.containsExactly(Rule.CCCD_PROVINCE, Rule.CCCD_SEX_DIGIT, Rule.CCCD_CENTURY_DIGIT, Rule.CCCD_BIRTH_YEAR);
	}

	@ParameterizedTest
	@CsvSource(value = {"OTHER", "UNKNOWN", "NULL", "(none)"}, nullValues = "(none)")
	void skipsOnlyTheSexCheckWhenGenderIsNotMaleOrFemale(AdministrativeGender gender) {
		assertThat(CitizenId.check("001185012345", gender, 1985)).isEmpty();
		assertThat(rules(CitizenId.check("001185012345", gender, 2005)))
				.containsExactly(Rule.CCCD_CENTURY_DIGIT, Rule.CCCD_BIRTH_YEAR);
	}

	@Test
	void skipsCenturyAndYearChecksWithoutBirthYearButStillChecksSex() {
		assertThat(CitizenId.check("001385012345", AdministrativeGender.FEMALE, null)).isEmpty();
		assertThat(rules(CitizenId.check("001385012345", AdministrativeGender.MALE, null)))
				.containsExactly(Rule.CCCD_SEX_DIGIT);
	}

	@Test
	void acceptsGenderAsItsFhirCode() {
		assertThat(CitizenId.check("079303004567", "female", 2003)).isEmpty();
		assertThat(rules(CitizenId.check("079303004567", "male", 2003))).containsExactly(Rule.CCCD_SEX_DIGIT);
		assertThat(CitizenId.check("079303004567", "not-a-gender", 2003)).isEmpty();
	}

	@Test
	void decodesBirthYearSexAndProvince() {
		assertThat(CitizenId.birthYearOf("079303004567")).hasValue(2003);
		assertThat(CitizenId.birthYearOf("001085012345")).hasValue(1985);
		assertThat(CitizenId.sexOf("079303004567")).contains(CitizenId.Sex.FEMALE);
		assertThat(CitizenId.provinceCodeOf("079303004567")).contains("79");
		assertThat(CitizenId.provinceCodeOf("003303004567")).isEmpty();
		assertThat(CitizenId.birthYearOf("0793030045")).isEmpty();
	}

	@Test
	void writesMessagesVietnameseFirstThenEnglish() {
		Violation violation = CitizenId.check("12345").get(0);
		assertThat(violation.message()).isEqualTo(violation.messageVi() + " / " + violation.messageEn());
		assertThat(violation.messageVi()).startsWith("Số CCCD phải gồm đúng 12 chữ số");
		assertThat(violation.messageEn()).startsWith("A CCCD must be exactly 12 digits");
	}
}
