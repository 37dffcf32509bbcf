package vn.ehealth.fhir.profiles.identifier;

/**
 * Identifier namespaces fixed by the guide's contract ({@code shared/docs/ig-contract.md}).
 *
 * <p>The {@code http://fhir.ehealth.gov.vn/core/sid/} namespaces are those of the Ministry of
 * Health's draft guide, reused so that data from facilities that follow it needs no rewriting.
 */
public final class IdentifierSystems {

	/** Số định danh cá nhân / căn cước công dân (CCCD), 12 digits: the health identifier. */
	public static final String CCCD = "http://fhir.ehealth.gov.vn/core/sid/national_id";

	/** Chứng minh nhân dân (CMND), the retired identity card, 9 or 12 digits. */
	public static final String CMND = "http://fhir.ehealth.gov.vn/core/sid/citizen_id";

	/** Mã thẻ bảo hiểm y tế (BHYT), health insurance number, in one of its three forms. */
	public static final String BHYT = "http://fhir.ehealth.gov.vn/core/sid/insurance_number";

	/** Passport number, free text. */
	public static final String PASSPORT = "http://fhir.ehealth.gov.vn/core/sid/passport_number";

	/** Mã cơ sở khám bệnh, chữa bệnh (facility code), 5 digits. */
	public static final String FACILITY_CODE = "http://fhir.ehealth.gov.vn/core/sid/provider-code";

	/** Số giấy phép hoạt động (facility operating licence number). */
	public static final String FACILITY_OPERATING_LICENCE =
			"http://fhir.ehealth.gov.vn/core/sid/provider-medical-license-number";

	/** Số giấy phép hành nghề / chứng chỉ hành nghề (GPHN / CCHN, practitioner licence number). */
	public static final String PRACTICE_LICENCE = "https://vietfhir.org/fhir/sid/practice-licence";

	/**
	 * VN Core's (HL7 Vietnam, {@code http://fhir.hl7.org.vn/core}) URI for the same CCCD: the profiles'
	 * {@code cccdVnCore} slices hold it to the same rules (vn-cccd-*), see shared/docs/vn-core-alignment.md.
	 */
	public static final String VN_CORE_CCCD = "http://fhir.hl7.org.vn/core/sid/cccd";

	/** VN Core's URI for the same BHYT number: the {@code bhytVnCore} slice, same rules (vn-bhyt-*). */
	public static final String VN_CORE_BHYT = "http://fhir.hl7.org.vn/core/sid/bhyt";

	/** True for a CCCD under either namespace. */
	public static boolean isCccd(String system) {
		return CCCD.equals(system) || VN_CORE_CCCD.equals(system);
	}

	/** True for a BHYT number under either namespace. */
	public static boolean isBhyt(String system) {
		return BHYT.equals(system) || VN_CORE_BHYT.equals(system);
	}

	private IdentifierSystems() {}
}
