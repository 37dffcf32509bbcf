package vn.ehealth.fhir.server.reporting;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Patient;
import vn.ehealth.fhir.terminology.VnCodeSystem;
import vn.ehealth.fhir.terminology.VnTerminology;

/**
 * The province a patient lives in, as a code of the 34 provinces from 1 July 2025 (Resolution
 * 202/2025/QH15). Address.state may hold a 2025 code or name, or a code or name of the 63-province
 * list, which the guide's ConceptMap vn-province-legacy-to-2025 maps ({@link VnTerminology#provinceFromLegacy}).
 */
final class Provinces {

	private static final Map<String, String> BY_KEY = keys();

	private Provinces() {}

	/** The home address's province (else the first address's), or null when none is recognised. */
	static String of(Patient patient) {
		Address chosen = null;
		for (Address address : patient.getAddress()) {
			if (address.getUse() == Address.AddressUse.HOME && address.hasState()) {
				chosen = address;
				break;
			}
			if (chosen == null && address.hasState()) {
				chosen = address;
			}
		}
		return chosen == null ? null : code2025(chosen.getState());
	}

	/** A 2025 code for a 2025 or legacy code or name; null when it is none of them. */
	static String code2025(String value) {
		return value == null ? null : BY_KEY.get(key(value));
	}

	private static Map<String, String> keys() {
		Map<String, String> keys = new HashMap<>();
		for (String legacy : VnTerminology.codes(VnCodeSystem.PROVINCE_LEGACY)) {
			String target = VnTerminology.provinceFromLegacy(legacy).orElse(null);
			if (target != null) {
				keys.put(key(legacy), target);
				VnTerminology.display(VnCodeSystem.PROVINCE_LEGACY, legacy).ifPresent(name -> keys.put(key(name), target));
				VnTerminology.displayEn(VnCodeSystem.PROVINCE_LEGACY, legacy).ifPresent(name -> keys.put(key(name), target));
			}
		}
		// the 2025 list last: where a code or name is in both lists, the current province wins
		for (String code : VnTerminology.codes(VnCodeSystem.PROVINCE)) {
			keys.put(key(code), code);
			VnTerminology.display(VnCodeSystem.PROVINCE, code).ifPresent(name -> keys.put(key(name), code));
			VnTerminology.displayEn(VnCodeSystem.PROVINCE, code).ifPresent(name -> keys.put(key(name), code));
		}
		return Map.copyOf(keys);
	}

	/** Lower case, without accents, spaces or the words "tỉnh" / "thành phố" / "TP.". */
	private static String key(String value) {
		String plain = Normalizer.normalize(value.trim().toLowerCase(Locale.ROOT), Normalizer.Form.NFD)
				.replaceAll("\\p{M}", "").replace('đ', 'd');
		plain = plain.replaceFirst("^(tinh|thanh pho|tp\\.?|province|city)\\s+", "");
		return plain.replaceAll("[^a-z0-9]", "");
	}
}
