package vn.ehealth.fhir.server.observability;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import vn.ehealth.fhir.server.rest.RequestPipeline;
import vn.ehealth.fhir.server.security.AccessControlInterceptor;

/**
 * What HAPI learnt about a /fhir request (interaction, resource type, calling client), copied onto the
 * servlet request when HAPI is done with it, for the access log and the metrics filters around the servlet.
 * Only bounded values: a resource type the server knows, an operation HAPI has a method for.
 */
public class RequestFacts {

	private static final String PREFIX = RequestFacts.class.getName() + ".";
	private static final String INTERACTION = PREFIX + "interaction";
	private static final String RESOURCE_TYPE = PREFIX + "resourceType";
	private static final String CLIENT_ID = PREFIX + "clientId";
	private static final Set<RestOperationTypeEnum> OPERATIONS = Set.of(
			RestOperationTypeEnum.EXTENDED_OPERATION_SERVER, RestOperationTypeEnum.EXTENDED_OPERATION_TYPE,
			RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE);

	private final Set<String> resourceTypes;

	RequestFacts(FhirContext fhirContext) {
		this.resourceTypes = fhirContext.getResourceTypes();
	}

	@Hook(value = Pointcut.SERVER_PROCESSING_COMPLETED, order = RequestPipeline.ProcessingCompleted.REQUEST_FACTS)
	public void completed(RequestDetails request, ServletRequestDetails servletRequest) {
		HttpServletRequest http = servletRequest.getServletRequest();
		RestOperationTypeEnum operation = request.getRestOperationType();
		// set only once HAPI found a method for the request: a client cannot make up new values
		if (operation != null) {
			http.setAttribute(INTERACTION, OPERATIONS.contains(operation) ? request.getOperation() : operation.getCode());
		}
		if (request.getResourceName() != null && resourceTypes.contains(request.getResourceName())) {
			http.setAttribute(RESOURCE_TYPE, request.getResourceName());
		}
		var access = (AccessControlInterceptor.Access) request.getUserData().get(AccessControlInterceptor.ACCESS);
		if (access != null && access.clientId() != null) {
			http.setAttribute(CLIENT_ID, access.clientId());
		}
	}

	/** The FHIR interaction code ({@code read}, {@code search-type}…) or operation ({@code $export}); "unknown" if none. */
	static String interaction(HttpServletRequest request) {
		return attribute(request, INTERACTION, "unknown");
	}

	static String resourceType(HttpServletRequest request) {
		return attribute(request, RESOURCE_TYPE, "none");
	}

	/** The client of the request's access token; "-" without one. */
	static String clientId(HttpServletRequest request) {
		return attribute(request, CLIENT_ID, "-");
	}

	private static String attribute(HttpServletRequest request, String name, String otherwise) {
		Object value = request.getAttribute(name);
		return value == null ? otherwise : value.toString();
	}
}
