package vn.ehealth.fhir.profiles.identifier;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import vn.ehealth.fhir.profiles.identifier.HealthInsuranceNumber.Form;

class HealthInsuranceNumberTest {

	@ParameterizedTest(name = "{0} is a {1}")
	@CsvSource({
		"DN4010123456789, CARD_CODE",
		"TE1790123456789, CARD_CODE",
		"QN5970123456789, CARD_CODE",
		"7903123456, BHXH_NUMBER",
		"079303004567, CCCD"
	})
	void acceptsEachOfTheThreeForms(String number, Form form) {
		assertThat(HealthInsuranceNumber.formOf(number)).contains(form);
		assertThat(HealthInsuranceNumber.check(number)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = {"", "DN40101234567", "DN6010123456789", "dn4010123456789", "D14010123456789",
		"790312345", "79031234567", "79-03123456", "0793030045678"})
	void rejectsNumberInNoneOfTheThreeForms(String number) {
		assertThat(HealthInsuranceNumber.check(number)).extracting(Violation::rule).containsExactly(Rule.BHYT_FORM);
		assertThat(HealthInsuranceNumber.formOf(number)).isEmpty();
	}

	@Test
	void rejectsMissingNumber() {
		assertThat(HealthInsuranceNumber.check(null)).extracting(Violation::invariantKey).containsExactly("vn-bhyt-1");
	}

	@Test
	void rejectsCardCodeWithUnknownBeneficiaryGroup() {
		assertThat(HealthInsuranceNumber.check("ZZ4010123456789")).extracting(Violation::rule)
				.containsExactly(Rule.BHYT_BENEFICIARY_GROUP);
	}

	@Test
	void rejectsCardCodeWithUnknownProvince() {
		assertThat(HealthInsuranceNumber.check("DN4030123456789")).extracting(Violation::rule)
				.containsExactly(Rule.BHYT_PROVINCE);
	}

	@Test
	void rejectsCccdFormWithUnknownProvince() {
		assertThat(HealthInsuranceNumber.check("003085012345")).extracting(Violation::invariantKey)
				.containsExactly("vn-bhyt-3");
	}

	@Test
	void extractsTheBhxhNumber() {
		assertThat(HealthInsuranceNumber.bhxhNumberOf("DN4010123456789")).contains("0123456789");
		assertThat(HealthInsuranceNumber.bhxhNumberOf("7903123456")).contains("7903123456");
		assertThat(HealthInsuranceNumber.bhxhNumberOf("079303004567")).isEmpty();
	}
}
