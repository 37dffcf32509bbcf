package vn.ehealth.fhir.profiles.identifier;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Mã số bảo hiểm y tế (BHYT, health insurance number) in the three forms a facility meets:
 *
 * <ul>
 *   <li>the legacy 15-character card code (mã thẻ BHYT): two letters beneficiary group, one digit
 *       benefit level 1–5, two digits province, then the 10-digit social-insurance (BHXH) number;
 *       still in claim data (field MA_THE_BHYT of Decision 130/QĐ-BYT);
 *   <li>the 10-digit BHXH number alone, printed on cards since 2021 and made a lifelong health code
 *       by Decision 2153/QĐ-BYT (2020);
 *   <li>the 12-digit CCCD, which Decree 188/2025/NĐ-CP lets a patient show instead of a card.
 * </ul>
 *
 * <p>The same rules are the invariants {@code vn-bhyt-1} … {@code vn-bhyt-3} of the guide.
 */
public final class HealthInsuranceNumber {

	/** The form a number is written in. */
	public enum Form {
		/** 15 characters, e.g. {@code DN4010123456789}. */
		CARD_CODE,
		/** 10 digits, the BHXH number. */
		BHXH_NUMBER,
		/** 12 digits, the holder's CCCD. */
		CCCD
	}

	private static final Pattern CARD_CODE = Pattern.compile("^[A-Z]{2}[1-5][0-9]{2}[0-9]{10}$");
	private static final Pattern BHXH_NUMBER = Pattern.compile("^[0-9]{10}$");
	private static final Pattern CCCD = Pattern.compile("^[0-9]{12}$");

	/**
	 * Beneficiary groups (mã đối tượng) of the card code. The list is the one in use before cards
	 * dropped the code in 2021; the {@code vn-bhyt-beneficiary-group} code system of the terminology
	 * module is the reference, and the {@code vn-bhyt-2} invariant carries the same list.
	 */
	public static final Set<String> BENEFICIARY_GROUPS = Set.of(
			"DN", "HX", "CH", "NN", "TK", "HC", "XK",
			"HT", "TB", "NO", "CT", "XB", "TN", "CS",
			"QN", "CA", "CY", "XN", "MS", "CC", "CK", "CB", "KC", "HD", "TE", "BT", "HN", "DT",
			"DK", "XD", "TS", "TC", "TQ", "TA", "TY", "HG", "LS", "PV",
			"CN", "HS", "SV", "GB", "GD");

	/**
	 * Province part (digits 4–5) of a card code: the 63-list codes, plus 97 and 98, the social
	 * insurance of the army and of the police, as in facility codes.
	 */
	private static boolean isKnownCardProvince(String twoDigits) {
		return LegacyProvinces.isKnown(twoDigits) || FacilityCode.NON_PROVINCE_PREFIXES.contains(twoDigits);
	}

	private HealthInsuranceNumber() {}

	/** The form the number is written in, if it is one of the three. */
	public static Optional<Form> formOf(String number) {
		if (number == null) {
			return Optional.empty();
		}
		if (CARD_CODE.matcher(number).matches()) {
			return Optional.of(Form.CARD_CODE);
		}
		if (BHXH_NUMBER.matcher(number).matches()) {
			return Optional.of(Form.BHXH_NUMBER);
		}
		if (CCCD.matcher(number).matches()) {
			return Optional.of(Form.CCCD);
		}
		return Optional.empty();
	}

	/** The 10-digit BHXH number a card code or a BHXH-form number carries. */
	public static Optional<String> bhxhNumberOf(String number) {
		return formOf(number).flatMap(form -> switch (form) {
			case CARD_CODE -> Optional.of(number.substring(5));
			case BHXH_NUMBER -> Optional.of(number);
			case CCCD -> Optional.empty();
		});
	}

	/** The broken rules, empty when the number is acceptable. */
	public static List<Violation> check(String number) {
		List<Violation> violations = new ArrayList<>();
		Optional<Form> form = formOf(number);
		if (form.isEmpty()) {
			violations.add(new Violation(Rule.BHYT_FORM,
					"Mã BHYT phải là mã thẻ 15 ký tự, mã số BHXH 10 chữ số hoặc số CCCD 12 chữ số (nhận được: "
							+ CitizenId.quoted(number, "không có") + ")",
					"A BHYT number must be a 15-character card code, a 10-digit BHXH number or a 12-digit CCCD (got "
							+ CitizenId.quoted(number, "none") + ")"));
			return violations;
		}
		switch (form.get()) {
			case CARD_CODE -> {
				String group = number.substring(0, 2);
				if (!BENEFICIARY_GROUPS.contains(group)) {
					violations.add(new Violation(Rule.BHYT_BENEFICIARY_GROUP,
							"Mã đối tượng " + group + " của thẻ BHYT không có trong danh mục",
							"Beneficiary group " + group + " of the BHYT card code is not a known group"));
				}
				String province = number.substring(3, 5);
				if (!isKnownCardProvince(province)) {
					violations.add(new Violation(Rule.BHYT_PROVINCE,
							"Mã tỉnh " + province + " (ký tự 4–5) của thẻ BHYT không có trong danh sách 63 tỉnh, thành phố",
							"Province code " + province + " (characters 4–5) of the BHYT card code is not in the 63-province list"));
				}
			}
			case CCCD -> {
				String province = number.substring(0, 3);
				if (!LegacyProvinces.isKnownCccdPrefix(province)) {
					violations.add(new Violation(Rule.BHYT_PROVINCE,
							"Mã BHYT dạng CCCD có ba chữ số đầu (" + province + ") không phải mã tỉnh trong danh sách 63 tỉnh, thành phố",
							"A BHYT number in CCCD form has digits 1–3 (" + province + ") that are not a province code of the 63-province list"));
				}
			}
			case BHXH_NUMBER -> {
				// the BHXH number's own structure is not published; its shape is all that can be checked
			}
		}
		return violations;
	}

	public static boolean isValid(String number) {
		return check(number).isEmpty();
	}
}
