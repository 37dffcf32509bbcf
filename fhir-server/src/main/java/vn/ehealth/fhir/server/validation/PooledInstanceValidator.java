package vn.ehealth.fhir.server.validation;

import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.validation.IValidationContext;
import ca.uhn.fhir.validation.IValidatorModule;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r5.elementmodel.Manager;
import org.hl7.fhir.r5.model.StructureDefinition;
import org.hl7.fhir.utilities.i18n.I18nConstants;
import org.hl7.fhir.utilities.validation.ValidationMessage;

/**
 * Validates as HAPI's FhirInstanceValidator (the JPA server's {@code myInstanceValidator}, whose settings
 * it takes), with the same profiles, the same messages and the same post-processing of them, but on HL7
 * validators kept in a small pool instead of one built per call ({@link ReusableInstanceValidator}).
 * A call borrows an idle validator (the one last returned: its caches are warm) or builds one; at most
 * {@link #IDLE} wait, so a burst of request threads does not keep one each for ever. A call that fails
 * drops its validator. Resources HAPI hands over as XML (never from our writes) go to HAPI's own module.
 */
final class PooledInstanceValidator implements IValidatorModule {

	/** The message id standing for a failure of the HL7 validator itself ({@link #fault}). */
	static final String FAULT = "VIETFHIR_VALIDATOR_FAULT";
	/** Idle validators kept: one per thread of the validation pool and of two concurrent requests. */
	private static final int IDLE = Runtime.getRuntime().availableProcessors() + 2;

	private final FhirInstanceValidator hapi;
	private final ConcurrentLinkedDeque<ReusableInstanceValidator> idle = new ConcurrentLinkedDeque<>();

	PooledInstanceValidator(FhirInstanceValidator hapi) {
		this.hapi = hapi;
	}

	@Override
	public void validateResource(IValidationContext<IBaseResource> context) {
		if (context.getResourceAsStringEncoding() != EncodingEnum.JSON) {
			hapi.validateResource(context);
			return;
		}
		ReusableInstanceValidator validator = borrow();
		List<ValidationMessage> messages;
		try {
			messages = validate(validator, context);
		} catch (RuntimeException e) {
			// the HL7 validator failed (seen: a NullPointerException on some narratives of a resource with a
			// language): what cannot be validated is an error, never a 500; the validator is dropped
			context.addValidationMessage(fault(context.getResource(), e));
			return;
		}
		giveBack(validator);
		messages.forEach(message -> context.addValidationMessage(toHapi(message)));
	}

	/** The message standing for a failure of the HL7 validator on a resource. */
	private static SingleValidationMessage fault(IBaseResource resource, RuntimeException e) {
		SingleValidationMessage message = new SingleValidationMessage();
		message.setSeverity(ResultSeverityEnum.ERROR);
		message.setMessageId(FAULT);
		message.setLocationString(resource == null ? "Resource" : resource.fhirType());
		message.setMessage("Bộ kiểm tra HL7 không kiểm được tài nguyên này, nên không thể xác nhận nó hợp lệ / The HL7 "
				+ "validator failed on this resource (" + e.getClass().getSimpleName() + "), so it cannot be shown to conform");
		return message;
	}

	static boolean isFault(SingleValidationMessage message) {
		return FAULT.equals(message.getMessageId());
	}

	private ReusableInstanceValidator borrow() {
		ReusableInstanceValidator validator = idle.pollFirst();
		return validator != null ? validator : ReusableInstanceValidator.like(hapi);
	}

	private void giveBack(ReusableInstanceValidator validator) {
		validator.forgetLastCall();
		if (idle.size() < IDLE) {
			idle.offerFirst(validator);
		}
	}

	/** As HAPI's ValidatorWrapper.validate for JSON: the profiles asked for, then those the resource declares. */
	private List<ValidationMessage> validate(ReusableInstanceValidator validator, IValidationContext<IBaseResource> context) {
		List<StructureDefinition> profiles = new ArrayList<>();
		List<ValidationMessage> unknownProfiles = new ArrayList<>();
		for (String url : context.getOptions().getProfiles()) {
			addProfile(validator, profiles, url, unknownProfiles);
		}
		String input = context.getResourceAsString();
		for (String url : declaredProfiles(input)) {
			addProfile(validator, profiles, url, unknownProfiles);
		}
		List<ValidationMessage> messages = new ArrayList<>();
		validator.validate(context.getOptions().getAppContext(), messages,
				new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), Manager.FhirFormat.JSON, profiles);
		if (profiles.isEmpty()) {
			messages.addAll(unknownProfiles);
		}
		messages.removeIf(PooledInstanceValidator::isDroppedByHapi);
		for (ValidationMessage message : messages) {
			if (I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN.equals(message.getMessageId())
					|| I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN_NOT_POLICY.equals(message.getMessageId())) {
				message.setLevel(hapi.isErrorForUnknownProfiles()
						? ValidationMessage.IssueSeverity.ERROR
						: ValidationMessage.IssueSeverity.WARNING);
			}
		}
		return messages;
	}

	/** The messages HAPI's wrapper removes: bindings without a source, and the mime-types value set not found. */
	private static boolean isDroppedByHapi(ValidationMessage message) {
		String id = message.getMessageId();
		return id != null && (id.equals(I18nConstants.TERMINOLOGY_TX_BINDING_NOSOURCE)
				|| (id.equals(I18nConstants.TERMINOLOGY_TX_VALUESET_NOTFOUND)
						&& message.getMessage().contains("http://hl7.org/fhir/ValueSet/mimetypes")));
	}

	/** meta.profile of the resource as sent to the validator. */
	private static List<String> declaredProfiles(String json) {
		List<String> urls = new ArrayList<>();
		JsonObject meta = JsonParser.parseString(json).getAsJsonObject().getAsJsonObject("meta");
		JsonElement profile = meta == null ? null : meta.get("profile");
		if (profile != null && profile.isJsonArray()) {
			profile.getAsJsonArray().forEach(url -> urls.add(url.getAsString()));
		}
		return urls;
	}

	private static void addProfile(
			ReusableInstanceValidator validator, List<StructureDefinition> profiles, String url, List<ValidationMessage> unknown) {
		try {
			StructureDefinition profile = validator.workerContext().fetchResource(StructureDefinition.class, url);
			if (profile != null) {
				profiles.add(profile);
			} else {
				unknown.add(new ValidationMessage()
						.setMessageId(I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN)
						.setLevel(ValidationMessage.IssueSeverity.ERROR)
						.setMessage("Invalid profile. Failed to retrieve profile with url=" + url));
			}
		} catch (FHIRException e) {
			// as HAPI: a profile that cannot be read is left out
		}
	}

	/** As HAPI's BaseValidatorBridge turns the HL7 validator's messages into its own. */
	private static SingleValidationMessage toHapi(ValidationMessage message) {
		SingleValidationMessage hapiMessage = new SingleValidationMessage();
		if (message.getCol() != -1) {
			hapiMessage.setLocationCol(message.getCol());
		}
		if (message.getLine() != -1) {
			hapiMessage.setLocationLine(message.getLine());
		}
		hapiMessage.setLocationString(message.getLocation());
		hapiMessage.setMessage(message.getMessage());
		if (message.getLevel() != null) {
			hapiMessage.setSeverity(ResultSeverityEnum.fromCode(message.getLevel().toCode()));
		}
		if (message.getMessageId() != null && !message.getMessageId().contains(" ")) {
			hapiMessage.setMessageId(message.getMessageId());
		}
		if (message.hasSliceInfo()) {
			hapiMessage.setSliceMessages(message.getSliceInfo().stream().map(ValidationMessage::getMessage).toList());
		}
		return hapiMessage;
	}
}
