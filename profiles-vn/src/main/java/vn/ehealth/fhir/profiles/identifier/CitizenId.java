package vn.ehealth.fhir.profiles.identifier;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;

/**
 * Số định danh cá nhân on the căn cước công dân card (CCCD, citizen identity number), the health
 * identifier of Decision 2955/QĐ-BYT.
 *
 * <p>Twelve digits with no check digit (Circular 07/2016/TT-BCA, Circular 59/2021/TT-BCA Art. 4):
 * digits 1–3 the province where the birth was registered ("0" + a 63-list code), digit 4 century and
 * sex (1900s male 0 / female 1, 2000s 2 / 3, 2100s 4 / 5, 2200s 6 / 7, 2300s 8 / 9), digits 5–6 the
 * last two digits of the birth year, digits 7–12 random. So a number can be checked for its shape,
 * its province, and its agreement with the holder's sex and birth year; nothing more.
 *
 * <p>The same rules are the invariants {@code vn-cccd-1} … {@code vn-cccd-4} of the guide.
 */
public final class CitizenId {

	private static final Pattern TWELVE_DIGITS = Pattern.compile("^[0-9]{12}$");
	private static final int FIRST_ENCODED_CENTURY = 1900;

	/** The holder's sex as digit 4 encodes it. */
	public enum Sex {
		MALE,
		FEMALE
	}

	private CitizenId() {}

	/** Shape and province only (vn-cccd-1, vn-cccd-2): what can be said without the holder. */
	public static List<Violation> check(String cccd) {
		return check(cccd, (AdministrativeGender) null, null);
	}

	/**
	 * All rules that the given facts allow.
	 *
	 * @param cccd the number as written, no spaces
	 * @param gender the holder's administrative gender; {@code null}, {@code OTHER}, {@code UNKNOWN}
	 *     or {@code NULL} skip the sex check only
	 * @param birthYear the holder's birth year; {@code null} skips the century and year checks
	 * @return the broken rules, empty when the number is acceptable
	 */
	public static List<Violation> check(String cccd, AdministrativeGender gender, Integer birthYear) {
		List<Violation> violations = new ArrayList<>();
		if (cccd == null || !TWELVE_DIGITS.matcher(cccd).matches()) {
			violations.add(new Violation(Rule.CCCD_PATTERN,
					"Số CCCD phải gồm đúng 12 chữ số (nhận được: " + quoted(cccd, "không có") + ")",
					"A CCCD must be exactly 12 digits (got " + quoted(cccd, "none") + ")"));
			return violations;
		}
		String province = cccd.substring(0, 3);
		if (!LegacyProvinces.isKnownCccdPrefix(province)) {
			violations.add(new Violation(Rule.CCCD_PROVINCE,
					"Ba chữ số đầu của CCCD (" + province + ") không phải mã tỉnh trong danh sách 63 tỉnh, thành phố",
					"CCCD digits 1–3 (" + province + ") are not a province code of the 63-province list"));
		}
		int centuryAndSex = cccd.charAt(3) - '0';
		Sex encodedSex = centuryAndSex % 2 == 0 ? Sex.MALE : Sex.FEMALE;
		Sex expectedSex = sexOf(gender);
		if (expectedSex != null && expectedSex != encodedSex) {
			violations.add(new Violation(Rule.CCCD_SEX_DIGIT,
					"Chữ số thứ 4 của CCCD (" + centuryAndSex + ") chỉ giới tính " + vi(encodedSex)
							+ " nhưng giới tính là " + vi(expectedSex),
					"CCCD digit 4 (" + centuryAndSex + ") says " + en(encodedSex)
							+ " but the gender is " + en(expectedSex)));
		}
		if (birthYear != null) {
			int encodedCentury = FIRST_ENCODED_CENTURY + 100 * (centuryAndSex / 2);
			int birthCentury = Math.floorDiv(birthYear, 100) * 100;
			if (encodedCentury != birthCentury) {
				violations.add(new Violation(Rule.CCCD_CENTURY_DIGIT,
						"Chữ số thứ 4 của CCCD (" + centuryAndSex + ") chỉ thế kỷ sinh " + encodedCentury
								+ "–" + (encodedCentury + 99) + " nhưng năm sinh là " + birthYear,
						"CCCD digit 4 (" + centuryAndSex + ") says born " + encodedCentury + "–"
								+ (encodedCentury + 99) + " but the birth year is " + birthYear));
			}
			String yearDigits = cccd.substring(4, 6);
			String expectedYearDigits = String.format("%02d", Math.floorMod(birthYear, 100));
			if (!yearDigits.equals(expectedYearDigits)) {
				violations.add(new Violation(Rule.CCCD_BIRTH_YEAR,
						"Chữ số thứ 5–6 của CCCD (" + yearDigits + ") phải là hai số cuối của năm sinh "
								+ birthYear + " (" + expectedYearDigits + ")",
						"CCCD digits 5–6 (" + yearDigits + ") must be the last two digits of the birth year "
								+ birthYear + " (" + expectedYearDigits + ")"));
			}
		}
		return violations;
	}

	/**
	 * As {@link #check(String, AdministrativeGender, Integer)}, the gender given as its FHIR code
	 * ({@code male}, {@code female}, {@code other}, {@code unknown}); an unrecognised or null code
	 * skips the sex check.
	 */
	public static List<Violation> check(String cccd, String genderCode, Integer birthYear) {
		AdministrativeGender gender = null;
		if (genderCode != null) {
			try {
				gender = AdministrativeGender.fromCode(genderCode);
			} catch (Exception notAGenderCode) {
				gender = null;
			}
		}
		return check(cccd, gender, birthYear);
	}

	/** Whether the number passes every rule the given facts allow. */
	public static boolean isValid(String cccd, AdministrativeGender gender, Integer birthYear) {
		return check(cccd, gender, birthYear).isEmpty();
	}

	/** The full birth year that digits 4–6 encode, when the number is 12 digits. */
	public static OptionalInt birthYearOf(String cccd) {
		if (cccd == null || !TWELVE_DIGITS.matcher(cccd).matches()) {
			return OptionalInt.empty();
		}
		int century = FIRST_ENCODED_CENTURY + 100 * ((cccd.charAt(3) - '0') / 2);
		return OptionalInt.of(century + Integer.parseInt(cccd.substring(4, 6)));
	}

	/** The sex that digit 4 encodes, when the number is 12 digits. */
	public static Optional<Sex> sexOf(String cccd) {
		if (cccd == null || !TWELVE_DIGITS.matcher(cccd).matches()) {
			return Optional.empty();
		}
		return Optional.of((cccd.charAt(3) - '0') % 2 == 0 ? Sex.MALE : Sex.FEMALE);
	}

	/** The two-digit 63-list province code of digits 2–3, when digits 1–3 are a known province. */
	public static Optional<String> provinceCodeOf(String cccd) {
		if (cccd == null || !TWELVE_DIGITS.matcher(cccd).matches()
				|| !LegacyProvinces.isKnownCccdPrefix(cccd.substring(0, 3))) {
			return Optional.empty();
		}
		return Optional.of(cccd.substring(1, 3));
	}

	private static Sex sexOf(AdministrativeGender gender) {
		if (gender == null) {
			return null;
		}
		return switch (gender) {
			case MALE -> Sex.MALE;
			case FEMALE -> Sex.FEMALE;
			default -> null;
		};
	}

	private static String vi(Sex sex) {
		return sex == Sex.MALE ? "nam" : "nữ";
	}

	private static String en(Sex sex) {
		return sex == Sex.MALE ? "male" : "female";
	}

	static String quoted(String value, String whenNull) {
		return value == null ? whenNull : "\"" + value + "\"";
	}
}
