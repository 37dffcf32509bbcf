package vn.ehealth.fhir.server.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Nobody writes AuditEvent resources through /fhir, whatever their scopes: the audit trail is the
 * server's own (see {@link AuditChain}), and an AuditEvent in HAPI's store could pass for a forged
 * record. Direct writes get 405, AuditEvent entries of a transaction or batch 403.
 */
public class AuditEventWriteGuard {

	private static final String AUDIT_EVENT = "AuditEvent";
	private static final Set<RestOperationTypeEnum> WRITES = Set.of(
			RestOperationTypeEnum.CREATE, RestOperationTypeEnum.UPDATE, RestOperationTypeEnum.PATCH,
			RestOperationTypeEnum.DELETE, RestOperationTypeEnum.META_ADD, RestOperationTypeEnum.META_DELETE,
			RestOperationTypeEnum.ADD_TAGS, RestOperationTypeEnum.DELETE_TAGS, RestOperationTypeEnum.UPDATE_REWRITE_HISTORY);

	private final FhirContext fhirContext;

	public AuditEventWriteGuard(FhirContext fhirContext) {
		this.fhirContext = fhirContext;
	}

	@Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, order = -100)
	public void refuseDirectWrites(RequestDetails request, RestOperationTypeEnum operation) {
		if (AUDIT_EVENT.equals(request.getResourceName())
				&& (WRITES.contains(operation) || (operation.name().startsWith("EXTENDED_OPERATION")
						&& request.getRequestType() != RequestTypeEnum.GET))) {
			throw new MethodNotAllowedException(
					"AuditEvent is read-only: the server writes the audit trail itself (GET /fhir/Patient/{id}/$access-log, /admin/audit)",
					RequestTypeEnum.GET);
		}
	}

	@Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
	public void refuseCreate(IBaseResource resource, RequestDetails request) {
		refuse(resource, request);
	}

	@Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
	public void refuseUpdate(IBaseResource previous, IBaseResource resource, RequestDetails request) {
		refuse(resource, request);
	}

	@Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
	public void refuseDelete(IBaseResource resource, RequestDetails request) {
		refuse(resource, request);
	}

	private void refuse(IBaseResource resource, RequestDetails request) {
		if (resource != null && AUDIT_EVENT.equals(fhirContext.getResourceType(resource))) {
			throw new ForbiddenOperationException("AuditEvent resources cannot be written through /fhir");
		}
	}
}
