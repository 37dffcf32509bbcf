package vn.ehealth.fhir.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Circular 38/2024 (Thông tư 38/2024/TT-BYT): data may be used only for the purpose registered. How a
 * request's purpose of use is settled (AccessControlInterceptor) and which codes a client may register.
 */
class PurposeOfUseTest {

	private static final List<String> TREAT_THEN_RESEARCH = List.of("TREAT", "HRESCH");

	@Test
	void acceptsOnlyHl7ActReasonCodesOfThisServer() {
		assertThat(PurposeOfUse.isKnown("TREAT")).isTrue();
		assertThat(PurposeOfUse.isKnown("PUBHLTH")).isTrue();
		assertThat(PurposeOfUse.isKnown("treat")).isFalse();
		assertThat(PurposeOfUse.isKnown("SELLDATA")).isFalse();
		assertThat(PurposeOfUse.isKnown(null)).isFalse();
	}

	@Test
	void headerPurposeRegisteredForTheClientIsUsed() {
		PurposeOfUse.Settled settled = PurposeOfUse.settle(" HRESCH ", "TREAT", TREAT_THEN_RESEARCH, true, "bv-bachmai");
		assertThat(settled).isEqualTo(new PurposeOfUse.Settled("HRESCH", null));
	}

	@Test
	void refusesAHeaderPurposeNotRegisteredForTheClient() {
		PurposeOfUse.Settled settled = PurposeOfUse.settle("HMARKT", "TREAT", TREAT_THEN_RESEARCH, true, "bv-bachmai");
		assertThat(settled.purpose()).isEqualTo("HMARKT"); // the audit trail records what was asked
		assertThat(settled.refusal()).isEqualTo("Purpose of use HMARKT is not registered for client bv-bachmai");
	}

	/** An external issuer's token lists the purposes allowed: the header must be one of them too. */
	@Test
	void refusesAHeaderPurposeAnExternalTokenDoesNotName() {
		PurposeOfUse.Settled settled = PurposeOfUse.settle("HRESCH", "TREAT", List.of("TREAT"), false, "portal");
		assertThat(settled.refusal()).isNotNull();
	}

	@Test
	void withoutHeaderTheTokensPurposeIsUsed() {
		assertThat(PurposeOfUse.settle(null, "HRESCH", TREAT_THEN_RESEARCH, true, "bv-bachmai"))
				.isEqualTo(new PurposeOfUse.Settled("HRESCH", null));
		assertThat(PurposeOfUse.settle("  ", "HRESCH", TREAT_THEN_RESEARCH, true, "bv-bachmai"))
				.isEqualTo(new PurposeOfUse.Settled("HRESCH", null));
	}

	/** A token outlives a change of registration: the purpose it carries is checked again on every request. */
	@Test
	void refusesATokenPurposeNoLongerRegisteredForTheClient() {
		PurposeOfUse.Settled settled = PurposeOfUse.settle(null, "HRESCH", List.of("TREAT"), true, "bv-bachmai");
		assertThat(settled.refusal()).isEqualTo("Purpose of use HRESCH is no longer registered for client bv-bachmai");
	}

	@Test
	void anExternalTokensOwnPurposeNeedsNoRegistration() {
		assertThat(PurposeOfUse.settle(null, "PUBHLTH", List.of(), false, "portal"))
				.isEqualTo(new PurposeOfUse.Settled("PUBHLTH", null));
	}

	@Test
	void withNeitherHeaderNorTokenPurposeTheClientsFirstPurposeIsTheDefault() {
		assertThat(PurposeOfUse.settle(null, null, TREAT_THEN_RESEARCH, true, "bv-bachmai"))
				.isEqualTo(new PurposeOfUse.Settled("TREAT", null));
		assertThat(PurposeOfUse.settle(null, null, List.of(), false, "portal"))
				.isEqualTo(new PurposeOfUse.Settled(null, null));
	}

	@Test
	void aRegisteredClientsDefaultPurposeIsItsFirst() {
		assertThat(client(TREAT_THEN_RESEARCH).defaultPurpose()).isEqualTo("TREAT");
		assertThat(client(List.of()).defaultPurpose()).isNull();
	}

	private static RegisteredClient client(List<String> purposes) {
		return new RegisteredClient("bv-bachmai", "Bệnh viện Bạch Mai", null, List.of("system/*.rs"), purposes,
				"Organization/bachmai", true, false, null);
	}
}
