package vn.ehealth.fhir.server.identity;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import vn.ehealth.fhir.terminology.VnCodeSystem;
import vn.ehealth.fhir.terminology.VnTerminology;

/**
 * An address's province as its 2025 code (Resolution 202/2025/QH15 merged the 63 provinces into 34):
 * a name or code of either list maps to the province that holds the place today, so a record written
 * before the merger ("Hà Giang") and one after ("Tuyên Quang") name the same province. Communes are
 * compared by their folded name (their merger has no published mapping we ship).
 */
final class ProvinceNames {

	private static final Pattern PROVINCE_WORDS = Pattern.compile("^(tinh|thanh pho|tp) ");
	private static final Pattern COMMUNE_WORDS = Pattern.compile("^(xa|phuong|thi tran|dac khu|thi xa) ");
	private static final Map<String, String> CODE_BY_NAME = codeByName();

	private ProvinceNames() {}

	/** The 2025 province code of an address's state (name or code, old or new), or null. */
	static String province2025(String state) {
		String folded = PROVINCE_WORDS.matcher(VietnameseNames.fold(state)).replaceFirst("");
		return folded.isEmpty() ? null : CODE_BY_NAME.get(folded);
	}

	/** The commune's folded name without its kind (xã, phường, thị trấn, đặc khu), or null. */
	static String commune(String city) {
		String folded = COMMUNE_WORDS.matcher(VietnameseNames.fold(city)).replaceFirst("");
		return folded.isEmpty() ? null : folded;
	}

	private static Map<String, String> codeByName() {
		Map<String, String> byName = new HashMap<>();
		for (String legacy : VnTerminology.codes(VnCodeSystem.PROVINCE_LEGACY)) {
			VnTerminology.provinceFromLegacy(legacy).ifPresent(now -> {
				byName.put(legacy, now);
				VnTerminology.display(VnCodeSystem.PROVINCE_LEGACY, legacy)
						.ifPresent(name -> byName.put(PROVINCE_WORDS.matcher(VietnameseNames.fold(name)).replaceFirst(""), now));
			});
		}
		// the 2025 list last: its codes and names win where a legacy code was reused
		for (String code : VnTerminology.codes(VnCodeSystem.PROVINCE)) {
			byName.put(code, code);
			VnTerminology.display(VnCodeSystem.PROVINCE, code)
					.ifPresent(name -> byName.put(PROVINCE_WORDS.matcher(VietnameseNames.fold(name)).replaceFirst(""), code));
		}
		return Map.copyOf(byName);
	}
}
