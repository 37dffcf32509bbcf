package vn.ehealth.fhir.server.terminology;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Vietnamese text folded for matching: no tone or vowel marks, đ as d, lower case ("Hà Nội" → "ha noi"). */
public final class VietnameseText {

	private static final Pattern MARKS = Pattern.compile("\\p{M}+");
	private static final Pattern SEPARATORS = Pattern.compile("[^\\p{L}\\p{N}]+");

	private VietnameseText() {}

	public static String fold(String text) {
		if (text == null) {
			return "";
		}
		String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
		return MARKS.matcher(decomposed).replaceAll("").replace('đ', 'd').replace('Đ', 'D').toLowerCase(Locale.ROOT);
	}

	public static List<String> words(String text) {
		return Arrays.stream(SEPARATORS.split(fold(text))).filter(w -> !w.isEmpty()).toList();
	}

	/** True when every word of the filter starts some word of one of the texts ("ha noi" matches "Hà Nội"). */
	public static boolean matches(String filter, List<String> texts) {
		List<String> wanted = words(filter);
		if (wanted.isEmpty()) {
			return true;
		}
		for (String text : texts) {
			List<String> have = words(text);
			if (wanted.stream().allMatch(w -> have.stream().anyMatch(h -> h.startsWith(w)))) {
				return true;
			}
		}
		return false;
	}
}
