package vn.ehealth.fhir.profiles.identifier;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Mã cơ sở khám bệnh, chữa bệnh (facility code) of Decision 384/QĐ-BYT (2019): five digits, the
 * first two the province code of the 63-province list, or 97 for army and 98 for police
 * facilities, the last three a sequence starting at 001.
 *
 * <p>The same rules are the invariants {@code vn-org-1} and {@code vn-org-2} of the guide.
 */
public final class FacilityCode {

	private static final Pattern FIVE_DIGITS = Pattern.compile("^[0-9]{5}$");

	/** Prefixes outside the province list: 97 Ministry of National Defence, 98 Ministry of Public Security. */
	public static final Set<String> NON_PROVINCE_PREFIXES = Set.of("97", "98");

	private FacilityCode() {}

	/** The broken rules, empty when the code is acceptable. */
	public static List<Violation> check(String code) {
		List<Violation> violations = new ArrayList<>();
		if (code == null || !FIVE_DIGITS.matcher(code).matches()) {
			violations.add(new Violation(Rule.FACILITY_CODE_PATTERN,
					"Mã cơ sở KCB phải gồm đúng 5 chữ số (nhận được: " + CitizenId.quoted(code, "không có") + ")",
					"A facility code must be exactly 5 digits (got " + CitizenId.quoted(code, "none") + ")"));
			return violations;
		}
		String prefix = code.substring(0, 2);
		if (!LegacyProvinces.isKnown(prefix) && !NON_PROVINCE_PREFIXES.contains(prefix)) {
			violations.add(new Violation(Rule.FACILITY_CODE_PATTERN,
					"Hai chữ số đầu của mã cơ sở KCB (" + prefix
							+ ") phải là mã tỉnh trong danh sách 63 tỉnh, thành phố, hoặc 97 / 98",
					"Facility code digits 1–2 (" + prefix
							+ ") must be a province code of the 63-province list, or 97 / 98"));
		}
		if (code.endsWith("000")) {
			violations.add(new Violation(Rule.FACILITY_CODE_SEQUENCE,
					"Ba chữ số cuối của mã cơ sở KCB là số thứ tự bắt đầu từ 001, không được là 000",
					"Facility code digits 3–5 are a sequence starting at 001 and cannot be 000"));
		}
		return violations;
	}

	public static boolean isValid(String code) {
		return check(code).isEmpty();
	}
}
