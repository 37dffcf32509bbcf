package vn.ehealth.fhir.server.terminology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Accent-insensitive matching of Vietnamese text, as $expand's filter uses it ("ha noi" finds "Hà Nội"). */
class VietnameseTextTest {

	@Test
	void foldsTonesMarksAndDToPlainLowerCase() {
		assertThat(VietnameseText.fold("Đái tháo đường típ 2")).isEqualTo("dai thao duong tip 2");
		assertThat(VietnameseText.fold("Thành phố Hồ Chí Minh")).isEqualTo("thanh pho ho chi minh");
		assertThat(VietnameseText.fold(null)).isEmpty();
	}

	@Test
	void foldsComposedAndDecomposedFormsAlike() {
		assertThat(VietnameseText.fold("Nguy\u1ec5n")).isEqualTo(VietnameseText.fold("Nguye\u0302\u0303n")).isEqualTo("nguyen");
	}

	@Test
	void splitsWordsOnAnythingButLettersAndDigits() {
		assertThat(VietnameseText.words("Tăng huyết áp (vô căn), I10")).containsExactly("tang", "huyet", "ap", "vo", "can", "i10");
	}

	@Test
	void matchesWhenEveryFilterWordStartsAWordOfOneText() {
		List<String> texts = List.of("Tăng huyết áp vô căn", "Essential (primary) hypertension");
		assertThat(VietnameseText.matches("huyet ap", texts)).isTrue();
		assertThat(VietnameseText.matches("tăng huy", texts)).isTrue();
		assertThat(VietnameseText.matches("hypert", texts)).isTrue();
		assertThat(VietnameseText.matches("huyet hypertension", texts)).isFalse(); // words from two texts
		assertThat(VietnameseText.matches("uyet", texts)).isFalse(); // inside a word
	}

	@Test
	void anEmptyFilterMatchesEverything() {
		assertThat(VietnameseText.matches(" , ", List.of("Sốt"))).isTrue();
	}
}
