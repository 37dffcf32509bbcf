package vn.ehealth.fhir.server.security;

import java.util.Set;

/**
 * Purposes of use a client may register and declare, from HL7 v3 PurposeOfUse
 * (http://terminology.hl7.org/CodeSystem/v3-ActReason). Circular 38/2024 (Thông tư 38/2024/TT-BYT)
 * allows data to be used only for the purpose registered; the server refuses any other.
 */
public final class PurposeOfUse {

	public static final String SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

	/** Request header naming the purpose of one request; overrides the token's purpose. */
	public static final String HEADER = "X-Purpose-Of-Use";

	/** The codes this server accepts: treatment, payment, operations, public health, research, patient request. */
	public static final Set<String> CODES = Set.of(
			"TREAT", "ETREAT", "CAREMGT", "CLINTRCH", "HPAYMT", "CLMATTCH", "COVAUTH", "COVERAGE",
			"HOPERAT", "HSYSADMIN", "HQUALIMP", "HRESCH", "PUBHLTH", "DISASTER", "THREAT",
			"PATRQT", "FAMRQT", "PWATRNY", "SUPNWK", "HLEGAL", "HDIRECT", "HMARKT", "HACCRED", "HCOMPL",
			"HOUTCOMS", "HPRGRP");

	private PurposeOfUse() {}

	public static boolean isKnown(String code) {
		return code != null && CODES.contains(code);
	}
}
