package vn.ehealth.fhir.server.identity;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.model.api.IQueryParameterType;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.r4.model.Bundle;
import vn.ehealth.fhir.server.rest.RequestPipeline;

/**
 * Every search HAPI's JPA runs (a search, the match URL of a conditional create, update or delete,
 * the entries and conditional URLs of a transaction or batch, {@code $everything}'s patient lookup)
 * passes {@link Pointcut#STORAGE_PRESEARCH_REGISTERED} with its SearchParameterMap, which a hook may
 * change (HAPI's own NicknameInterceptor widens names there). A token naming one of the twin
 * systems of {@link IdentifierNamespaces} gets the other system OR-ed in, so
 * {@code identifier=sysA|v} finds what was stored as {@code sysB|v} (and {@code sysA|} finds both
 * namespaces); so does a chained identifier ({@code subject.identifier=sysA|v}). A value without a
 * system already matches every system. Tokens with a modifier ({@code :not}, {@code :of-type}, ...)
 * are left as they are: OR-ing a negation would widen it to everything.
 */
public final class EquivalentIdentifierSearch {

	@Hook(value = Pointcut.STORAGE_PRESEARCH_REGISTERED, order = RequestPipeline.PresearchRegistered.EQUIVALENT_IDENTIFIERS)
	public void widen(SearchParameterMap map) {
		Map<String, List<List<IQueryParameterType>>> changed = new LinkedHashMap<>();
		for (Map.Entry<String, List<List<IQueryParameterType>>> parameter : map.entrySet()) {
			List<List<IQueryParameterType>> ands = new ArrayList<>(parameter.getValue());
			boolean any = false;
			for (int i = 0; i < ands.size(); i++) {
				List<IQueryParameterType> widened = widen(ands.get(i));
				if (widened != null) {
					ands.set(i, widened);
					any = true;
				}
			}
			if (any) {
				changed.put(parameter.getKey(), ands);
			}
		}
		changed.forEach(map::put);
	}

	/**
	 * A transaction resolves conditional URLs written {@code Type?…} ahead of its entries, by one
	 * token's hash (HAPI 8.8, {@code TransactionProcessor}'s pre-fetch), without the hook above: the
	 * twin system would not be searched, and a Patient stored under it would meet the one-CCCD rule
	 * (409) instead of being found. An entry's {@code ifNoneExist} naming a twin-system identifier is
	 * written without its type (the same condition: the type is the entry's), which HAPI resolves by
	 * a full search, widened above.
	 */
	@Hook(value = Pointcut.STORAGE_TRANSACTION_PROCESSING, order = RequestPipeline.TransactionProcessing.EQUIVALENT_IDENTIFIERS)
	public void conditionalCreates(IBaseBundle bundle) {
		if (!(bundle instanceof Bundle r4)) {
			return;
		}
		for (Bundle.BundleEntryComponent entry : r4.getEntry()) {
			String condition = entry.getRequest().getIfNoneExist();
			String typed = entry.hasResource() ? entry.getResource().fhirType() + "?" : null;
			if (condition != null && typed != null && condition.startsWith(typed) && namesTwinIdentifier(condition.substring(typed.length()))) {
				entry.getRequest().setIfNoneExist(condition.substring(typed.length()));
			}
		}
	}

	private static boolean namesTwinIdentifier(String query) {
		for (String parameter : query.split("&")) {
			int equals = parameter.indexOf('=');
			String name = equals < 0 ? parameter : parameter.substring(0, equals);
			if (equals < 0 || !(name.equals("identifier") || name.endsWith(".identifier"))) {
				continue;
			}
			for (String value : URLDecoder.decode(parameter.substring(equals + 1), StandardCharsets.UTF_8).split(",")) {
				int bar = value.indexOf('|');
				if (bar > 0 && IdentifierNamespaces.other(value.substring(0, bar)) != null) {
					return true;
				}
			}
		}
		return false;
	}

	/** The OR list with each twin-system token's twin added (once), or null when nothing changes. */
	static List<IQueryParameterType> widen(List<IQueryParameterType> ors) {
		List<IQueryParameterType> added = new ArrayList<>();
		for (IQueryParameterType or : ors) {
			IQueryParameterType twin = twin(or);
			if (twin != null && !ors.contains(twin) && !added.contains(twin)) {
				added.add(twin);
			}
		}
		if (added.isEmpty()) {
			return null;
		}
		List<IQueryParameterType> widened = new ArrayList<>(ors);
		widened.addAll(added);
		return widened;
	}

	private static IQueryParameterType twin(IQueryParameterType parameter) {
		if (parameter instanceof TokenParam token) {
			String other = IdentifierNamespaces.other(token.getSystem());
			if (other == null || token.getModifier() != null || token.getMissing() != null) {
				return null;
			}
			return new TokenParam(other, token.getValue());
		}
		if (parameter instanceof ReferenceParam reference && isChainedIdentifier(reference)) {
			String value = reference.getValue();
			int bar = value == null ? -1 : value.indexOf('|');
			String other = bar < 0 ? null : IdentifierNamespaces.other(value.substring(0, bar));
			if (other == null) {
				return null;
			}
			return new ReferenceParam(reference.getResourceType(), reference.getChain(), other + value.substring(bar));
		}
		return null;
	}

	private static boolean isChainedIdentifier(ReferenceParam reference) {
		String chain = reference.getChain();
		return reference.getMissing() == null
				&& chain != null && (chain.equals("identifier") || chain.endsWith(".identifier"));
	}
}
