package vn.ehealth.fhir.server.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Resource types anyone may read without a token, and what such callers see of them: the public
 * directory of Circular 38/2024 (facilities, practitioners, services, prices), implemented in package
 * {@code directory}. A caller gets the public view when it sends no token, or when its token has no
 * scope on the type; a scope on the type gives the full resource.
 */
public interface PublicReadPolicy {

	boolean isPublicType(String resourceType);

	/**
	 * Checks a read or search answered with the public view; throws a 4xx (400 for a search parameter
	 * that would reach data beyond the public view, 429 for too many anonymous requests) otherwise.
	 *
	 * @param anonymous whether the request carries no token at all
	 */
	void checkPublicRequest(RequestDetails request, boolean anonymous);

	/** A copy of a resource of a public type as the public may see it: no personal identifiers. */
	IBaseResource publicView(IBaseResource resource);
}
