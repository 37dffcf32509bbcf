package vn.ehealth.fhir.server.audit;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;
import vn.ehealth.fhir.server.rest.CountParameter;

/**
 * {@code GET /fhir/Patient/{id}/$access-log}: the citizen access report for the national portal,
 * who accessed this person's record, when, for what purpose and how, newest first, as a searchset
 * Bundle of AuditEvents. Needs read on Patient (checked by the security layer like any Patient
 * operation) and is itself recorded in the audit trail.
 */
public class AccessLogProvider {

	static final int DEFAULT_COUNT = 100;
	static final int MAX_COUNT = 1000;

	private final AuditChain chain;

	AccessLogProvider(AuditChain chain) {
		this.chain = chain;
	}

	@Operation(name = "$access-log", type = Patient.class, idempotent = true)
	public Bundle accessLog(@IdParam IdType patientId, @OperationParam(name = "_count") StringType count) {
		int limit = CountParameter.parse(count, DEFAULT_COUNT);
		if (limit > MAX_COUNT) {
			throw new InvalidRequestException("_count must be between 1 and " + MAX_COUNT);
		}
		return AuditEvents.bundle(chain.forPatient("Patient/" + patientId.getIdPart(), limit));
	}
}
