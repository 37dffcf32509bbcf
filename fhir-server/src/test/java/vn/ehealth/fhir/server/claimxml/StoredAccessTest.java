package vn.ehealth.fhir.server.claimxml;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.server.security.AccessControlInterceptor;
import vn.ehealth.fhir.server.security.AccessToken;
import vn.ehealth.fhir.server.security.SmartScopes;

class StoredAccessTest {

	@Test
	void theCallersAccessComesBackAsItWasStored() {
		AccessToken token = new AccessToken("his-bv-01", "Organization/bv-01", SmartScopes.parse("system/Patient.cru system/*.rs vietfhir/admin"),
				"TREAT", List.of("TREAT", "PUBHLTH"), "https://idp.example", true, Instant.parse("2026-12-07T01:00:00Z"));
		AccessControlInterceptor.Access access = new AccessControlInterceptor.Access(token, "his-bv-01", "Organization/bv-01", "TREAT");

		AccessControlInterceptor.Access read = StoredAccess.read(StoredAccess.write(access));

		assertThat(read.clientId()).isEqualTo("his-bv-01");
		assertThat(read.facility()).isEqualTo("Organization/bv-01");
		assertThat(read.purpose()).isEqualTo("TREAT");
		assertThat(read.token().scopes().toString()).isEqualTo(token.scopes().toString());
		assertThat(read.token().scopes().allows("Patient", 'c')).isTrue();
		assertThat(read.token().scopes().allows("Encounter", 'c')).isFalse();
		assertThat(read.token()).usingRecursiveComparison().ignoringFields("scopes").isEqualTo(token);
		assertThat(StoredAccess.read(StoredAccess.write(null))).isNull();
	}
}
