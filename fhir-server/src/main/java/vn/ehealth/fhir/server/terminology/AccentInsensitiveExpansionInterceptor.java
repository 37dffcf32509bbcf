package vn.ehealth.fhir.server.terminology;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.ValueSet;
import vn.ehealth.fhir.server.rest.RequestPipeline;

/**
 * Makes {@code ValueSet/$expand?filter=} ignore Vietnamese diacritics, so "ha noi" finds "Hà Nội"
 * and "quang" finds "Quảng Ninh". HAPI's filter compares text as written; here the filter (with
 * count and offset) is taken off the request, HAPI expands in full, and the expansion is filtered on
 * folded code, display and designations, then paged.
 */
@Interceptor
public class AccentInsensitiveExpansionInterceptor {

	private static final String FILTER = "filter";
	private static final String COUNT = "count";
	private static final String OFFSET = "offset";
	private static final String STASH = AccentInsensitiveExpansionInterceptor.class.getName();

	// before HAPI turns the query into operation arguments (as SearchNarrowingInterceptor does)
	@Hook(value = Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED, order = RequestPipeline.PostProcessed.ACCENT_INSENSITIVE_EXPANSION)
	public void takeFilterOff(RequestDetails request) {
		if (!"$expand".equals(request.getOperation()) || !"ValueSet".equals(request.getResourceName())) {
			return;
		}
		Map<String, String[]> parameters = request.getParameters();
		if (!parameters.containsKey(FILTER)) {
			return;
		}
		Paging paging = new Paging(
				first(parameters, FILTER), integer(parameters, OFFSET, 0), integer(parameters, COUNT, Integer.MAX_VALUE));
		Map<String, String[]> rest = new HashMap<>(parameters);
		rest.remove(FILTER);
		rest.remove(COUNT);
		rest.remove(OFFSET);
		request.setParameters(rest);
		request.getUserData().put(STASH, paging);
	}

	@Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = RequestPipeline.OutgoingResponse.ACCENT_INSENSITIVE_EXPANSION)
	public void filterExpansion(RequestDetails request, ResponseDetails response) {
		if (!(request.getUserData().get(STASH) instanceof Paging paging)
				|| !(response.getResponseResource() instanceof ValueSet expanded)) {
			return;
		}
		// HAPI may hand out its cached expansion: work on a copy
		ValueSet valueSet = expanded.copy();
		response.setResponseResource(valueSet);
		ValueSet.ValueSetExpansionComponent expansion = valueSet.getExpansion();
		List<ValueSet.ValueSetExpansionContainsComponent> matching = new ArrayList<>();
		collect(expansion.getContains(), paging.filter(), matching);
		int from = Math.min(paging.offset(), matching.size());
		int to = (int) Math.min((long) from + paging.count(), matching.size());
		expansion.setContains(new ArrayList<>(matching.subList(from, to)));
		expansion.setTotal(matching.size());
		expansion.setOffset(paging.offset());
		expansion.getParameter().removeIf(p -> FILTER.equals(p.getName()) || COUNT.equals(p.getName()));
		expansion.addParameter().setName(FILTER).setValue(new org.hl7.fhir.r4.model.StringType(paging.filter()));
		if (paging.count() != Integer.MAX_VALUE) {
			expansion.addParameter().setName(COUNT).setValue(new org.hl7.fhir.r4.model.IntegerType(paging.count()));
		}
	}

	/** Flattens nested contains (hierarchical expansions) while matching, keeping the codes' order. */
	private static void collect(
			List<ValueSet.ValueSetExpansionContainsComponent> contains,
			String filter,
			List<ValueSet.ValueSetExpansionContainsComponent> matching) {
		for (ValueSet.ValueSetExpansionContainsComponent concept : contains) {
			List<String> texts = new ArrayList<>();
			texts.add(concept.getCode());
			texts.add(concept.getDisplay());
			concept.getDesignation().forEach(d -> texts.add(d.getValue()));
			if (concept.hasCode() && VietnameseText.matches(filter, texts)) {
				matching.add(concept.copy().setContains(new ArrayList<>()));
			}
			collect(concept.getContains(), filter, matching);
		}
	}

	private static String first(Map<String, String[]> parameters, String name) {
		String[] values = parameters.get(name);
		return values == null || values.length == 0 ? null : values[0];
	}

	private static int integer(Map<String, String[]> parameters, String name, int fallback) {
		String value = first(parameters, name);
		if (value == null || value.isBlank()) {
			return fallback;
		}
		try {
			int parsed = Integer.parseInt(value.trim());
			if (parsed < 0) {
				throw new NumberFormatException();
			}
			return parsed;
		} catch (NumberFormatException e) {
			throw new InvalidRequestException("Parameter '" + name + "' must be a non-negative integer, got: " + value);
		}
	}

	private record Paging(String filter, int offset, int count) {}
}
