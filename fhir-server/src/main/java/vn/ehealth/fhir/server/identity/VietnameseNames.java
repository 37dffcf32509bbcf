package vn.ehealth.fhir.server.identity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.StringType;
import vn.ehealth.fhir.server.terminology.VietnameseText;

/**
 * Vietnamese personal names as matching compares them: without diacritics and case, in Vietnamese
 * order (family name first, then middle names such as Văn or Thị, then the given name last), with the
 * traces of Telex/VNI typing that a keyboard left behind removed.
 */
final class VietnameseNames {

	/** A name in Vietnamese order, each part folded (see {@link #fold}). */
	record Parts(String family, List<String> middles, String given) {}

	private static final Pattern NOT_LETTER = Pattern.compile("[^a-z0-9' ]+");
	private static final Pattern BLANKS = Pattern.compile("\\s+");
	// a Vietnamese syllable ends in a vowel or c, ch, m, n, ng, nh, p, t: a final s/f/r/x/j (Telex
	// tones), w or z is a typing trace, and so are VNI's digits
	private static final Pattern TELEX_TONE = Pattern.compile("(?<=[a-z])[sfrxjwz]$");
	private static final Pattern DIGITS = Pattern.compile("[0-9]");
	private static final Pattern TELEX_DOUBLES = Pattern.compile("(aa|ee|oo|dd)");
	private static final Pattern TELEX_HORN = Pattern.compile("(?<=[uoa])w");

	private VietnameseNames() {}

	/** Lower case without diacritics (đ is d), punctuation dropped, one space between words. */
	static String fold(String text) {
		if (text == null) {
			return "";
		}
		String bare = VietnameseText.fold(text);
		return BLANKS.matcher(NOT_LETTER.matcher(bare).replaceAll(" ")).replaceAll(" ").strip();
	}

	/**
	 * One folded word in the form typing variants share: Telex doubles (aa, ee, oo, dd) and horn w
	 * made single, a final tone letter and VNI digits dropped, y written as i (Vy / Vi, Huỳnh / Huình).
	 */
	static String canonical(String word) {
		String w = DIGITS.matcher(fold(word)).replaceAll("");
		w = TELEX_DOUBLES.matcher(w).replaceAll(m -> m.group().substring(1));
		w = TELEX_HORN.matcher(w).replaceAll("");
		w = TELEX_TONE.matcher(w).replaceAll("");
		return w.replace('y', 'i');
	}

	/** The name's parts in Vietnamese order, or null when it has no words. */
	static Parts parts(HumanName name) {
		List<String> words = new ArrayList<>();
		if (name.hasFamily() || name.hasGiven()) {
			words.addAll(words(name.getFamily()));
			for (StringType given : name.getGiven()) {
				words.addAll(words(given.getValue()));
			}
		} else {
			words.addAll(words(name.getText()));
		}
		if (words.isEmpty()) {
			return null;
		}
		if (words.size() == 1) {
			return new Parts("", List.of(), words.get(0));
		}
		return new Parts(words.get(0), List.copyOf(words.subList(1, words.size() - 1)), words.get(words.size() - 1));
	}

	private static List<String> words(String text) {
		String folded = fold(text);
		return folded.isEmpty() ? List.of() : Arrays.asList(folded.split(" "));
	}

	/**
	 * How alike two folded words are: 1 when equal or the same once typing variants are removed,
	 * 0.9 for one slip of the keyboard (a letter wrong, missing, extra, or two swapped) in a word of
	 * three letters or more, else 0.
	 */
	static double similarity(String a, String b) {
		if (a.isEmpty() || b.isEmpty()) {
			return 0;
		}
		String ca = canonical(a);
		String cb = canonical(b);
		if (a.equals(b) || ca.equals(cb)) {
			return 1;
		}
		return Math.min(ca.length(), cb.length()) >= 3 && oneEditApart(ca, cb) ? 0.9 : 0;
	}

	/** Damerau-Levenshtein distance ≤ 1, in one pass. */
	static boolean oneEditApart(String a, String b) {
		if (Math.abs(a.length() - b.length()) > 1) {
			return false;
		}
		int i = 0;
		while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
			i++;
		}
		if (a.length() == b.length()) {
			if (a.substring(i + 1).equals(b.substring(i + 1))) {
				return true; // one letter replaced (or none)
			}
			return i + 1 < a.length() && a.charAt(i) == b.charAt(i + 1) && a.charAt(i + 1) == b.charAt(i)
					&& a.substring(i + 2).equals(b.substring(i + 2)); // two neighbours swapped
		}
		String longer = a.length() > b.length() ? a : b;
		String shorter = longer == a ? b : a;
		return longer.substring(i + 1).equals(shorter.substring(i)); // one letter extra
	}
}
