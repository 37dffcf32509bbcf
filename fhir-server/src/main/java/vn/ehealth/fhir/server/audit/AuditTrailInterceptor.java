package vn.ehealth.fhir.server.audit;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.ehealth.fhir.server.rest.RequestPipeline;
import vn.ehealth.fhir.server.security.AccessControlInterceptor;
import vn.ehealth.fhir.server.security.ClientRegistry;
import vn.ehealth.fhir.server.security.RegisteredClient;

/**
 * Writes one audit record per /fhir request that can touch patient data, refused ones included:
 * who (client, its facility, the user named by {@value #USER_HEADER}), what (interaction, the
 * patients concerned and the resources returned or written), when, purpose of use (as the security
 * layer settled it), outcome and source address.
 *
 * <p>Resources are collected while HAPI shows them (after the scope filter, so only what left the
 * server) and when it commits writes (every entry of a transaction included). The record is
 * appended synchronously just before the response is written, so a client never sees data whose
 * access is not yet on record; a failed append turns a success into a 500. One append is one short
 * statement (its own transaction); a queue with a writer thread would spare the client that wait
 * but could lose records on a crash and let a reader race the writer.
 */
public class AuditTrailInterceptor {

	/** Request header by which a client names the person using it (recorded as given, not verified). */
	static final String USER_HEADER = "X-User";
	/**
	 * RequestDetails user data key under which a feature marks the request's record with a flag for
	 * inspectors (a short code such as {@code volume-limit}); recorded as the record's {@code flag}.
	 */
	static final String FLAG = AuditTrailInterceptor.class.getName() + ".flag";

	private static final Logger log = LoggerFactory.getLogger(AuditTrailInterceptor.class);
	private static final String COLLECTED = AuditTrailInterceptor.class.getName() + ".collected";
	/** Operations that neither read nor store patient data (terminology, validation of a posted body). */
	private static final Set<String> NOT_PATIENT_DATA = Set.of(
			"$validate", "$expand", "$lookup", "$validate-code", "$translate", "$subsumes", "$closure");

	private final AuditChain chain;
	private final ClientRegistry registry;
	private final FhirContext fhirContext;

	/** What one request touched, filled from HAPI's hooks (batch entries may run on other threads). */
	private static final class Collected {
		final Set<String> patients = ConcurrentHashMap.newKeySet();
		final Set<String> resources = ConcurrentHashMap.newKeySet();
		volatile boolean written;
	}

	AuditTrailInterceptor(AuditChain chain, ClientRegistry registry, FhirContext fhirContext) {
		this.chain = chain;
		this.registry = registry;
		this.fhirContext = fhirContext;
	}

	@Hook(value = Pointcut.STORAGE_PRESHOW_RESOURCES, order = RequestPipeline.Preshow.AUDIT_TRAIL)
	public void shown(IPreResourceShowDetails details, RequestDetails request) {
		if (request == null) {
			return;
		}
		for (int i = 0; i < details.size(); i++) {
			collect(request, details.getResource(i));
		}
	}

	@Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED, order = RequestPipeline.Precommit.AUDIT_TRAIL)
	public void created(IBaseResource resource, RequestDetails request) {
		collect(request, resource);
	}

	@Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED, order = RequestPipeline.Precommit.AUDIT_TRAIL)
	public void updated(IBaseResource previous, IBaseResource resource, RequestDetails request) {
		collect(request, resource);
	}

	@Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED, order = RequestPipeline.Precommit.AUDIT_TRAIL)
	public void deleted(IBaseResource resource, RequestDetails request) {
		collect(request, resource);
	}

	@Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = RequestPipeline.OutgoingResponse.AUDIT_TRAIL)
	public boolean responding(RequestDetails request, ResponseDetails response) {
		try {
			record(request, response.getResponseCode(), null);
		} catch (RuntimeException e) {
			log.error("Audit record not written; refusing the response", e);
			throw new InternalErrorException("The access could not be recorded in the audit trail");
		}
		return true;
	}

	@Hook(value = Pointcut.SERVER_HANDLE_EXCEPTION, order = RequestPipeline.HandleException.AUDIT_TRAIL)
	public boolean failing(RequestDetails request, BaseServerResponseException exception) {
		try {
			record(request, exception.getStatusCode(), exception.getMessage());
		} catch (RuntimeException e) {
			log.error("Audit record of a refused or failed request not written", e);
		}
		return true;
	}

	/** Responses HAPI writes without the outgoing-response hook (e.g. some operations writing their own body). */
	@Hook(value = Pointcut.SERVER_PROCESSING_COMPLETED, order = RequestPipeline.ProcessingCompleted.AUDIT_TRAIL)
	public void completed(RequestDetails request) {
		Collected collected = (Collected) request.getUserData().get(COLLECTED);
		if (collected != null && collected.written) {
			return;
		}
		int status = request instanceof ServletRequestDetails servlet && servlet.getServletResponse() != null
				? servlet.getServletResponse().getStatus()
				: 200;
		try {
			record(request, status, null);
		} catch (RuntimeException e) {
			log.error("Audit record not written", e);
		}
	}

	private Collected collected(RequestDetails request) {
		return (Collected) request.getUserData().computeIfAbsent(COLLECTED, k -> new Collected());
	}

	private void collect(RequestDetails request, IBaseResource resource) {
		if (request == null || resource == null) {
			return;
		}
		String type = fhirContext.getResourceType(resource);
		if (type.equals("OperationOutcome") || type.equals("Parameters") || type.equals("Bundle")) {
			return;
		}
		Collected collected = collected(request);
		IIdType id = resource.getIdElement();
		if (id != null && id.hasIdPart()) {
			collected.resources.add(type + "/" + id.getIdPart());
		}
		PatientReferences.collect(fhirContext, resource, collected.patients);
	}

	private void record(RequestDetails request, int status, String message) {
		RestOperationTypeEnum operation = request.getRestOperationType();
		if (operation == null || operation == RestOperationTypeEnum.METADATA) {
			return;
		}
		String operationName = request.getOperation();
		if (operationName != null && NOT_PATIENT_DATA.contains(operationName) || operation == RestOperationTypeEnum.VALIDATE) {
			return;
		}
		if (Boolean.TRUE.equals(request.getUserData().get(AccessControlInterceptor.ANONYMOUS_PUBLIC_READ))) {
			return; // the public directory without a token: no patient data, and no caller to name
		}
		Collected collected = collected(request);
		synchronized (collected) {
			if (collected.written) {
				return;
			}
			collected.written = true;
		}
		patientsNamedByRequest(request, collected);

		Map<String, Object> fields = new TreeMap<>();
		put(fields, "interaction", interaction(operation));
		if (operationName != null && operationName.startsWith("$")) {
			put(fields, "operation", operationName);
		}
		put(fields, "action", action(operation));
		put(fields, "status", status);
		put(fields, "outcome", status < 400 ? "0" : status < 500 ? "4" : "8");
		put(fields, "outcome_desc", message);
		put(fields, "flag", request.getUserData().get(FLAG));
		var access = (AccessControlInterceptor.Access) request.getUserData().get(AccessControlInterceptor.ACCESS);
		if (access != null) {
			put(fields, "client_id", access.clientId());
			put(fields, "client_name", clientName(access.clientId()));
			put(fields, "facility", access.facility());
			put(fields, "purpose", access.purpose());
		}
		String user = request.getHeader(USER_HEADER);
		put(fields, "user", user == null || user.isBlank() ? null : user.trim());
		put(fields, "server", request.getFhirServerBase());
		if (request instanceof ServletRequestDetails servlet && servlet.getServletRequest() != null) {
			put(fields, "source_address", servlet.getServletRequest().getRemoteAddr());
			String query = servlet.getServletRequest().getQueryString();
			put(fields, "request", request.getRequestType() + " " + request.getRequestPath() + (query == null ? "" : "?" + query));
		}
		appendWithCollected(fields, collected);
	}

	private String clientName(String clientId) {
		return clientId == null ? null : registry.findCached(clientId).map(RegisteredClient::name).orElse(null);
	}

	/** The record, with the patients and resources the request touched, appended to the chain. */
	private void appendWithCollected(Map<String, Object> fields, Collected collected) {
		fields.put("patients", AuditChain.sorted(collected.patients));
		fields.put("resources", AuditChain.sorted(collected.resources));
		chain.append(fields, collected.patients);
	}

	/**
	 * Starts collecting what a request made outside /fhir writes; call it before the writes. HAPI gives
	 * each entry of a system request's transaction a copy of its user data, so the collection must be
	 * there first for the copies to share it.
	 */
	public void beginBackground(RequestDetails request) {
		collected(request);
	}

	/**
	 * One record for writes made on a client's behalf outside its /fhir request (a chunk of a bulk
	 * import, a sync run): the patients and resources the storage hooks collected on {@code request},
	 * with who asked and why as given in {@code context} (client_id, facility, purpose, job, source …).
	 * Nothing is recorded when nothing was written.
	 */
	public void recordBackground(RequestDetails request, String operationName, String action, Map<String, Object> context) {
		Collected collected = (Collected) request.getUserData().get(COLLECTED);
		if (collected == null || collected.resources.isEmpty()) {
			return;
		}
		appendWithCollected(backgroundFields(operationName, action, context), collected);
		collected.written = true;
	}

	/**
	 * One record for patients' data handed over in bulk outside a /fhir response (a completed
	 * export): who asked and why as given in {@code context}, the patients chosen by a query and
	 * indexed for their access log in one SQL pass (see {@link AuditChain#append(Map, PatientSelection)});
	 * {@code patients} may be null when the data concerns no patient.
	 */
	public void recordBulkAccess(String operationName, Map<String, Object> context, PatientSelection patients) {
		Map<String, Object> fields = backgroundFields(operationName, "R", context);
		if (patients == null) {
			chain.append(fields, List.of());
		} else {
			chain.append(fields, patients);
		}
	}

	private Map<String, Object> backgroundFields(String operationName, String action, Map<String, Object> context) {
		Map<String, Object> fields = new TreeMap<>();
		put(fields, "interaction", "operation");
		put(fields, "operation", operationName);
		put(fields, "action", action);
		put(fields, "status", 200);
		put(fields, "outcome", "0");
		context.forEach((key, value) -> put(fields, key, value));
		if (context.get("client_id") instanceof String clientId && !context.containsKey("client_name")) {
			put(fields, "client_name", clientName(clientId));
		}
		return fields;
	}

	/** A refused request shows nothing: the patients it asked for are what it concerned. */
	private static void patientsNamedByRequest(RequestDetails request, Collected collected) {
		IIdType id = request.getId();
		if ("Patient".equals(request.getResourceName()) && id != null && id.hasIdPart()) {
			collected.patients.add("Patient/" + id.getIdPart());
		}
		for (String parameter : new String[] {"patient", "subject", "_id"}) {
			String[] values = request.getParameters().get(parameter);
			if (values == null) {
				continue;
			}
			for (String value : values) {
				for (String one : value.split(",")) {
					one = one.trim();
					if (one.startsWith("Patient/")) {
						collected.patients.add(one);
					} else if (!one.isEmpty() && !one.contains("/")
							&& (parameter.equals("patient") || (parameter.equals("_id") && "Patient".equals(request.getResourceName())))) {
						collected.patients.add("Patient/" + one);
					}
				}
			}
		}
	}

	private static void put(Map<String, Object> fields, String key, Object value) {
		if (value != null) {
			fields.put(key, value);
		}
	}

	/** The http://hl7.org/fhir/restful-interaction code. */
	static String interaction(RestOperationTypeEnum operation) {
		return switch (operation) {
			case EXTENDED_OPERATION_INSTANCE, EXTENDED_OPERATION_TYPE, EXTENDED_OPERATION_SERVER -> "operation";
			case GET_PAGE -> "search-type";
			default -> operation.getCode();
		};
	}

	static String action(RestOperationTypeEnum operation) {
		return switch (operation) {
			case CREATE -> "C";
			case READ, VREAD, SEARCH_TYPE, SEARCH_SYSTEM, HISTORY_INSTANCE, HISTORY_TYPE, HISTORY_SYSTEM, GET_PAGE -> "R";
			case UPDATE, PATCH -> "U";
			case DELETE -> "D";
			default -> "E";
		};
	}
}
