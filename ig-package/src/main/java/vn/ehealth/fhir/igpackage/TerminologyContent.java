package vn.ehealth.fhir.igpackage;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Resource;
import vn.ehealth.fhir.terminology.VnTerminology;

/** The terminology module's code systems, value sets and concept maps, built from its CSV sources. */
final class TerminologyContent {

	private TerminologyContent() {}

	static List<Resource> resources(FhirContext fhir) {
		return new ArrayList<>(VnTerminology.allResources());
	}
}
