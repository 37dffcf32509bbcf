package vn.ehealth.fhir.profiles.identifier;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FacilityCodeTest {

	@ParameterizedTest
	@ValueSource(strings = {"01901", "79052", "96001", "97012", "98001", "01999"})
	void acceptsFiveDigitsStartingWithAProvinceOrArmyOrPoliceCode(String code) {
		assertThat(FacilityCode.check(code)).isEmpty();
		assertThat(FacilityCode.isValid(code)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = {"", "0190", "019011", "0190A", "01 901"})
	void rejectsCodeThatIsNotFiveDigits(String code) {
		assertThat(FacilityCode.check(code)).extracting(Violation::rule).containsExactly(Rule.FACILITY_CODE_PATTERN);
	}

	@Test
	void rejectsMissingCode() {
		assertThat(FacilityCode.check(null)).extracting(Violation::rule).containsExactly(Rule.FACILITY_CODE_PATTERN);
	}

	@ParameterizedTest
	@ValueSource(strings = {"03901", "00001", "99001", "16001", "63001"})
	void rejectsCodeWhosePrefixIsNeitherA63ListProvinceNor97Nor98(String code) {
		assertThat(FacilityCode.check(code)).extracting(Violation::invariantKey).containsExactly("vn-org-1");
	}

	@Test
	void rejectsSequenceZero() {
		assertThat(FacilityCode.check("01000")).extracting(Violation::rule).containsExactly(Rule.FACILITY_CODE_SEQUENCE);
		assertThat(FacilityCode.check("01000").get(0).invariantKey()).isEqualTo("vn-org-2");
	}

	@Test
	void reportsPrefixAndSequenceTogether() {
		assertThat(FacilityCode.check("99000")).extracting(Violation::rule)
				.containsExactly(Rule.FACILITY_CODE_PATTERN, Rule.FACILITY_CODE_SEQUENCE);
	}
}
