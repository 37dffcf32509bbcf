package vn.ehealth.fhir.server.summary;

import ca.uhn.fhir.model.valueset.BundleTypeEnum;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.List;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import vn.ehealth.fhir.server.identity.IdentifierNamespaces;

/**
 * {@code Patient/[id]/$summary} and {@code Patient/$summary?identifier=system|value}, the IPS
 * summary operation (http://hl7.org/fhir/uv/ips/OperationDefinition/summary). Read access to
 * Patient is checked by the security interceptor like any instance or type operation; what the
 * document carries of other types is limited to what the caller's scopes let it see.
 */
public class PatientSummaryProvider {

	static final String IPS_SUMMARY = "http://hl7.org/fhir/uv/ips/OperationDefinition/summary";

	private final PatientRecordStore store;
	private final PatientSummaryBuilder builder;

	PatientSummaryProvider(PatientRecordStore store, PatientSummaryBuilder builder) {
		this.store = store;
		this.builder = builder;
	}

	@Operation(name = "$summary", typeName = "Patient", idempotent = true,
			bundleType = BundleTypeEnum.DOCUMENT, canonicalUrl = IPS_SUMMARY)
	public Bundle instanceSummary(@IdParam IIdType id, RequestDetails request) {
		return builder.build(PatientLookup.byId(store, id), request);
	}

	@Operation(name = "$summary", typeName = "Patient", idempotent = true,
			bundleType = BundleTypeEnum.DOCUMENT, canonicalUrl = IPS_SUMMARY)
	public Bundle typeSummary(
			@OperationParam(name = "identifier", min = 1, max = 1) TokenParam identifier,
			RequestDetails request) {
		if (identifier == null || identifier.getValue() == null || identifier.getValue().isBlank()) {
			throw new InvalidRequestException("$summary needs the patient's identifier, e.g. "
					+ "identifier=http://fhir.ehealth.gov.vn/core/sid/national_id|<CCCD>, or a Patient id");
		}
		// one lookup in the token index; two rows are enough to see an ambiguity
		String system = identifier.getSystem() == null || identifier.getSystem().isBlank() ? null : identifier.getSystem();
		// either Vietnamese namespace names the same citizen (issue 19)
		List<Long> found = IdentifierNamespaces.equivalents(system).stream()
				.flatMap(equivalent -> store.patientsWithIdentifier(equivalent, identifier.getValue(), 5).stream())
				.distinct().toList();
		if (found.size() > 1) {
			found = notMergedAway(found);
		}
		String shown = (system == null ? "" : system + "|") + identifier.getValue();
		if (found.isEmpty()) {
			throw new ResourceNotFoundException("No patient has the identifier " + shown);
		}
		if (found.size() > 1) {
			throw new UnprocessableEntityException("More than one patient has the identifier " + shown
					+ ": the records must be merged before a summary can be made");
		}
		return builder.build(found.get(0), request);
	}

	/**
	 * A record merged into another ($merge: link replaced-by) shares its identifiers with the record it
	 * was merged into, which is the one meant (issue 19).
	 */
	private List<Long> notMergedAway(List<Long> pids) {
		return store.load(pids, new SystemRequestDetails()).stream()
				.filter(r -> r instanceof Patient patient
						&& patient.getLink().stream().noneMatch(l -> l.getType() == Patient.LinkType.REPLACEDBY))
				.map(r -> store.patient(r.getIdElement().getIdPart()).pid())
				.toList();
	}
}
