package vn.ehealth.fhir.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SMART App Launch v2 scopes (and the v1 forms), as tokens carry them and /auth/token grants them. */
class SmartScopesTest {

	/** SMART v1 suffixes map to v2 permission letters: read = rs, write = cud, * = cruds. */
	@ParameterizedTest
	@CsvSource({
		"system/Patient.read, rs",
		"system/Patient.write, cud",
		"system/Patient.*, cruds",
		"system/Patient.cruds, cruds",
		"system/Patient.rs, rs",
		"system/Patient.c, c",
	})
	void readsV1FormsAsTheirV2Permissions(String scope, String permissions) {
		assertThat(SmartScopes.resourceScope(scope)).isEqualTo(new SmartScopes.ResourceScope("system", "Patient", permissions));
	}

	/** SMART v2: permissions are distinct letters of "cruds" in that order; anything else is no resource scope. */
	@ParameterizedTest
	@ValueSource(strings = {"system/Patient.sr", "system/Patient.rr", "system/Patient.x", "system/patient.rs",
			"patient/Patient.rs", "user/*.reads", "system/Patient", "system/Patient.rs extra"})
	void refusesMalformedResourceScopes(String scope) {
		assertThat(SmartScopes.resourceScope(scope)).isNull();
		assertThat(SmartScopes.isGrantable(scope)).isFalse();
	}

	@Test
	void grantsOnlyWellFormedResourceScopesAndTheAdminScope() {
		assertThat(SmartScopes.isGrantable("system/*.rs")).isTrue();
		assertThat(SmartScopes.isGrantable(SmartScopes.ADMIN)).isTrue();
		assertThat(SmartScopes.isGrantable("openid")).isFalse();
	}

	/** A person signed in at the issuer (the dashboard): user/ scopes grant their types, never $export nor our own tokens. */
	@Test
	void userScopesGrantTheirTypesButNoSystemWideInteractionAndAreNeverIssuedByUs() {
		SmartScopes user = SmartScopes.parse("user/MeasureReport.r user/*.rs");
		assertThat(user.allows("MeasureReport", 'r')).isTrue();
		assertThat(user.allows("Patient", 's')).isTrue();
		assertThat(user.allows("Patient", 'u')).isFalse();
		assertThat(user.allowsAllTypes('r')).isFalse();
		assertThat(SmartScopes.parse("system/*.rs").allowsAllTypes('r')).isTrue();
		assertThat(SmartScopes.isGrantable("user/MeasureReport.r")).isFalse();
		assertThat(SmartScopes.parse("system/*.cruds").grant(SmartScopes.parse("user/Patient.rs system/Observation.r")).toString())
				.isEqualTo("system/Observation.r");
		// patient/ scopes would need compartment enforcement: they grant nothing
		assertThat(SmartScopes.parse("patient/Patient.rs").allows("Patient", 'r')).isFalse();
	}

	@Test
	void keepsOtherScopesAsOpaqueNames() {
		SmartScopes scopes = SmartScopes.parse("system/Patient.rs vietfhir/admin launch");
		assertThat(scopes.has(SmartScopes.ADMIN)).isTrue();
		assertThat(scopes.has("launch")).isTrue();
		assertThat(scopes.allows("Patient", 'r')).isTrue();
	}

	@Test
	void blankOrMissingScopeStringsGrantNothing() {
		assertThat(SmartScopes.parse((String) null).isEmpty()).isTrue();
		assertThat(SmartScopes.parse("   ").isEmpty()).isTrue();
		assertThat(SmartScopes.parse(Arrays.asList(null, "", " ")).isEmpty()).isTrue();
	}

	@Test
	void allowsAnInteractionOnlyWhereTypeAndPermissionBothMatch() {
		SmartScopes scopes = SmartScopes.parse("system/Patient.rs system/Observation.c");
		assertThat(scopes.allows("Patient", 's')).isTrue();
		assertThat(scopes.allows("Patient", 'c')).isFalse();
		assertThat(scopes.allows("Observation", 'c')).isTrue();
		assertThat(scopes.allows("Observation", 'r')).isFalse();
		assertThat(scopes.allows("Condition", 'r')).isFalse();
	}

	@Test
	void wildcardTypeAllowsEveryTypeButOnlyItsPermissions() {
		SmartScopes scopes = SmartScopes.parse("system/*.rs");
		assertThat(scopes.allows("Condition", 'r')).isTrue();
		assertThat(scopes.allows("Condition", 'u')).isFalse();
		assertThat(scopes.allowsAllTypes('s')).isTrue();
	}

	/** System-wide interactions ($export, history, system search) need system/*, not a scope on every type. */
	@Test
	void scopesOnEachTypeAreNotScopesOnAllTypes() {
		assertThat(SmartScopes.parse("system/Patient.rs system/Observation.rs").allowsAllTypes('r')).isFalse();
	}

	@Test
	void showsResourcesOfATypeWithReadOrSearch() {
		SmartScopes scopes = SmartScopes.parse("system/Patient.s system/Observation.r system/Condition.c");
		assertThat(scopes.allowsShowing("Patient")).isTrue();
		assertThat(scopes.allowsShowing("Observation")).isTrue();
		assertThat(scopes.allowsShowing("Condition")).isFalse();
	}

	@Test
	void grantsOnlyScopesTheClientIsRegisteredFor() {
		SmartScopes registered = SmartScopes.parse("system/Patient.rs system/Observation.rs");
		SmartScopes granted = registered.grant(SmartScopes.parse("system/Patient.rs system/Condition.rs"));
		assertThat(granted.toString()).isEqualTo("system/Patient.rs");
	}

	@Test
	void narrowsARequestedWildcardToTheRegisteredTypes() {
		SmartScopes registered = SmartScopes.parse("system/Patient.rs system/Observation.cruds");
		assertThat(registered.grant(SmartScopes.parse("system/*.read")).toString())
				.isEqualTo("system/Patient.rs system/Observation.rs");
	}

	@Test
	void narrowsPermissionsToThoseRegistered() {
		SmartScopes registered = SmartScopes.parse("system/*.rs");
		assertThat(registered.grant(SmartScopes.parse("system/Patient.cruds")).toString()).isEqualTo("system/Patient.rs");
		assertThat(registered.grant(SmartScopes.parse("system/Patient.cud")).isEmpty()).isTrue();
	}

	@Test
	void grantsOtherScopesOnlyWhenRegisteredVerbatim() {
		SmartScopes registered = SmartScopes.parse("system/Patient.rs vietfhir/admin");
		assertThat(registered.grant(SmartScopes.parse("vietfhir/admin openid")).toString()).isEqualTo("vietfhir/admin");
		assertThat(SmartScopes.parse("system/*.cruds").grant(SmartScopes.parse("vietfhir/admin")).isEmpty()).isTrue();
	}

	/** A scope on a type FHIR R4 does not have means nothing, so it is never granted. */
	@Test
	void dropsScopesOnTypesThatAreNotResourceTypes() {
		SmartScopes requested = SmartScopes.parse("system/Patient.rs system/Unicorn.rs system/*.s vietfhir/admin");
		assertThat(requested.onlyTypes(Set.of("Patient", "Observation")).toString())
				.isEqualTo("system/Patient.rs system/*.s vietfhir/admin");
	}

	/** The token's scope claim is parsed back into the same scopes. */
	@Test
	void writesTheScopeClaimItReads() {
		SmartScopes scopes = SmartScopes.parse(List.of("system/Patient.read", "system/*.s", "vietfhir/admin"));
		assertThat(scopes.toString()).isEqualTo("system/Patient.rs system/*.s vietfhir/admin");
		assertThat(SmartScopes.parse(scopes.toString()).toString()).isEqualTo(scopes.toString());
	}
}
