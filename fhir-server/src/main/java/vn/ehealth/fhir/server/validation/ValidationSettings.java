package vn.ehealth.fhir.server.validation;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Profile validation of writes and $validate.
 *
 * @param defaultMode mode for every resource type the guide profiles, unless modes says otherwise:
 *     {@code enforce} (refuse a write that breaks the profile: 422, nothing stored), {@code warn}
 *     (store it and report the issues) or {@code off}
 * @param modes mode per resource type, e.g. {@code vietfhir.validation.modes.Observation=warn}
 * @param extraPackages further FHIR packages (.tgz files) to load for $validate and profiles, e.g.
 *     IPS or the Ministry's draft guide
 * @param maxReferenceChain longest chain of entries of one transaction that refer to each other by
 *     fullUrl; a deeper one is refused before validation, whose checks of in-bundle references
 *     recurse along the chain (200 links overflowed its stack)
 * @param compiledChecks whether entries of transactions and bulk imports are first checked against
 *     the profiles compiled from their snapshots: an entry those checks prove conformant skips the
 *     HL7 validator (and its warnings: best practice, narrative, displays); every other entry, and
 *     every entry with an error, is validated by it as before (docs/validation.md)
 */
@ConfigurationProperties("vietfhir.validation")
@Validated
public record ValidationSettings(
		@DefaultValue("enforce") @NotNull ValidationMode defaultMode,
		@DefaultValue Map<String, @NotNull ValidationMode> modes,
		@DefaultValue List<Path> extraPackages,
		@DefaultValue("50") @Min(1) int maxReferenceChain,
		@DefaultValue("true") boolean compiledChecks) {

	ValidationMode modeFor(String resourceType) {
		return modes.getOrDefault(resourceType, defaultMode);
	}
}
