package vn.ehealth.fhir.server.audit;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Safeguards beyond tokens and scopes (Circular 38/2024, Official letter 6827/BYT-KCB): the public
 * directory readable without a token (package {@code directory}), and the per-client daily limit on
 * distinct patients accessed (package {@code audit}). Signed submissions are set per client.
 *
 * @param publicDirectory serve the public directory types to callers without a token (read, vread,
 *     search)
 * @param publicDirectoryTypes the resource types of the public directory (public disclosure under
 *     Circular 38/2024)
 * @param personalIdentifierSystems identifier systems of personal identifiers, removed from public
 *     views and not searchable without a scope
 * @param publicRequestsPerMinute requests without a token per client address and minute; beyond it
 *     429. 0 = no limit
 * @param dailyPatientLimit distinct patients a client may access per day unless its registration says
 *     otherwise; 0 = no limit
 * @param timeZone time zone whose midnight starts a new day for the patient limit and the volume
 *     report
 */
@ConfigurationProperties(SafeguardSettings.PREFIX)
@Validated
public record SafeguardSettings(
		@DefaultValue("true") boolean publicDirectory,
		@DefaultValue({"Organization", "Practitioner", "PractitionerRole", "HealthcareService", "Location",
				"ChargeItemDefinition", "Measure"}) List<String> publicDirectoryTypes,
		@DefaultValue({"http://fhir.ehealth.gov.vn/core/sid/national_id",
				"http://fhir.ehealth.gov.vn/core/sid/citizen_id",
				"http://fhir.ehealth.gov.vn/core/sid/insurance_number",
				"http://fhir.ehealth.gov.vn/core/sid/passport_number",
				"http://fhir.ehealth.gov.vn/core/sid/driver-license-number"}) List<String> personalIdentifierSystems,
		@DefaultValue("300") @Min(0) int publicRequestsPerMinute,
		@DefaultValue("10000") @Min(0) int dailyPatientLimit,
		@DefaultValue("Asia/Ho_Chi_Minh") @NotBlank String timeZone) {

	static final String PREFIX = "vietfhir.safeguards";
	/** The public directory switch, for {@code @ConditionalOnProperty}. */
	public static final String PUBLIC_DIRECTORY_KEY = PREFIX + ".public-directory";
}
