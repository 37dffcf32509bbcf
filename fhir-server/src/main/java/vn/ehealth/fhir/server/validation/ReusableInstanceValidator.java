package vn.ehealth.fhir.server.validation;

import java.lang.reflect.Field;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r5.conformance.profile.ProfileUtilities;
import org.hl7.fhir.r5.fhirpath.IHostApplicationServices;
import org.hl7.fhir.r5.utils.validation.IValidationPolicyAdvisor;
import org.hl7.fhir.r5.utils.validation.ValidatorSession;
import org.hl7.fhir.r5.utils.validation.constants.IdStatus;
import org.hl7.fhir.r5.utils.xver.XVerExtensionManagerOld;
import org.hl7.fhir.validation.ValidatorSettings;
import org.hl7.fhir.validation.codesystem.CodingsObserver;
import org.hl7.fhir.validation.instance.InstanceValidator;

/**
 * The HL7 InstanceValidator set up as HAPI's FhirInstanceValidator sets one up, built once and used for
 * call after call. HAPI builds a new one per call, and building one reads the 1.5 MB OID registry
 * (OIDUtilities): 8 % of validation's CPU on ingest. A call starts by clearing what the validator keeps
 * from the calls before: what it clears itself (the resources and outcomes of the last call, the
 * messages it was de-duplicating) and what it would otherwise carry over: the warnings about retired
 * or deprecated definitions, said once per validator (so once per call, as with HAPI's), the codings
 * and texts it collects, lookups of profiles it fetched, the child lists of profiles it computed (a
 * profile changed since must not be read from the old list). Those last are private fields of the
 * library: they are found by name when the class loads, so an upgrade that renames one stops the
 * server at start-up instead of leaking state between requests.
 */
final class ReusableInstanceValidator extends InstanceValidator {

	/** Collections the validator itself keeps between calls (private to it or to its helpers). */
	private static final List<Field> CARRIED_OVER = List.of(
			field(InstanceValidator.class, "fetchCache"),
			field(InstanceValidator.class, "resourceTracker"),
			field(InstanceValidator.class, "xhtmlElementMap"),
			field(InstanceValidator.class, "crLookups"),
			field(InstanceValidator.class, "textsToCheck"),
			field(InstanceValidator.class, "textsToCheckKeys"));
	private static final Field CODINGS_OBSERVER = field(InstanceValidator.class, "codingObserver");
	private static final Field CODINGS_SEEN = field(CodingsObserver.class, "list");
	private static final Field PROFILE_UTILITIES = field(InstanceValidator.class, "profileUtilities");
	private static final Field CHILD_MAPS = field(ProfileUtilities.class, "childMapCache");

	private final CallCachingWorkerContext context;

	private ReusableInstanceValidator(CallCachingWorkerContext context, IHostApplicationServices hostServices) {
		super(context, hostServices, new XVerExtensionManagerOld(context), new ValidatorSession(), new ValidatorSettings());
		this.context = context;
	}

	/** A validator with the settings of {@code hapi} (HAPI's, as the JPA server configures it), on its validation chain. */
	static ReusableInstanceValidator like(FhirInstanceValidator hapi) {
		IHostApplicationServices hostServices = hapi.getHostApplicationServices() != null
				? hapi.getHostApplicationServices()
				: new FhirInstanceValidator.NullEvaluationContext();
		ReusableInstanceValidator validator =
				new ReusableInstanceValidator(new CallCachingWorkerContext(hapi.getValidationSupport()), hostServices);
		// as HAPI's ValidatorWrapper.validate configures its per-call validator
		validator.setAssumeValidRestReferences(hapi.isAssumeValidRestReferences());
		validator.setBestPracticeWarningLevel(hapi.getBestPracticeWarningLevel());
		validator.setAnyExtensionsAllowed(hapi.isAnyExtensionsAllowed());
		validator.setResourceIdRule(IdStatus.OPTIONAL);
		validator.setNoTerminologyChecks(hapi.isNoTerminologyChecks());
		validator.setErrorForUnknownProfiles(hapi.isErrorForUnknownProfiles());
		validator.setUnknownCodeSystemsCauseErrors(true);
		validator.getExtensionDomains().addAll(hapi.getExtensionDomains());
		validator.setFetcher(hapi.getValidatorResourceFetcher());
		IValidationPolicyAdvisor advisor = hapi.getValidatorPolicyAdvisor();
		validator.setPolicyAdvisor(advisor);
		validator.setNoExtensibleWarnings(hapi.isNoExtensibleWarnings());
		validator.setNoBindingMsgSuppressed(hapi.isNoBindingMsgSuppressed());
		validator.setAllowExamples(hapi.isAllowExamples());
		validator.setAllowXsiLocation(true);
		return validator;
	}

	CallCachingWorkerContext workerContext() {
		return context;
	}

	/** Forgets everything a call left behind; the validator is then as a new one, with its set-up kept. */
	void forgetLastCall() {
		statusWarnings.clear();
		trackedMessages.clear();
		messagesToRemove.clear();
		validatedContent = null;
		try {
			for (Field carried : CARRIED_OVER) {
				clear(carried.get(this));
			}
			clear(CODINGS_SEEN.get(CODINGS_OBSERVER.get(this)));
			clear(CHILD_MAPS.get(PROFILE_UTILITIES.get(this)));
		} catch (IllegalAccessException e) {
			throw new IllegalStateException("Cannot reset the HL7 validator", e);
		}
		context.forget();
	}

	private static void clear(Object collection) {
		if (collection instanceof Map<?, ?> map) {
			map.clear();
		} else if (collection instanceof Collection<?> list) {
			list.clear();
		} else if (collection != null) {
			throw new IllegalStateException("Unexpected state in the HL7 validator: " + collection.getClass());
		}
	}

	private static Field field(Class<?> owner, String name) {
		try {
			Field field = owner.getDeclaredField(name);
			field.setAccessible(true);
			return field;
		} catch (NoSuchFieldException e) {
			throw new IllegalStateException("The HL7 validator's " + owner.getSimpleName() + "." + name
					+ " is gone (library upgraded?): review ReusableInstanceValidator before reusing validators", e);
		}
	}
}
