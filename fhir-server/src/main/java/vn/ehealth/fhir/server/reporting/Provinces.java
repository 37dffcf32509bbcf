package vn.ehealth.fhir.server.reporting;

import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Patient;
import vn.ehealth.fhir.terminology.Provinces2025;

/**
 * The province a patient lives in, as a code of the 34 provinces from 1 July 2025 (Resolution
 * 202/2025/QH15). Address.state may hold a 2025 code or name, or a code or name of the 63-province
 * list, mapped by the guide's ConceptMap vn-province-legacy-to-2025 ({@link Provinces2025}).
 */
final class Provinces {

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
		return Provinces2025.of(value).orElse(null);
	}
}
