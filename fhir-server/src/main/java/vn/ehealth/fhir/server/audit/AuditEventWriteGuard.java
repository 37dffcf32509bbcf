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
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import vn.ehealth.fhir.server.rest.RequestPipeline;

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

	private static final Set<TypeRestfulInteraction> WRITE_INTERACTIONS = Set.of(
			TypeRestfulInteraction.CREATE, TypeRestfulInteraction.UPDATE, TypeRestfulInteraction.PATCH,
			TypeRestfulInteraction.DELETE);

	private final FhirContext fhirContext;

	AuditEventWriteGuard(FhirContext fhirContext) {
		this.fhirContext = fhirContext;
	}

	@Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, order = RequestPipeline.PreHandled.AUDIT_EVENT_WRITE_GUARD)
	public void refuseDirectWrites(RequestDetails request, RestOperationTypeEnum operation) {
		if (AUDIT_EVENT.equals(request.getResourceName())
				&& (WRITES.contains(operation) || (operation.name().startsWith("EXTENDED_OPERATION")
						&& request.getRequestType() != RequestTypeEnum.GET))) {
			throw new MethodNotAllowedException(
					"AuditEvent is read-only: the server writes the audit trail itself (GET /fhir/Patient/{id}/$access-log, /admin/audit)",
					RequestTypeEnum.GET);
		}
	}

	/** What answers 405 is not advertised: AuditEvent is read and search only (conditional writes too). */
	@Hook(value = Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED, order = RequestPipeline.CapabilityStatement.AUDIT_EVENT_WRITE_GUARD)
	public void advertiseReadOnly(IBaseConformance generated) {
		for (CapabilityStatement.CapabilityStatementRestComponent rest : ((CapabilityStatement) generated).getRest()) {
			rest.getResource().stream().filter(resource -> AUDIT_EVENT.equals(resource.getType())).forEach(resource -> {
				resource.getInteraction().removeIf(interaction -> WRITE_INTERACTIONS.contains(interaction.getCode()));
				resource.setConditionalCreate(false).setConditionalUpdate(false);
				resource.setConditionalDelete(CapabilityStatement.ConditionalDeleteStatus.NOTSUPPORTED);
				resource.getOperation().removeIf(operation -> operation.getName().startsWith("meta-"));
			});
		}
	}

	@Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = RequestPipeline.Prestorage.AUDIT_EVENT_WRITE_GUARD)
	public void refuseCreate(IBaseResource resource, RequestDetails request) {
		refuse(resource, request);
	}

	@Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, order = RequestPipeline.Prestorage.AUDIT_EVENT_WRITE_GUARD)
	public void refuseUpdate(IBaseResource previous, IBaseResource resource, RequestDetails request) {
		refuse(resource, request);
	}

	@Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED, order = RequestPipeline.Prestorage.AUDIT_EVENT_WRITE_GUARD)
	public void refuseDelete(IBaseResource resource, RequestDetails request) {
		refuse(resource, request);
	}

	private void refuse(IBaseResource resource, RequestDetails request) {
		if (resource != null && AUDIT_EVENT.equals(fhirContext.getResourceType(resource))) {
			throw new ForbiddenOperationException("AuditEvent resources cannot be written through /fhir");
		}
	}
}
