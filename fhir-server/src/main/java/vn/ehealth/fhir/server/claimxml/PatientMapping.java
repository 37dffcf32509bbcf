package vn.ehealth.fhir.server.claimxml;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import vn.ehealth.fhir.profiles.Canonicals;
import vn.ehealth.fhir.profiles.identifier.IdentifierSystems;
import vn.ehealth.fhir.terminology.VnCodeSystem;
import vn.ehealth.fhir.terminology.VnTerminology;

/**
 * XML1's person and card fields as a Patient and a Coverage per card, in VN Core's shape
 * (shared/docs/vn-core-alignment.md, "Claim XML in VN Core") with our guide's identifier systems.
 */
final class PatientMapping {

	/** XML1's card fields with no Coverage element, kept verbatim on each card. */
	static final String[] COVERAGE_KEPT = {"MA_KHUVUC", "NAM_NAM_LIEN_TUC", "NGAY_MIEN_CCT"};

	private PatientMapping() {}

	/** The Patient as this episode states it (no id): the caller merges it into the stored one. */
	static Patient patient(Submission.Row xml1, String facility) {
		Patient patient = new Patient();
		patient.getMeta().addProfile(Canonicals.PATIENT);
		identifiers(xml1, facility).forEach(patient::addIdentifier);
		if (xml1.has("HO_TEN")) {
			patient.addName(new HumanName().setUse(HumanName.NameUse.OFFICIAL).setText(xml1.get("HO_TEN")));
		}
		patient.setGender(gender(xml1));
		patient.setBirthDateElement(ClaimValues.birthDate(xml1));
		if (xml1.has("MA_DANTOC")) {
			patient.addExtension(Canonicals.EXT_ETHNICITY,
					new Coding(VnCodeSystem.ETHNICITY.url(), pad(xml1.get("MA_DANTOC"), 2), null));
		}
		if (xml1.has("MA_NGHE_NGHIEP")) {
			patient.addExtension(Canonicals.EXT_OCCUPATION,
					new Coding(VnCodeSystem.OCCUPATION.url(), xml1.get("MA_NGHE_NGHIEP"), null));
		}
		if (xml1.has("MA_QUOCTICH")) {
			Extension nationality = patient.addExtension().setUrl(ClaimCodes.NATIONALITY);
			nationality.addExtension("code", ClaimCodes.concept("ma-quoctich", xml1.get("MA_QUOCTICH"), null));
		}
		Address address = address(xml1);
		if (!address.isEmpty()) {
			patient.addAddress(address);
		}
		if (xml1.has("DIEN_THOAI")) {
			patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue(xml1.get("DIEN_THOAI"));
		}
		return patient;
	}

	/**
	 * SO_CCCD by its form (QĐ 4750: a string since it may hold the CCCD, the old identity card or the
	 * passport): 12 digits a CCCD, 9 digits a CMND, anything else a passport number; then each card of
	 * MA_THE_BHYT; then the facility's MA_BN.
	 */
	static List<Identifier> identifiers(Submission.Row xml1, String facility) {
		List<Identifier> identifiers = new ArrayList<>();
		String idNumber = xml1.get("SO_CCCD");
		if (idNumber != null) {
			String system = idNumber.matches("[0-9]{12}") ? IdentifierSystems.CCCD
					: idNumber.matches("[0-9]{9}") ? IdentifierSystems.CMND : IdentifierSystems.PASSPORT;
			identifiers.add(ClaimCodes.identifier(system, idNumber));
		}
		for (String card : cards(xml1)) {
			identifiers.add(ClaimCodes.identifier(IdentifierSystems.BHYT, card));
		}
		if (xml1.has("MA_BN")) {
			identifiers.add(ClaimCodes.identifier(ClaimCodes.patientNumberSystem(facility), xml1.get("MA_BN")));
		}
		return identifiers;
	}

	/** Each card of the stay with its validity (GT_THE_TU / GT_THE_DEN list the cards' dates in the same order). */
	static List<Coverage> coverages(Submission.Row xml1, Reference patient) {
		List<String> cards = cards(xml1);
		List<String> from = split(xml1.get("GT_THE_TU"));
		List<String> to = split(xml1.get("GT_THE_DEN"));
		List<String> primaryCare = split(xml1.get("MA_DKBD"));
		List<Coverage> coverages = new ArrayList<>();
		for (int i = 0; i < cards.size(); i++) {
			Coverage coverage = new Coverage();
			coverage.addIdentifier(ClaimCodes.identifier(IdentifierSystems.BHYT, cards.get(i)));
			coverage.setStatus(Coverage.CoverageStatus.ACTIVE);
			coverage.setType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "PUBLICPOL",
					"public healthcare")).setText("Bảo hiểm y tế"));
			coverage.setBeneficiary(patient);
			coverage.addPayor().setDisplay("Bảo hiểm xã hội Việt Nam");
			Period period = new Period();
			if (i < from.size()) {
				period.setStartElement(ClaimValues.day(xml1, "GT_THE_TU", from.get(i)));
			}
			if (i < to.size()) {
				period.setEndElement(ClaimValues.day(xml1, "GT_THE_DEN", to.get(i)));
			}
			coverage.setPeriod(period.isEmpty() ? null : period);
			String dkbd = i < primaryCare.size() ? primaryCare.get(i) : primaryCare.isEmpty() ? null : primaryCare.get(0);
			if (dkbd != null) {
				coverage.addExtension(ClaimCodes.VN_CORE_PRIMARY_CARE, new Reference()
						.setIdentifier(ClaimCodes.identifier(IdentifierSystems.FACILITY_CODE, dkbd)));
			}
			ClaimCodes.keep(coverage, xml1, COVERAGE_KEPT);
			coverages.add(coverage);
		}
		return coverages;
	}

	/**
	 * Copies this episode's view of the citizen onto the stored Patient: demographics replaced (the
	 * latest episode states them), identifiers added (every facility's MA_BN and every card stay).
	 */
	static Patient merge(Patient stored, Patient episode) {
		Patient merged = stored.copy();
		// the PUT's URL names the record; the stored version's id and meta would only contradict it
		merged.setIdElement(null);
		merged.getMeta().setVersionId(null).setLastUpdated(null).setSource(null);
		for (Identifier identifier : episode.getIdentifier()) {
			boolean known = merged.getIdentifier().stream().anyMatch(i -> identifier.getSystem().equals(i.getSystem())
					&& identifier.getValue().equals(i.getValue()));
			if (!known) {
				merged.addIdentifier(identifier);
			}
		}
		if (episode.hasName()) {
			merged.setName(episode.getName());
		}
		merged.setGender(episode.getGender());
		if (episode.hasBirthDate()) {
			merged.setBirthDateElement(episode.getBirthDateElement());
		}
		for (String url : List.of(Canonicals.EXT_ETHNICITY, Canonicals.EXT_OCCUPATION, ClaimCodes.NATIONALITY)) {
			if (episode.hasExtension(url)) {
				merged.getExtension().removeIf(e -> url.equals(e.getUrl()));
				merged.addExtension(episode.getExtensionByUrl(url));
			}
		}
		if (episode.hasAddress()) {
			merged.setAddress(episode.getAddress());
		}
		for (ContactPoint phone : episode.getTelecom()) {
			if (merged.getTelecom().stream().noneMatch(t -> phone.getValue().equals(t.getValue()))) {
				merged.addTelecom(phone);
			}
		}
		return merged;
	}

	private static AdministrativeGender gender(Submission.Row xml1) {
		String code = xml1.get("GIOI_TINH");
		if (code == null) {
			return null;
		}
		return switch (code) {
			case "1" -> AdministrativeGender.MALE;
			case "2" -> AdministrativeGender.FEMALE;
			case "3" -> AdministrativeGender.OTHER;
			default -> throw ClaimXmlRefusals.refused(xml1.path() + "/GIOI_TINH", "GIOI_TINH '" + code
					+ "' không hợp lệ (1 nam, 2 nữ, 3 chưa xác định)", "GIOI_TINH '" + code
					+ "' is not 1 (male), 2 (female) or 3 (undetermined)");
		};
	}

	/** DIA_CHI as the text; the residence codes as VN Core's province and ward extensions (district kept verbatim). */
	private static Address address(Submission.Row xml1) {
		Address address = new Address().setUse(Address.AddressUse.HOME).setText(xml1.get("DIA_CHI"));
		if (xml1.has("MATINH_CU_TRU")) {
			Coding province = province(xml1);
			address.addExtension(ClaimCodes.VN_CORE_PROVINCE, province);
			if (!province.getCode().equals(xml1.get("MATINH_CU_TRU"))) {
				ClaimCodes.keep(address, xml1, "MATINH_CU_TRU"); // the code as sent, for writing the table back
			}
		}
		if (xml1.has("MAXA_CU_TRU")) {
			address.addExtension(ClaimCodes.VN_CORE_WARD, new Coding(ClaimCodes.codeSystem("maxa"), xml1.get("MAXA_CU_TRU"), null));
		}
		ClaimCodes.keep(address, xml1, "MAHUYEN_CU_TRU");
		if (address.hasText() || address.hasExtension()) {
			address.setCountry("VN");
		}
		return address.hasText() || address.hasExtension() ? address : new Address();
	}

	/**
	 * MATINH_CU_TRU as a province of 1 July 2025 (Resolution 202/2025/QH15: 34 provinces replace 63):
	 * a code of the 63-list through the guide's ConceptMap {@code vn-province-legacy-to-2025} (its
	 * data, VnTerminology). No date is needed to tell the lists apart: every code the two lists share
	 * maps to itself (30 Hải Dương becomes 31 Hải Phòng, while 31 stays 31). A code neither list knows
	 * is kept as sent, in the table's own code system.
	 */
	static Coding province(Submission.Row xml1) {
		String code = pad(xml1.get("MATINH_CU_TRU"), 2);
		String province = VnTerminology.provinceFromLegacy(code)
				.orElse(VnTerminology.codes(VnCodeSystem.PROVINCE).contains(code) ? code : null);
		if (province == null) {
			return new Coding(ClaimCodes.codeSystem("matinh"), xml1.get("MATINH_CU_TRU"), null);
		}
		return new Coding(VnTerminology.CS_PROVINCE, province, VnTerminology.display(VnCodeSystem.PROVINCE, province).orElse(null));
	}

	static List<String> cards(Submission.Row xml1) {
		return split(xml1.get("MA_THE_BHYT"));
	}

	private static List<String> split(String value) {
		if (value == null) {
			return List.of();
		}
		return java.util.Arrays.stream(value.split(";")).map(String::trim).filter(s -> !s.isEmpty()).toList();
	}

	private static String pad(String code, int length) {
		return code.length() >= length ? code : "0".repeat(length - code.length()) + code;
	}
}
