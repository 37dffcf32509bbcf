package vn.ehealth.fhir.server.identity;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * How likely two records are one person, with the evidence. A valid CCCD in common (either
 * namespace), or one BHXH number (the person's, kept through every new BHYT card), is certain.
 * Otherwise the score adds up name (0.45 at most), birth date (0.30), sex, province and commune
 * (2025 provinces), phone and CMND; two different valid CCCDs are two citizens (one CCCD, one
 * person) and pull the score down, as do a different sex or a conflicting birth date.
 *
 * @param score 0..1, 1 for certain
 * @param grade certain, probable (≥ {@link #PROBABLE}), possible (≥ {@link #POSSIBLE}) or
 *     certainly-not (below: not reported), as the match-grade extension codes them
 * @param evidence what agreed and what did not, one short phrase each
 */
record MatchScore(double score, String grade, List<String> evidence) {

	static final double PROBABLE = 0.75;
	static final double POSSIBLE = 0.5;

	static MatchScore of(PersonFeatures a, PersonFeatures b) {
		List<String> evidence = new ArrayList<>();
		String sameCccd = common(a.cccds(), b.cccds());
		if (sameCccd != null) {
			return new MatchScore(1, "certain", List.of("CCCD " + sameCccd));
		}
		String sameBhxh = common(a.bhxh(), b.bhxh());
		if (sameBhxh != null) {
			return new MatchScore(1, "certain", List.of("BHXH " + sameBhxh));
		}
		double score = 0.45 * name(a, b, evidence)
				+ birth(a.birth(), b.birth(), evidence)
				+ sex(a.sex(), b.sex(), evidence)
				+ place(a, b, evidence);
		if (common(a.phones(), b.phones()) != null) {
			score += 0.15;
			evidence.add("phone");
		}
		if (common(a.cmnds(), b.cmnds()) != null) {
			score += 0.3;
			evidence.add("CMND");
		}
		if (!a.cccds().isEmpty() && !b.cccds().isEmpty()) {
			score -= 0.5;
			evidence.add("different CCCDs");
		}
		double bounded = Math.max(0, Math.min(0.99, score));
		double rounded = Math.round(bounded * 1000) / 1000.0;
		String grade = rounded >= PROBABLE ? "probable" : rounded >= POSSIBLE ? "possible" : "certainly-not";
		return new MatchScore(rounded, grade, Collections.unmodifiableList(evidence));
	}

	private static String common(Set<String> a, Set<String> b) {
		return a.stream().filter(b::contains).findFirst().orElse(null);
	}

	/** The best agreement of any name of one with any name of the other, 0..1. */
	private static double name(PersonFeatures a, PersonFeatures b, List<String> evidence) {
		double best = 0;
		String how = null;
		for (VietnameseNames.Parts x : a.names()) {
			for (VietnameseNames.Parts y : b.names()) {
				List<String> said = new ArrayList<>(1);
				double s = name(x, y, said);
				if (s > best) {
					best = s;
					how = said.get(0);
				}
			}
		}
		if (how != null) {
			evidence.add("name " + how);
		}
		return best;
	}

	static double name(VietnameseNames.Parts x, VietnameseNames.Parts y, List<String> how) {
		double family = VietnameseNames.similarity(x.family(), y.family());
		double given = VietnameseNames.similarity(x.given(), y.given());
		double straight = Math.min(family, given);
		double swapped = 0.9 * Math.min(VietnameseNames.similarity(x.family(), y.given()),
				VietnameseNames.similarity(x.given(), y.family()));
		double reordered = sortedWords(x).equals(sortedWords(y)) ? 0.9 : 0;
		double base = Math.max(straight, Math.max(swapped, reordered));
		if (base == 0) {
			if (given > 0) {
				how.add("given only");
				return 0.3;
			}
			if (family > 0 && !x.family().isEmpty()) {
				how.add("family only");
				return 0.1;
			}
			return 0;
		}
		how.add(base == straight ? (base == 1 ? "same" : "typing variant") : "parts swapped");
		if (base == straight && x.middles().isEmpty() != y.middles().isEmpty()) {
			return base * 0.95; // middle name left out
		}
		if (base == straight && !middles(x).equals(middles(y))) {
			return base * 0.85;
		}
		return base;
	}

	private static List<String> sortedWords(VietnameseNames.Parts name) {
		return Stream.concat(Stream.of(name.family(), name.given()), name.middles().stream())
				.filter(w -> !w.isEmpty()).map(VietnameseNames::canonical).sorted().toList();
	}

	private static List<String> middles(VietnameseNames.Parts name) {
		return name.middles().stream().map(VietnameseNames::canonical).toList();
	}

	/** Birth dates at their common precision: year, year-month or full. */
	private static double birth(String a, String b, List<String> evidence) {
		if (a == null || b == null) {
			return 0;
		}
		int precision = Math.min(a.length(), b.length());
		if (a.substring(0, precision).equals(b.substring(0, precision))) {
			evidence.add(precision == 10 ? "birth date" : "birth date (partial)");
			return precision == 10 ? 0.30 : precision == 7 ? 0.22 : 0.15;
		}
		if (a.length() == 10 && b.length() == 10) {
			boolean sameYear = a.startsWith(b.substring(0, 4));
			boolean transposed = a.substring(5, 7).equals(b.substring(8, 10)) && a.substring(8, 10).equals(b.substring(5, 7));
			if (sameYear && transposed) {
				evidence.add("birth day and month swapped");
				return 0.2;
			}
			if (a.substring(4).equals(b.substring(4)) && VietnameseNames.oneEditApart(a.substring(0, 4), b.substring(0, 4))) {
				evidence.add("birth year one digit apart");
				return 0.15;
			}
			if (sameYear) {
				return 0;
			}
		}
		evidence.add("different birth date");
		return -0.3;
	}

	private static double sex(String a, String b, List<String> evidence) {
		if (a == null || b == null || a.equals("unknown") || b.equals("unknown")) {
			return 0;
		}
		if (a.equals(b)) {
			evidence.add("sex");
			return 0.05;
		}
		evidence.add("different sex");
		return -0.25;
	}

	private static double place(PersonFeatures a, PersonFeatures b, List<String> evidence) {
		if (a.province() == null || !a.province().equals(b.province())) {
			return 0;
		}
		if (a.commune() != null && a.commune().equals(b.commune())) {
			evidence.add("province and commune");
			return 0.10;
		}
		evidence.add("province");
		return 0.05;
	}
}
