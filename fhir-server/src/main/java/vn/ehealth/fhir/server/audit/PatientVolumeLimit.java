package vn.ehealth.fhir.server.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import vn.ehealth.fhir.server.rest.RequestPipeline;
import vn.ehealth.fhir.server.rest.TooManyRequestsException;
import vn.ehealth.fhir.server.security.AccessControlInterceptor;
import vn.ehealth.fhir.server.security.ClientRegistry;
import vn.ehealth.fhir.server.security.RegisteredClient;

/**
 * The per-client daily limit on distinct patients accessed (Official letter 6827/BYT-KCB: records sold
 * in bulk from facilities): the patients whose data a read, search or operation is about to return are
 * counted for the client's day; a response that would take the client past its limit is refused with
 * 429 before any of it leaves the server, and its audit record is flagged {@value #FLAG}. Patients the
 * client already accessed that day stay readable. Writes of a facility's own records do not count.
 * The limit is the client's {@code daily_patient_limit}, else {@code vietfhir.safeguards.daily-patient-limit}.
 */
public class PatientVolumeLimit {

	static final String FLAG = "volume-limit";

	// an EnumSet: a background request without an operation type (a claim XML job) is not a write, and Set.of would throw
	private static final Set<RestOperationTypeEnum> WRITES = java.util.EnumSet.of(
			RestOperationTypeEnum.CREATE, RestOperationTypeEnum.UPDATE, RestOperationTypeEnum.PATCH,
			RestOperationTypeEnum.DELETE, RestOperationTypeEnum.TRANSACTION, RestOperationTypeEnum.BATCH);

	private final AccessVolume volume;
	private final ClientRegistry registry;
	private final FhirContext fhirContext;
	private final int defaultLimit;

	PatientVolumeLimit(AccessVolume volume, ClientRegistry registry, FhirContext fhirContext, int defaultLimit) {
		this.volume = volume;
		this.registry = registry;
		this.fhirContext = fhirContext;
		this.defaultLimit = defaultLimit;
	}

	/** After the scope filter, before the audit trail collects what is shown (RequestPipeline.Preshow). */
	@Hook(value = Pointcut.STORAGE_PRESHOW_RESOURCES, order = RequestPipeline.Preshow.PATIENT_VOLUME_LIMIT)
	public void count(IPreResourceShowDetails details, RequestDetails request) {
		if (request == null || WRITES.contains(request.getRestOperationType())) {
			return;
		}
		var access = (AccessControlInterceptor.Access) request.getUserData().get(AccessControlInterceptor.ACCESS);
		if (access == null || access.clientId() == null) {
			return; // internal work, or the public directory without a token
		}
		Set<String> patients = new HashSet<>();
		for (int i = 0; i < details.size(); i++) {
			IBaseResource resource = details.getResource(i);
			if (resource != null) {
				PatientReferences.collect(fhirContext, resource, patients);
			}
		}
		if (patients.isEmpty()) {
			return;
		}
		admitOrRefuse(request, access.clientId(), volume.admit(access.clientId(), patients, limitOf(access.clientId())));
	}

	/**
	 * The same check for patients handed over in bulk (an export), chosen by a query and counted in one
	 * SQL pass: counted for the client's day if they fit its limit, else 429 and the request flagged.
	 */
	public void admitBulk(RequestDetails request, String clientId, PatientSelection patients) {
		admitOrRefuse(request, clientId, volume.admit(clientId, patients, limitOf(clientId)));
	}

	private int limitOf(String clientId) {
		Integer own = registry.findCached(clientId).map(RegisteredClient::dailyPatientLimit).orElse(null);
		return own != null ? own : defaultLimit;
	}

	private void admitOrRefuse(RequestDetails request, String clientId, AccessVolume.Admission admission) {
		if (!admission.admitted()) {
			int limit = limitOf(clientId);
			request.getUserData().put(AuditTrailInterceptor.FLAG, FLAG);
			ZonedDateTime now = ZonedDateTime.now(volume.zone());
			long untilMidnight = Duration.between(now, now.toLocalDate().plusDays(1).atStartOfDay(volume.zone())).toSeconds();
			throw new TooManyRequestsException(
					"Vượt giới hạn số người bệnh truy cập trong ngày / Daily patient limit reached: client "
							+ clientId + " has accessed " + admission.patients() + " distinct patients today (limit "
							+ limit + ") and this response concerns patients it has not accessed today. "
							+ "Patients already accessed today stay readable; the limit resets at midnight "
							+ volume.zone() + ". The request is recorded and flagged for inspection.",
					(int) Math.max(1, untilMidnight));
		}
	}
}
