package vn.ehealth.fhir.server.identity;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import vn.ehealth.fhir.profiles.identifier.CitizenId;
import vn.ehealth.fhir.profiles.identifier.HealthInsuranceNumber;
import vn.ehealth.fhir.profiles.identifier.IdentifierSystems;

/**
 * What matching compares of a Patient, normalised: identifiers (either namespace), name parts in
 * Vietnamese order without diacritics, birth date at the precision given, sex, 2025 province and
 * commune, phones. Stored as JSON in {@code vf_patient_match} so a comparison reads no resource.
 *
 * @param cccds valid CCCDs (12 digits, known province prefix); a 12-digit CMND is the same number
 * @param cmnds 9-digit CMNDs
 * @param bhxh the 10-digit BHXH numbers BHYT cards carry (the person's, kept when a card is renewed)
 * @param phones the last nine digits of each phone
 * @param names each name's parts
 * @param birth yyyy, yyyy-MM or yyyy-MM-dd
 * @param sex male, female, other or unknown
 * @param province 2025 province code
 * @param commune folded commune name
 */
record PersonFeatures(Set<String> cccds, Set<String> cmnds, Set<String> bhxh, Set<String> phones,
		List<VietnameseNames.Parts> names, String birth, String sex, String province, String commune) {

	static PersonFeatures of(Patient patient) {
		Set<String> cccds = new TreeSet<>();
		Set<String> cmnds = new TreeSet<>();
		Set<String> bhxh = new TreeSet<>();
		for (Identifier identifier : patient.getIdentifier()) {
			String system = identifier.getSystem();
			String value = identifier.getValue() == null ? "" : identifier.getValue().strip();
			if (IdentifierSystems.isCccd(system) && CitizenId.check(value).isEmpty()) {
				cccds.add(value);
			} else if (isCmnd(system) && value.matches("[0-9]{9}|[0-9]{12}")) {
				// 12-digit CMNDs (2012-2016) carry the personal identification number the CCCD kept
				(value.length() == 12 && CitizenId.check(value).isEmpty() ? cccds : cmnds).add(value);
			} else if (IdentifierSystems.isBhyt(system)) {
				HealthInsuranceNumber.bhxhNumberOf(value).ifPresent(bhxh::add);
				if (HealthInsuranceNumber.formOf(value).orElse(null) == HealthInsuranceNumber.Form.CCCD
						&& CitizenId.check(value).isEmpty()) {
					cccds.add(value);
				}
			}
		}
		Set<String> phones = new TreeSet<>();
		for (ContactPoint telecom : patient.getTelecom()) {
			String digits = telecom.getValue() == null ? "" : telecom.getValue().replaceAll("[^0-9]", "");
			if (telecom.getSystem() == ContactPoint.ContactPointSystem.PHONE && digits.length() >= 9) {
				phones.add(digits.substring(digits.length() - 9));
			}
		}
		List<VietnameseNames.Parts> names = patient.getName().stream()
				.filter(n -> n.getUse() != HumanName.NameUse.OLD || patient.getName().size() == 1)
				.map(VietnameseNames::parts).filter(java.util.Objects::nonNull).toList();
		Address address = patient.getAddress().stream()
				.filter(a -> a.getUse() != Address.AddressUse.OLD).findFirst().orElse(null);
		return new PersonFeatures(cccds, cmnds, bhxh, phones, names,
				patient.hasBirthDateElement() ? patient.getBirthDateElement().getValueAsString() : null,
				patient.hasGender() ? patient.getGender().toCode() : null,
				address == null ? null : ProvinceNames.province2025(address.getState()),
				address == null ? null : ProvinceNames.commune(address.getCity()));
	}

	private static boolean isCmnd(String system) {
		return IdentifierSystems.CMND.equals(system) || IdentifierNamespaces.VN_CORE_CMND.equals(system);
	}

	/**
	 * The blocking keys: a Patient is a candidate for another only when they share one. Identifiers;
	 * birth date with sex; family and given name (sorted, so swapped parts meet) with the birth year;
	 * given name with the birth year and with the day and month (a mistyped year or family name).
	 */
	Set<String> keys() {
		Set<String> keys = new TreeSet<>();
		cccds.forEach(v -> keys.add("cccd:" + v));
		cmnds.forEach(v -> keys.add("cmnd:" + v));
		bhxh.forEach(v -> keys.add("bhxh:" + v));
		phones.forEach(v -> keys.add("tel:" + v));
		String year = birth == null || birth.length() < 4 ? null : birth.substring(0, 4);
		if (birth != null && birth.length() == 10) {
			keys.add("dob:" + birth + "|" + sex);
		}
		for (VietnameseNames.Parts name : names) {
			String given = VietnameseNames.canonical(name.given());
			String family = VietnameseNames.canonical(name.family());
			if (year != null) {
				keys.add("gy:" + given + "|" + year);
				if (!family.isEmpty()) {
					keys.add("ng:" + Stream.of(family, given).sorted().reduce((a, b) -> a + "+" + b).orElseThrow() + "|" + year);
				}
			}
			if (birth != null && birth.length() == 10) {
				keys.add("gmd:" + given + "|" + birth.substring(5));
			}
		}
		return keys;
	}
}
