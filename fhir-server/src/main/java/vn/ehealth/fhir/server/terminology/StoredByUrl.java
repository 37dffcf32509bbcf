package vn.ehealth.fhir.server.terminology;

import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.UriParam;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;

/** The stored conformance resource (CodeSystem, ValueSet) with a canonical URL, if any. */
final class StoredByUrl {

	private StoredByUrl() {}

	static <T extends IBaseResource> Optional<T> find(IFhirResourceDao<T> dao, String url) {
		SearchParameterMap byUrl = SearchParameterMap.newSynchronous("url", new UriParam(url));
		@SuppressWarnings("unchecked")
		Optional<T> found = dao.search(byUrl, new SystemRequestDetails()).getAllResources().stream()
				.findFirst()
				.map(resource -> (T) resource);
		return found;
	}
}
