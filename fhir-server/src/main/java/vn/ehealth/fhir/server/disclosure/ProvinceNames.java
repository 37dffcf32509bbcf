package vn.ehealth.fhir.server.disclosure;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import vn.ehealth.fhir.server.terminology.VietnameseText;
import vn.ehealth.fhir.terminology.Provinces2025;
import vn.ehealth.fhir.terminology.VnCodeSystem;
import vn.ehealth.fhir.terminology.VnTerminology;

/**
 * The 34 provinces of 1 July 2025 and how a facility's province is found: from its address (2025 or
 * legacy name) or else from its facility code, whose first two digits are a legacy province code
 * (63-list; the guide's concept map {@code vn-province-legacy-to-2025} takes it to the 2025 one). Every
 * 2025 code is also a legacy code that maps to itself, so a code given by a visitor is never ambiguous.
 */
final class ProvinceNames {

	record Province(String code, String name) {}

	private final List<Province> provinces = new ArrayList<>();
	private final Map<String, Province> byCode = new HashMap<>();

	ProvinceNames() {
		for (String code : VnTerminology.codes(VnCodeSystem.PROVINCE)) {
			Province province = new Province(code, VnTerminology.display(VnCodeSystem.PROVINCE, code).orElse(code));
			provinces.add(province);
			byCode.put(code, province);
		}
		provinces.sort(Comparator.comparing(p -> VietnameseText.fold(p.name())));
		for (String legacy : VnTerminology.codes(VnCodeSystem.PROVINCE_LEGACY)) {
			Optional<Province> target = VnTerminology.provinceFromLegacy(legacy).map(byCode::get);
			if (target.isEmpty()) {
				continue;
			}
			byCode.putIfAbsent(legacy, target.get());
		}
	}

	/** The 2025 provinces in alphabetical order. */
	List<Province> all() {
		return provinces;
	}

	/** A 2025 code, or a legacy code mapped to its 2025 province. */
	Optional<Province> byCode(String code) {
		return Optional.ofNullable(byCode.get(code));
	}

	/** The province of a facility: its address's province (state) first, else its facility code. */
	Optional<Province> of(String addressState, String facilityCode) {
		Optional<Province> named = Provinces2025.of(addressState).map(byCode::get);
		if (named.isPresent()) {
			return named;
		}
		if (facilityCode != null && facilityCode.length() >= 2) {
			return byCode(facilityCode.substring(0, 2));
		}
		return Optional.empty();
	}
}
