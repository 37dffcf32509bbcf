package vn.ehealth.fhir.tests.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.IValidatorModule;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationOptions;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationContext;
import vn.ehealth.fhir.bench.SyntheticPatients;
import vn.ehealth.fhir.server.validation.GuideValidationSupport;
import vn.ehealth.fhir.server.validation.ProfileEnforcingInterceptor;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * Issue 21: writes are validated by HL7 validators reused from call to call (HAPI builds one per
 * call). A reused validator must answer each call as a new one would: the same messages as HAPI's
 * own module, whatever it validated before on the same thread (a bad bundle, a bundle whose fullUrls
 * named other resources).
 */
class ReusedValidatorTest {

	/** The in-memory profile the write path validates each transaction chunk against (TransactionEntriesProfile). */
	private static final String CHUNK_PROFILE = "https://vietfhir.org/fhir/StructureDefinition/vietfhir-transaction-entries";

	private static FhirValidator hapi;
	private static FhirValidator reused;
	private static Map<String, String> guideProfiles;

	@BeforeAll
	static void validators() {
		ApplicationContext context = TestServer.shared().context();
		hapi = TestServer.fhirContext().newValidator();
		hapi.registerValidatorModule(context.getBean("myInstanceValidator", IValidatorModule.class));
		reused = TestServer.fhirContext().newValidator();
		reused.registerValidatorModule(context.getBean("pooledInstanceValidator", IValidatorModule.class));
		guideProfiles = ValidationCpuBenchmarkTest.guideProfiles(context.getBean(GuideValidationSupport.class), CHUNK_PROFILE);
	}

	@Test
	void eachInvalidVariantGetsHapisMessagesAndTheValidBundleAfterItGetsItsOwn() {
		List<String> validAlone = messages(hapi, chunk(v -> {}));
		for (Map.Entry<String, Consumer<Bundle>> variant : ValidationCpuBenchmarkTest.invalidVariants().entrySet()) {
			Bundle bundle = chunk(variant.getValue());
			assertThat(messages(reused, bundle)).as(variant.getKey()).isEqualTo(messages(hapi, bundle));
			// the same thread, the same pooled validator: nothing of the variant stays behind
			assertThat(messages(reused, chunk(v -> {}))).as("valid after " + variant.getKey()).isEqualTo(validAlone);
		}
	}

	@Test
	void aBundleWhoseFullUrlsNamedOtherResourcesBeforeResolvesItsOwn() {
		// both bundles use the same urn:uuid fullUrls (same seed and patient); in the second, the condition's
		// subject is the encounter's fullUrl: the type is wrong there, not in the first
		Bundle right = chunk(v -> {});
		Bundle wrong = chunk(b -> ((Condition) b.getEntry().get(1).getResource()).getSubject().setReference(b.getEntry().get(2).getFullUrl()));
		List<String> rightAlone = messages(hapi, right);
		List<String> wrongAlone = messages(hapi, wrong);
		assertThat(wrongAlone).isNotEqualTo(rightAlone);

		assertThat(messages(reused, right)).isEqualTo(rightAlone);
		assertThat(messages(reused, wrong)).isEqualTo(wrongAlone);
		assertThat(messages(reused, right)).isEqualTo(rightAlone);
	}

	@Test
	void theWritePathRefusesABadTransactionThenAcceptsAGoodOneOnTheSameThread() {
		ProfileEnforcingInterceptor validation = TestServer.shared().context().getBean(ProfileEnforcingInterceptor.class);
		Bundle bad = new SyntheticPatients(42).patientBundle(7, 2);
		((Observation) bad.getEntry().get(3).getResource()).setStatus(null);
		Bundle good = new SyntheticPatients(42).patientBundle(7, 2);

		assertThat(validation.validateEntries(bad, new SystemRequestDetails())).containsOnlyKeys(3);
		assertThat(validation.validateEntries(good, new SystemRequestDetails())).isEmpty();
		assertThat(validation.validateEntries(bad, new SystemRequestDetails())).containsOnlyKeys(3);
	}

	/** Patient 7's bundle (2 encounters) changed by {@code change}, its entries tagged with their guide profile as the write path does. */
	private static Bundle chunk(Consumer<Bundle> change) {
		Bundle bundle = new SyntheticPatients(42).patientBundle(7, 2);
		change.accept(bundle);
		bundle.getEntry().forEach(e -> e.getResource().getMeta().addProfile(guideProfiles.get(e.getResource().fhirType())));
		return bundle;
	}

	/** Every message, all it carries, in order. */
	private static List<String> messages(FhirValidator validator, Bundle bundle) {
		return validator.validateWithResult(bundle, new ValidationOptions().addProfile(CHUNK_PROFILE)).getMessages().stream()
				.map(ReusedValidatorTest::describe)
				.toList();
	}

	private static String describe(SingleValidationMessage m) {
		return m.getSeverity() + " | " + m.getLocationString() + " | " + m.getLocationLine() + ":" + m.getLocationCol()
				+ " | " + m.getMessageId() + " | " + m.getMessage() + " | " + m.getSliceMessages();
	}
}
