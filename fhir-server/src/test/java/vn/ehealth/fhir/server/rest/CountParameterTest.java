package vn.ehealth.fhir.server.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code _count} of our operations: a 400 naming the problem, never HAPI's 500 for a non-number. */
class CountParameterTest {

	@Test
	void takesTheCountAsked() {
		assertThat(CountParameter.parse(new StringType(" 25 "), 50)).isEqualTo(25);
	}

	@Test
	void noCountMeansTheDefault() {
		assertThat(CountParameter.parse(null, 50)).isEqualTo(50);
		assertThat(CountParameter.parse(new StringType(), 50)).isEqualTo(50);
		assertThat(CountParameter.parse(new StringType(" "), 50)).isEqualTo(50);
	}

	@ParameterizedTest
	@ValueSource(strings = {"abc", "1.5", "99999999999", "0", "-3"})
	void refusesWhatIsNotAPositiveWholeNumber(String value) {
		assertThatThrownBy(() -> CountParameter.parse(new StringType(value), 50))
				.isInstanceOf(InvalidRequestException.class).hasMessageContaining("_count must be");
	}
}
