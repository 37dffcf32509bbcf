package vn.ehealth.fhir.synth;

import java.time.LocalDate;
import java.util.List;
import vn.ehealth.fhir.profiles.identifier.HealthInsuranceNumber;

/**
 * One synthetic Vietnamese person, before it becomes a Patient or a Practitioner.
 *
 * @param index the person's number in its population (patient n, or practitioner k)
 * @param family family name (họ), or null for peoples who use none
 * @param middle middle name (tên đệm), possibly empty
 * @param given personal name (tên)
 * @param givenFirst whether the name is said given first, family last (Ê-đê, Gia-rai …)
 * @param birthProvince where the birth was registered: CCCD digits 1–3
 * @param residence where the person lives: address and nearest care
 * @param cmnd the old 9-digit identity card, kept by some adults, or null
 * @param insurance BHYT numbers, empty for the uninsured
 */
record Person(
		int index,
		boolean male,
		LocalDate birthDate,
		String ethnicity,
		String family,
		String middle,
		String given,
		boolean givenFirst,
		Provinces.Province birthProvince,
		Provinces.Province residence,
		String cccd,
		String cmnd,
		List<Insurance> insurance,
		String occupation,
		String phone,
		String addressLine,
		String commune) {

	/** A BHYT number in one of its three forms, with the card's validity where the form has one. */
	record Insurance(String value, HealthInsuranceNumber.Form form, String beneficiaryGroup, LocalDate validFrom, LocalDate validTo) {}

	/** The name as it is said and written. */
	String fullName() {
		String givenNames = givenNames();
		if (family == null) {
			return givenNames;
		}
		return givenFirst ? givenNames + " " + family : family + " " + givenNames;
	}

	/** Middle and personal name together, e.g. "Văn An". */
	String givenNames() {
		return String.join(" ", givenParts());
	}

	/** The given parts as FHIR writes them: middle, then personal name ("H'" joins its name: "H'Hen"). */
	java.util.List<String> givenParts() {
		if (middle.isEmpty()) {
			return java.util.List.of(given);
		}
		if (middle.endsWith("'")) {
			return java.util.List.of(middle + given);
		}
		return java.util.List.of(middle, given);
	}

	int ageOn(LocalDate date) {
		return java.time.Period.between(birthDate, date).getYears();
	}
}
