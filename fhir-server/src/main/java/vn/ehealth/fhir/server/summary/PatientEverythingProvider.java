package vn.ehealth.fhir.server.summary;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.valueset.BundleTypeEnum;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.method.BaseMethodBinding;
import ca.uhn.fhir.rest.server.method.OperationMethodBinding;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import vn.ehealth.fhir.server.rest.CountParameter;
import vn.ehealth.fhir.server.security.AccessControlInterceptor;

/**
 * {@code Patient/[id]/$everything}: the patient, every current resource of its compartment (see
 * {@link PatientCompartment}), and the shared resources they reference (organisations,
 * practitioners, places, medications), in storage order, with {@code _type}, {@code _since} and
 * {@code _count}.
 *
 * <p>Paging is by key, not by a stored search: the next link carries the last row key seen, and
 * each page reads the record's keys again (a few hundred index entries) and then only its own
 * resources. So any node of a cluster can serve any page, nothing is written to read, and the
 * first page costs what a page costs. A resource added between pages appears on a later page if
 * it sorts after the cursor; Bundle.total is the count when the page was made.
 *
 * <p>Replaces HAPI's instance-level operation (its binding is dropped when bound, see
 * {@link #isHapiInstanceEverything}); HAPI's type-level {@code Patient/$everything} stays.
 */
public class PatientEverythingProvider {

	/** Resources a record references but that belong to no patient; anything else is personal. */
	static final Set<String> SHARED_TYPES = Set.of("Organization", "Practitioner", "PractitionerRole", "Location",
			"HealthcareService", "Medication", "Device", "Substance", "Endpoint");

	private final FhirContext fhirContext;
	private final PatientRecordStore store;
	private final PatientCompartment compartment;
	private final int defaultPageSize;
	private final int maxPageSize;

	PatientEverythingProvider(FhirContext fhirContext, PatientRecordStore store, PatientCompartment compartment,
			int defaultPageSize, int maxPageSize) {
		this.fhirContext = fhirContext;
		this.store = store;
		this.compartment = compartment;
		this.defaultPageSize = defaultPageSize;
		this.maxPageSize = maxPageSize;
	}

	@Operation(name = "$everything", typeName = "Patient", idempotent = true, bundleType = BundleTypeEnum.SEARCHSET)
	public Bundle everything(
			@IdParam IIdType id,
			@OperationParam(name = "_type", max = OperationParam.MAX_UNLIMITED) List<StringType> type,
			@OperationParam(name = "_since", max = 1) StringType since,
			@OperationParam(name = "_count", max = 1) StringType count,
			@OperationParam(name = "_cursor", max = 1) StringType cursor,
			RequestDetails request) {
		Set<String> types = types(type);
		Instant sinceInstant = since(since);
		int pageSize = pageSize(count);
		long after = cursor(cursor);
		long patientPid = PatientLookup.byId(store, id);

		// what the caller may not read at all is left out of the keys, so pages stay full and the total
		// is what it gets; shared types are kept (the directory shows them without scope)
		List<String> readable = new ArrayList<>();
		for (String t : compartment.types()) {
			if (AccessControlInterceptor.mayShow(request, t)) {
				readable.add(t);
			}
		}
		List<PatientRecordStore.Row> rows =
				store.everything(patientPid, compartment.memberPaths(readable), SHARED_TYPES, types, sinceInstant);
		List<Long> page = new ArrayList<>(pageSize);
		Set<String> matched = new HashSet<>();
		boolean more = false;
		for (PatientRecordStore.Row row : rows) {
			if (row.pid() <= after) {
				continue;
			}
			if (page.size() == pageSize) {
				more = true;
				break;
			}
			page.add(row.pid());
			if (row.compartment()) {
				matched.add(row.type() + "/" + row.id());
			}
		}

		Bundle bundle = new Bundle();
		bundle.setType(Bundle.BundleType.SEARCHSET);
		bundle.setTotal(rows.size());
		String self = request.getCompleteUrl();
		bundle.addLink().setRelation(Bundle.LINK_SELF).setUrl(self);
		if (more) {
			bundle.addLink().setRelation(Bundle.LINK_NEXT)
					.setUrl(nextUrl(request, id, types, since, pageSize, page.get(page.size() - 1)));
		}
		String base = request.getFhirServerBase();
		for (Resource resource : store.load(page, request)) {
			String key = resource.getIdElement().toUnqualifiedVersionless().getValue();
			bundle.addEntry()
					.setFullUrl(base + "/" + key)
					.setResource(resource)
					.getSearch().setMode(matched.contains(key) ? Bundle.SearchEntryMode.MATCH : Bundle.SearchEntryMode.INCLUDE);
		}
		return bundle;
	}

	/**
	 * HAPI's own instance-level Patient $everything, dropped when HAPI binds it (rest/DroppedBindings) so
	 * requests reach this provider (HAPI picks the first exact match, and its providers are bound before ours).
	 */
	boolean isHapiInstanceEverything(BaseMethodBinding binding) {
		return binding instanceof OperationMethodBinding operation
				&& "$everything".equals(operation.getName())
				&& "Patient".equals(operation.getResourceName())
				&& operation.isCanOperateAtInstanceLevel()
				&& operation.getProvider() != this;
	}

	private Set<String> types(List<StringType> values) {
		if (values == null || values.isEmpty()) {
			return null;
		}
		Set<String> types = new LinkedHashSet<>();
		for (StringType value : values) {
			for (String t : value.getValueNotNull().split(",")) {
				String name = t.trim();
				if (name.isEmpty()) {
					continue;
				}
				if (!fhirContext.getResourceTypes().contains(name)) {
					throw new InvalidRequestException("_type names an unknown resource type: '" + name + "'");
				}
				types.add(name);
			}
		}
		return types.isEmpty() ? null : types;
	}

	private static Instant since(StringType value) {
		if (value == null || value.getValue() == null || value.getValue().isBlank()) {
			return null;
		}
		try {
			return new InstantType(value.getValue()).getValue().toInstant();
		} catch (RuntimeException e) {
			throw new InvalidRequestException(
					"_since must be an instant such as 2025-01-01T00:00:00Z, not '" + value.getValue() + "'");
		}
	}

	private int pageSize(StringType count) {
		return Math.min(CountParameter.parse(count, defaultPageSize), maxPageSize);
	}

	private static long cursor(StringType value) {
		if (value == null || value.getValue() == null) {
			return Long.MIN_VALUE;
		}
		try {
			return Long.parseLong(value.getValue());
		} catch (NumberFormatException e) {
			throw new InvalidRequestException("_cursor is not one this server gave out: '" + value.getValue() + "'");
		}
	}

	private static String nextUrl(RequestDetails request, IIdType id, Set<String> types, StringType since, int pageSize,
			long last) {
		StringBuilder url = new StringBuilder(request.getFhirServerBase())
				.append("/Patient/").append(id.getIdPart()).append("/$everything?_count=").append(pageSize);
		if (types != null) {
			url.append("&_type=").append(encode(String.join(",", types)));
		}
		if (since != null && since.getValue() != null && !since.getValue().isBlank()) {
			url.append("&_since=").append(encode(since.getValue()));
		}
		return url.append("&_cursor=").append(last).toString();
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}
}
