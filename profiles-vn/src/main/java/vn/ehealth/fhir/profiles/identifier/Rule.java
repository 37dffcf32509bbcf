package vn.ehealth.fhir.profiles.identifier;

/**
 * The identifier rules, each tied to the FHIRPath invariant of the guide that states the same rule
 * (the {@link #invariantKey()}), so a Java check and a profile validation name a failure alike.
 */
public enum Rule {

	/** CCCD is 12 digits (Circular 07/2016/TT-BCA; Circular 59/2021/TT-BCA Art. 4). */
	CCCD_PATTERN("vn-cccd-1"),
	/** CCCD digits 1–3 are "0" + a province code of the 63-province list. */
	CCCD_PROVINCE("vn-cccd-2"),
	/** CCCD digit 4 is even for men, odd for women. */
	CCCD_SEX_DIGIT("vn-cccd-3"),
	/** CCCD digit 4 encodes the birth century (0/1 1900s, 2/3 2000s, … 8/9 2300s). */
	CCCD_CENTURY_DIGIT("vn-cccd-3"),
	/** CCCD digits 5–6 are the last two digits of the birth year. */
	CCCD_BIRTH_YEAR("vn-cccd-4"),

	/** Facility code is 5 digits whose first two are a 63-list province code, 97 (army) or 98 (police). */
	FACILITY_CODE_PATTERN("vn-org-1"),
	/** Facility code digits 3–5 are a sequence starting at 001. */
	FACILITY_CODE_SEQUENCE("vn-org-2"),

	/** BHYT number is a 15-character card code, a 10-digit BHXH number or a 12-digit CCCD. */
	BHYT_FORM("vn-bhyt-1"),
	/** The two letters of a 15-character card code are a known beneficiary group. */
	BHYT_BENEFICIARY_GROUP("vn-bhyt-2"),
	/** The province code of a card code (digits 4–5) or of a CCCD-form number (digits 1–3) is known. */
	BHYT_PROVINCE("vn-bhyt-3");

	private final String invariantKey;

	Rule(String invariantKey) {
		this.invariantKey = invariantKey;
	}

	/** Key of the FHIRPath invariant in the guide's StructureDefinitions that states this rule. */
	public String invariantKey() {
		return invariantKey;
	}
}
