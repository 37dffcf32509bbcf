package vn.ehealth.fhir.server.audit;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.FhirContext;
import java.util.Collection;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;

/** Which patient a resource is about: a Patient itself, or the Patient its subject, patient or beneficiary names. */
final class PatientReferences {

	/** Elements that tie a resource of the Patient compartment to its patient. */
	private static final String[] PATIENT_ELEMENTS = {"subject", "patient", "beneficiary"};

	private PatientReferences() {}

	/** Adds {@code Patient/<id>} of every patient the resource is about to {@code patients}. */
	static void collect(FhirContext fhirContext, IBaseResource resource, Collection<String> patients) {
		String type = fhirContext.getResourceType(resource);
		IIdType id = resource.getIdElement();
		if (type.equals("Patient") && id != null && id.hasIdPart()) {
			patients.add("Patient/" + id.getIdPart());
		}
		var definition = fhirContext.getResourceDefinition(resource);
		for (String name : PATIENT_ELEMENTS) {
			BaseRuntimeChildDefinition child = definition.getChildByName(name);
			if (child == null) {
				continue;
			}
			for (IBase value : child.getAccessor().getValues(resource)) {
				if (value instanceof IBaseReference reference) {
					IIdType target = reference.getReferenceElement();
					if (target != null && "Patient".equals(target.getResourceType()) && target.hasIdPart()) {
						patients.add("Patient/" + target.getIdPart());
					}
				}
			}
		}
	}
}
