package vn.ehealth.fhir.server.identity;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import vn.ehealth.fhir.profiles.identifier.IdentifierSystems;

/**
 * The two Vietnamese identifier namespaces as one: the Ministry's 2020 draft guide (ours,
 * {@code http://fhir.ehealth.gov.vn/core/sid/...}) and VN Core by HL7 Vietnam
 * ({@code http://fhir.hl7.org.vn/core/sid/...}) name the same CCCD, CMND, passport, BHYT card and
 * facility code with different URIs (shared/docs/vn-core-alignment.md). A citizen is one citizen
 * whichever a facility used, so search, uniqueness and matching treat each pair as one system.
 */
public final class IdentifierNamespaces {

	/** VN Core's CCCD (số định danh cá nhân), the same 12 digits as {@link IdentifierSystems#CCCD}. */
	public static final String VN_CORE_CCCD = IdentifierSystems.VN_CORE_CCCD;
	/** VN Core's old identity card (CMND, retired there). */
	public static final String VN_CORE_CMND = "http://fhir.hl7.org.vn/core/sid/cmnd";
	/** VN Core's passport number. */
	public static final String VN_CORE_PASSPORT = "http://fhir.hl7.org.vn/core/sid/passport";
	/** VN Core's BHYT card number, all three forms. */
	public static final String VN_CORE_BHYT = IdentifierSystems.VN_CORE_BHYT;
	/** VN Core's facility code (MA_CSKCB). */
	public static final String VN_CORE_FACILITY_CODE = "http://fhir.hl7.org.vn/core/sid/ma-cskcb";

	/** Both systems of the CCCD: the identifier the one-patient-per-citizen rule is about. */
	public static final Set<String> CCCD_SYSTEMS = Set.of(IdentifierSystems.CCCD, VN_CORE_CCCD);

	private static final Map<String, String> OTHER = Map.of(
			IdentifierSystems.CCCD, VN_CORE_CCCD, VN_CORE_CCCD, IdentifierSystems.CCCD,
			IdentifierSystems.CMND, VN_CORE_CMND, VN_CORE_CMND, IdentifierSystems.CMND,
			IdentifierSystems.PASSPORT, VN_CORE_PASSPORT, VN_CORE_PASSPORT, IdentifierSystems.PASSPORT,
			IdentifierSystems.BHYT, VN_CORE_BHYT, VN_CORE_BHYT, IdentifierSystems.BHYT,
			IdentifierSystems.FACILITY_CODE, VN_CORE_FACILITY_CODE, VN_CORE_FACILITY_CODE, IdentifierSystems.FACILITY_CODE);

	// vn-cccd-1: 12 digits, no check digit (Circular 59/2021/TT-BCA Art. 4)
	private static final Pattern TWELVE_DIGITS = Pattern.compile("[0-9]{12}");

	private IdentifierNamespaces() {}

	/** The system itself and, for the five shared identifiers, the other guide's URI for it. */
	public static List<String> equivalents(String system) {
		String other = system == null ? null : OTHER.get(system);
		return other == null ? Collections.singletonList(system) : List.of(system, other);
	}

	/** The other guide's URI for the same identifier, or null when the system has no twin. */
	static String other(String system) {
		return system == null ? null : OTHER.get(system);
	}

	/**
	 * The CCCD as the uniqueness rule keys it (surrounding blanks dropped), or null when the value
	 * is blank or malformed: such a value never makes two records one citizen.
	 */
	static String normalisedCccd(String system, String value) {
		if (system == null || value == null || !CCCD_SYSTEMS.contains(system)) {
			return null;
		}
		String trimmed = value.strip();
		return TWELVE_DIGITS.matcher(trimmed).matches() ? trimmed : null;
	}
}
