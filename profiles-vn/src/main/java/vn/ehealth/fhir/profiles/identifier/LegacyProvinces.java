package vn.ehealth.fhir.profiles.identifier;

import java.util.Set;

/**
 * The 63 province codes in force before the merger of 1 July 2025 (Circular 07/2016/TT-BCA
 * Appendix I). CCCD numbers, facility codes and BHYT cards issued before the merger keep them, so
 * identifier checks use this list, not the 34 provinces of Decision 19/2025/QĐ-TTg.
 */
public final class LegacyProvinces {

	/** Two-digit codes, as in facility codes, BHYT card codes and the {@code vn-province-legacy} code system. */
	public static final Set<String> CODES = Set.of(
			"01", "02", "04", "06", "08", "10", "11", "12", "14", "15",
			"17", "19", "20", "22", "24", "25", "26", "27", "30", "31",
			"33", "34", "35", "36", "37", "38", "40", "42", "44", "45",
			"46", "48", "49", "51", "52", "54", "56", "58", "60", "62",
			"64", "66", "67", "68", "70", "72", "74", "75", "77", "79",
			"80", "82", "83", "84", "86", "87", "89", "91", "92", "93",
			"94", "95", "96");

	private LegacyProvinces() {}

	/** Whether {@code twoDigits} (e.g. {@code "79"}) is a code of the 63-province list. */
	public static boolean isKnown(String twoDigits) {
		return twoDigits != null && CODES.contains(twoDigits);
	}

	/** Whether {@code threeDigits} (e.g. {@code "079"}, CCCD digits 1–3) is "0" + a 63-list code. */
	public static boolean isKnownCccdPrefix(String threeDigits) {
		return threeDigits != null
				&& threeDigits.length() == 3
				&& threeDigits.charAt(0) == '0'
				&& isKnown(threeDigits.substring(1));
	}
}
