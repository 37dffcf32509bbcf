package vn.ehealth.fhir.server.validation;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.i18n.Msg;
import java.util.HashMap;
import java.util.Map;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.r5.model.Resource;

/**
 * HAPI's bridge from the HL7 validator to the validation support chain, remembering for the length of
 * one validator call what each canonical URL resolved to. One call asks for the same few definitions
 * (a datatype's StructureDefinition, the guide profile, a ValueSet) thousands of times, and each ask
 * goes down the chain's caches and converts R4 to the validator's model: 8 % of validation's CPU on
 * ingest. Forgotten between calls, so a definition stored or changed meanwhile is seen as HAPI's own
 * bridge would see it. Used by one thread at a time (see {@link ReusableInstanceValidator}).
 */
final class CallCachingWorkerContext extends WorkerContextValidationSupportAdapter {

	/** What each URL resolved to this call, per type asked for; {@link #NOT_FOUND} for nothing. */
	private final Map<Class<?>, Map<String, Object>> resolved = new HashMap<>();
	private static final Object NOT_FOUND = new Object();

	CallCachingWorkerContext(IValidationSupport validationSupport) {
		super(validationSupport);
	}

	/** Every other lookup of the bridge by URL (with a version, with an exception, of a type) ends here. */
	@Override
	@SuppressWarnings("unchecked")
	public <T extends Resource> T fetchResource(Class<T> type, String url) {
		if (url == null) {
			return super.fetchResource(type, url);
		}
		Map<String, Object> ofType = resolved.computeIfAbsent(type, t -> new HashMap<>());
		Object known = ofType.get(url);
		if (known == null) {
			T fetched = super.fetchResource(type, url);
			ofType.put(url, fetched == null ? NOT_FOUND : fetched);
			return fetched;
		}
		return known == NOT_FOUND ? null : (T) known;
	}

	/**
	 * As HAPI's bridge, but the exception for a miss carries no stack trace: the validator asks for value
	 * sets that may not exist and catches the miss ({@code isValueSet}), and a trace is ~150 frames deep.
	 */
	@Override
	public <T extends Resource> T fetchResourceWithException(Class<T> type, String url) {
		T found = fetchResource(type, url);
		if (found == null) {
			throw new NotFound(Msg.code(667) + "Can not find resource of type " + type.getSimpleName() + " with uri " + url);
		}
		return found;
	}

	private static final class NotFound extends FHIRException {

		NotFound(String message) {
			super(message);
		}

		@Override
		public synchronized Throwable fillInStackTrace() {
			return this;
		}
	}

	/** Called between validator calls. */
	void forget() {
		resolved.clear();
	}
}
