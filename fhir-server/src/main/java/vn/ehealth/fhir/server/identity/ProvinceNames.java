package vn.ehealth.fhir.server.identity;

import java.util.regex.Pattern;
import vn.ehealth.fhir.terminology.Provinces2025;

/**
 * An address's province as its 2025 code (Resolution 202/2025/QH15 merged the 63 provinces into 34):
 * a name or code of either list maps to the province that holds the place today, so a record written
 * before the merger ("Hà Giang") and one after ("Tuyên Quang") name the same province. Communes are
 * compared by their folded name (their merger has no published mapping we ship).
 */
final class ProvinceNames {

	private static final Pattern COMMUNE_WORDS = Pattern.compile("^(xa|phuong|thi tran|dac khu|thi xa) ");

	private ProvinceNames() {}

	/** The 2025 province code of an address's state (name or code, old or new), or null. */
	static String province2025(String state) {
		return Provinces2025.of(state).orElse(null);
	}

	/** The commune's folded name without its kind (xã, phường, thị trấn, đặc khu), or null. */
	static String commune(String city) {
		String folded = COMMUNE_WORDS.matcher(VietnameseNames.fold(city)).replaceFirst("");
		return folded.isEmpty() ? null : folded;
	}
}
