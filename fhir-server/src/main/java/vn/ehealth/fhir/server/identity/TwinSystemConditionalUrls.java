package vn.ehealth.fhir.server.identity;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.storage.IResourcePersistentId;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Resource;
import vn.ehealth.fhir.server.rest.RequestPipeline;

/**
 * A transaction resolves its conditional URLs ahead of the entries, and a URL holding one token
 * ({@code identifier=sys|v}) it resolves by the hash of that token alone, taking only the first value
 * of an OR list (HAPI 8.8 TransactionProcessor.preFetchSearchParameterMaps): so the widening of
 * {@link EquivalentIdentifierSearch} does not reach it, and a conditional create naming VN Core's CCCD
 * would miss the Patient stored under ours. Before that, each such URL naming one of the twin systems
 * is rewritten to the system the existing record is stored under, found by one search over both
 * (only for these URLs; others are untouched). No record found: left as sent, and the entry creates.
 */
public final class TwinSystemConditionalUrls {

	private static final String IDENTIFIER = "identifier=";

	private final DaoRegistry daos;

	TwinSystemConditionalUrls(DaoRegistry daos) {
		this.daos = daos;
	}

	@Hook(value = Pointcut.STORAGE_TRANSACTION_PROCESSING, order = RequestPipeline.TransactionProcessing.TWIN_SYSTEM_CONDITIONAL_URLS)
	public void canonicalise(RequestDetails request, IBaseBundle bundle) {
		if (!(bundle instanceof Bundle r4)) {
			return;
		}
		for (Bundle.BundleEntryComponent entry : r4.getEntry()) {
			Bundle.BundleEntryRequestComponent call = entry.getRequest();
			Resource resource = entry.getResource();
			if (call.hasIfNoneExist() && resource != null) {
				call.setIfNoneExist(canonical(resource.fhirType(), call.getIfNoneExist(), request));
			}
			String url = call.getUrl();
			int query = url == null ? -1 : url.indexOf('?');
			if (query > 0 && call.getMethod() != Bundle.HTTPVerb.POST && call.getMethod() != Bundle.HTTPVerb.GET) {
				String type = url.substring(0, query);
				call.setUrl(type + "?" + canonical(type, url.substring(query + 1), request));
			}
		}
	}

	/** The query with its one twin-system identifier token under the system the stored record uses. */
	String canonical(String type, String query, RequestDetails request) {
		String bare = query.startsWith(type + "?") ? query.substring(type.length() + 1) : query;
		if (!bare.startsWith(IDENTIFIER) || bare.contains("&") || !daos.isResourceTypeSupported(type)) {
			return query;
		}
		String token = URLDecoder.decode(bare.substring(IDENTIFIER.length()), StandardCharsets.UTF_8);
		int bar = token.indexOf('|');
		String system = bar < 0 ? null : token.substring(0, bar);
		String value = bar < 0 ? null : token.substring(bar + 1);
		String twin = IdentifierNamespaces.other(system);
		if (twin == null || value.isBlank() || value.contains(",")) {
			return query;
		}
		return storedUnder(type, system, twin, value, request) ? query.replace(bare, IDENTIFIER + twin + "|" + value) : query;
	}

	/** True when exactly one record carries the value, and under the twin system rather than the one asked. */
	private boolean storedUnder(String type, String system, String twin, String value, RequestDetails request) {
		@SuppressWarnings("unchecked")
		IFhirResourceDao<IBaseResource> dao = (IFhirResourceDao<IBaseResource>) daos.getResourceDao(type);
		SearchParameterMap either = SearchParameterMap.newSynchronous()
				.add("identifier", new TokenOrListParam().add(system, value).add(twin, value));
		List<IResourcePersistentId> found = dao.searchForIds(either, request);
		if (found.size() != 1) {
			return false;
		}
		IBaseResource stored = dao.readByPid(found.get(0));
		return identifiers(stored).stream().noneMatch(i -> system.equals(i.getSystem()) && value.equals(i.getValue()))
				&& identifiers(stored).stream().anyMatch(i -> twin.equals(i.getSystem()) && value.equals(i.getValue()));
	}

	private static List<Identifier> identifiers(IBaseResource resource) {
		org.hl7.fhir.r4.model.Property property =
				resource instanceof Resource r4 ? r4.getChildByName("identifier") : null;
		return property == null ? List.of() : property.getValues().stream()
				.filter(Identifier.class::isInstance).map(Identifier.class::cast).toList();
	}
}
