package vn.ehealth.fhir.server.rest;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.instance.model.api.IBaseParameters;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Writes HAPI would store but FHIR does not allow, refused with 400 before anything is stored:
 * a resource id outside FHIR's id rule or one that is a path segment ({@code .}, {@code ..}: the
 * resource could not be addressed by its URL); a transaction or batch Bundle without a type; a
 * transaction or batch entry whose request.url names another type than its resource.
 */
public final class RefusedWrites {

	/** FHIR R4 datatype id: https://hl7.org/fhir/R4/datatypes.html#id */
	private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

	private final FhirContext fhirContext;

	RefusedWrites(FhirContext fhirContext) {
		this.fhirContext = fhirContext;
	}

	/**
	 * Every create through /fhir (PUT, transaction entry): HAPI drops the id of a POSTed resource, so
	 * only client-assigned ids reach here. A registered server interceptor, so writes of the server's
	 * own (package install, system requests) do not pass here.
	 */
	@Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = RequestPipeline.Prestorage.REFUSED_WRITES)
	public void checkNewId(IBaseResource resource) {
		String id = resource.getIdElement().getIdPart();
		if (id != null) {
			checkId(id, fhirContext.getResourceType(resource) + "/" + id);
		}
	}

	@Hook(value = Pointcut.STORAGE_TRANSACTION_PROCESSING, order = RequestPipeline.TransactionProcessing.REFUSED_WRITES)
	public void checkBundle(IBaseBundle bundle, RequestDetails request) {
		if (!(bundle instanceof Bundle r4) || (r4.getEntry().isEmpty() && request != null
				&& request.getResource() instanceof IBaseParameters)) {
			return; // an empty Bundle an operation built (HAPI's $merge, when nothing refers to the source), which writes nothing
		}
		if (r4.getType() == null) {
			throw new InvalidRequestException("Bundle.type bị thiếu: cần 'transaction' hoặc 'batch' / "
					+ "Bundle.type is missing: a Bundle posted to the server base must be a 'transaction' or a 'batch'");
		}
		List<Bundle.BundleEntryComponent> entries = r4.getEntry();
		for (int i = 0; i < entries.size(); i++) {
			checkEntry(entries.get(i), "Bundle.entry[" + i + "]");
		}
	}

	private void checkEntry(Bundle.BundleEntryComponent entry, String where) {
		Bundle.HTTPVerb method = entry.getRequest().getMethod();
		String url = entry.getRequest().getUrl();
		if (!entry.hasResource() || url == null || url.contains("://")
				|| (method != Bundle.HTTPVerb.POST && method != Bundle.HTTPVerb.PUT)) {
			return; // absolute URLs, PATCH bodies (Binary, Parameters), reads and deletes: HAPI checks these
		}
		int query = url.indexOf('?');
		String[] path = (query >= 0 ? url.substring(0, query) : url).replaceFirst("^/", "").split("/");
		if (path.length > 2 || Arrays.stream(path).anyMatch(p -> p.startsWith("$") || p.startsWith("_"))) {
			return; // operations ($validate with Parameters …) and _search: not a write of the entry's resource
		}
		String resourceType = fhirContext.getResourceType(entry.getResource());
		if (!path[0].equals(resourceType)) {
			throw new InvalidRequestException(where + ".request.url '" + url + "' ghi loại " + path[0] + " nhưng tài nguyên là "
					+ resourceType + " / " + where + ".request.url '" + url + "' names the type " + path[0]
					+ " but the entry's resource is a " + resourceType);
		}
		if (method == Bundle.HTTPVerb.PUT && path.length == 2) {
			checkId(path[1], where + ".request.url '" + url + "'");
		}
	}

	private static void checkId(String id, String where) {
		if (!FHIR_ID.matcher(id).matches() || id.equals(".") || id.equals("..")) {
			throw new InvalidRequestException("Mã định danh tài nguyên không hợp lệ: " + where
					+ " (1-64 ký tự A-Z a-z 0-9 - ., không phải '.' hay '..') / Invalid resource id: " + where
					+ " (FHIR id: 1-64 of A-Z a-z 0-9 - ., and not '.' or '..', which are path segments)");
		}
	}
}
