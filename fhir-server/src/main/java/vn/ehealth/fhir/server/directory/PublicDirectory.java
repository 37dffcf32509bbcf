package vn.ehealth.fhir.server.directory;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Resource;
import vn.ehealth.fhir.server.audit.SafeguardSettings;
import vn.ehealth.fhir.server.rest.TooManyRequestsException;
import vn.ehealth.fhir.server.security.PublicReadPolicy;

/**
 * The public directory: what Circular 38/2024 (Thông tư 38/2024/TT-BYT) asks facilities to disclose —
 * licensed facilities, practitioners and their licences, working hours, services, beds, prices — read
 * and searched without a token. The public view leaves out personal identifiers (CCCD, CMND, BHYT,
 * passport, driving licence, and identifiers without a system, which could be any of them), a
 * practitioner's birth date, a narrative that spells out a removed identifier, and contained resources
 * of other types. Searches answered with that view may not reach past it: no reverse chains
 * ({@code _has}), no full-text or filter parameters (they match identifier values too), chains only into
 * public types, and identifier searches only with a system that is not personal.
 */
class PublicDirectory implements PublicReadPolicy {

	/** Parameters that can match data outside the public view. */
	private static final Set<String> NOT_PUBLIC_PARAMETERS = Set.of(
			"_has", "_content", "_text", "_filter", "_query", "_list", "_contained", "_containedType");

	private final FhirContext fhirContext;
	private final ISearchParamRegistry searchParams;
	private final Set<String> types;
	private final Set<String> personalSystems;
	private final AddressRateLimit rateLimit;

	PublicDirectory(FhirContext fhirContext, ISearchParamRegistry searchParams, SafeguardSettings settings) {
		this.fhirContext = fhirContext;
		this.searchParams = searchParams;
		this.types = Set.copyOf(settings.publicDirectoryTypes());
		this.personalSystems = Set.copyOf(settings.personalIdentifierSystems());
		this.rateLimit = new AddressRateLimit(settings.publicRequestsPerMinute());
	}

	@Override
	public boolean isPublicType(String resourceType) {
		return resourceType != null && types.contains(resourceType);
	}

	@Override
	public void checkPublicRequest(RequestDetails request, boolean anonymous) {
		if (anonymous && request instanceof ServletRequestDetails servlet && servlet.getServletRequest() != null
				&& !rateLimit.tryAcquire(servlet.getServletRequest().getRemoteAddr())) {
			throw new TooManyRequestsException(
					"Quá nhiều yêu cầu không có token từ địa chỉ này / Too many requests without a token from this address: at most "
							+ rateLimit.perMinute() + " a minute. Try again later, or use an access token.",
					60);
		}
		String type = request.getResourceName();
		if (type == null) {
			return; // a further page of a search: its resources pass the show filter
		}
		for (Map.Entry<String, String[]> parameter : request.getParameters().entrySet()) {
			checkParameter(type, parameter.getKey().split("\\."), 0, parameter.getValue());
		}
	}

	private void checkParameter(String type, String[] chain, int index, String[] values) {
		String link = chain[index];
		int colon = link.indexOf(':');
		String name = colon >= 0 ? link.substring(0, colon) : link;
		String modifier = colon >= 0 ? link.substring(colon + 1) : null;
		if (NOT_PUBLIC_PARAMETERS.contains(name) || name.startsWith("_has")) {
			throw refused(name + " reaches data outside the public directory");
		}
		RuntimeSearchParam param = searchParams.getActiveSearchParam(
				type, name, ISearchParamRegistry.SearchParamLookupContextEnum.SEARCH);
		if (param == null) {
			return; // _count, _sort, _include... or unknown: HAPI answers those
		}
		if (index < chain.length - 1) {
			List<String> targets = modifier != null ? List.of(modifier) : new ArrayList<>(param.getTargets());
			if (targets.isEmpty() || !targets.stream().allMatch(this::isPublicType)) {
				throw refused("the chain " + String.join(".", chain) + " leads outside the public directory");
			}
			for (String target : targets) {
				checkParameter(target, chain, index + 1, values);
			}
			return;
		}
		boolean identifier = param.getParamType() == RestSearchParameterTypeEnum.TOKEN
				&& param.getPath() != null && param.getPath().contains("identifier");
		if (!identifier) {
			return;
		}
		if (modifier != null && !modifier.equals("missing")) {
			throw refused("identifier:" + modifier + " could match personal identifiers");
		}
		if (modifier != null) {
			return;
		}
		for (String value : values) {
			for (String one : value.split(",")) {
				int bar = one.indexOf('|');
				String system = bar > 0 ? one.substring(0, bar) : null;
				if (system == null || personalSystems.contains(system)) {
					throw refused("an identifier search needs a system that is not a personal identifier (such as "
							+ "the facility code or licence number system)");
				}
			}
		}
	}

	private static InvalidRequestException refused(String why) {
		return new InvalidRequestException("Danh bạ công khai / Public directory: " + why
				+ ". This search needs an access token with a scope on the type.");
	}

	@Override
	public IBaseResource publicView(IBaseResource resource) {
		Resource copy = ((Resource) resource).copy();
		if (copy instanceof DomainResource domain) {
			domain.getContained().removeIf(contained -> !isPublicType(contained.fhirType()));
		}
		List<String> removed = new ArrayList<>();
		removePersonalIdentifiers(copy, (BaseRuntimeElementCompositeDefinition<?>) fhirContext.getResourceDefinition(copy), removed);
		if (copy instanceof Practitioner practitioner) {
			practitioner.setBirthDateElement(null);
		}
		if (copy instanceof DomainResource domain && domain.hasText() && domain.getText().hasDiv()) {
			String narrative = domain.getText().getDivAsString();
			if (removed.stream().anyMatch(value -> value != null && narrative.contains(value))) {
				domain.setText(null);
			}
		}
		copy.setIdElement(((Resource) resource).getIdElement());
		return copy;
	}

	/** Walks every element (contained resources and extensions too) and drops personal identifiers. */
	private void removePersonalIdentifiers(IBase element, BaseRuntimeElementCompositeDefinition<?> definition, List<String> removed) {
		for (BaseRuntimeChildDefinition child : definition.getChildren()) {
			List<IBase> values = child.getAccessor().getValues(element);
			if (values.isEmpty()) {
				continue;
			}
			List<IBase> kept = new ArrayList<>(values.size());
			for (IBase value : values) {
				if (value instanceof Identifier identifier && isPersonal(identifier)) {
					removed.add(identifier.getValue());
					continue;
				}
				kept.add(value);
				if (!(value instanceof IPrimitiveType<?>)) {
					BaseRuntimeElementDefinition<?> valueDefinition = fhirContext.getElementDefinition(value.getClass());
					if (valueDefinition instanceof BaseRuntimeElementCompositeDefinition<?> composite) {
						removePersonalIdentifiers(value, composite, removed);
					}
				}
			}
			if (kept.size() != values.size()) {
				child.getMutator().setValue(element, null);
				for (IBase value : kept) {
					child.getMutator().addValue(element, value);
				}
			}
		}
	}

	private boolean isPersonal(Identifier identifier) {
		return !identifier.hasSystem() || personalSystems.contains(identifier.getSystem());
	}
}
