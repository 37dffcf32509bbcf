package vn.ehealth.fhir.server.summary;

import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.hl7.fhir.instance.model.api.IIdType;

/** The row key of the patient an instance operation names: 404 if there is none, 410 if deleted. */
final class PatientLookup {

	private PatientLookup() {}

	static long byId(PatientRecordStore store, IIdType id) {
		PatientRecordStore.Found found = store.patient(id.getIdPart());
		if (found == null) {
			throw new ResourceNotFoundException("Patient/" + id.getIdPart() + " is not known");
		}
		if (found.deleted()) {
			throw new ResourceGoneException("Patient/" + id.getIdPart() + " has been deleted");
		}
		return found.pid();
	}
}
