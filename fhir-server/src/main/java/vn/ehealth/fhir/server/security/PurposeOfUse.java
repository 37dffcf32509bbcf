package vn.ehealth.fhir.server.security;

import java.util.List;
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
	static final Set<String> CODES = Set.of(
			"TREAT", "ETREAT", "CAREMGT", "CLINTRCH", "HPAYMT", "CLMATTCH", "COVAUTH", "COVERAGE",
			"HOPERAT", "HSYSADMIN", "HQUALIMP", "HRESCH", "PUBHLTH", "DISASTER", "THREAT",
			"PATRQT", "FAMRQT", "PWATRNY", "SUPNWK", "HLEGAL", "HDIRECT", "HMARKT", "HACCRED", "HCOMPL",
			"HOUTCOMS", "HPRGRP");

	private PurposeOfUse() {}

	static boolean isKnown(String code) {
		return code != null && CODES.contains(code);
	}

	/** The purpose of use a request is made for, and why it is refused (null when it is not). */
	record Settled(String purpose, String refusal) {}

	/**
	 * The purpose of use of one /fhir request: the {@link #HEADER} header, else the token's, else the
	 * first allowed (the client's default). A header purpose must be allowed; a token's purpose must
	 * still be registered for a client of our registry (an external issuer's token is its own proof).
	 *
	 * @param allowed the purposes registered for the client, or those an external token names
	 * @param registered whether the client is in our registry
	 */
	static Settled settle(String header, String tokenPurpose, List<String> allowed, boolean registered, String clientId) {
		if (header != null && !header.isBlank()) {
			String purpose = header.trim();
			return new Settled(purpose, allowed.contains(purpose) ? null
					: "Purpose of use " + purpose + " is not registered for client " + clientId);
		}
		if (tokenPurpose != null) {
			return new Settled(tokenPurpose, !registered || allowed.contains(tokenPurpose) ? null
					: "Purpose of use " + tokenPurpose + " is no longer registered for client " + clientId);
		}
		return new Settled(allowed.isEmpty() ? null : allowed.get(0), null);
	}
}
