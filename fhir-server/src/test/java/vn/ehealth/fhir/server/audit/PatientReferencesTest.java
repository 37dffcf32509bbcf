package vn.ehealth.fhir.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.LinkedHashSet;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/** Which patients an audit record names for a resource read or written: whose data it is. */
class PatientReferencesTest {

	private static final FhirContext R4 = FhirContext.forR4Cached();

	@Test
	void aPatientIsAboutItself() {
		Patient patient = new Patient();
		patient.setId("Patient/cccd-079185001234/_history/2");
		assertThat(patients(patient)).containsExactly("Patient/cccd-079185001234");
	}

	@Test
	void aRecordIsAboutThePatientItsSubjectPatientOrBeneficiaryNames() {
		Observation observation = new Observation();
		observation.setSubject(new Reference("Patient/a"));
		AllergyIntolerance allergy = new AllergyIntolerance();
		allergy.setPatient(new Reference("Patient/b"));
		Coverage coverage = new Coverage();
		coverage.setBeneficiary(new Reference("Patient/c"));
		assertThat(patients(observation)).containsExactly("Patient/a");
		assertThat(patients(allergy)).containsExactly("Patient/b");
		assertThat(patients(coverage)).containsExactly("Patient/c");
	}

	/** A group or a device as subject names no patient; neither does a reference without an id. */
	@Test
	void aSubjectThatIsNoPatientNamesNoPatient() {
		Observation aboutAGroup = new Observation();
		aboutAGroup.setSubject(new Reference("Group/ward-3"));
		Observation byIdentifier = new Observation();
		byIdentifier.getSubject().getIdentifier().setSystem("https://vietfhir.org/sid/cccd").setValue("079185001234");
		assertThat(patients(aboutAGroup)).isEmpty();
		assertThat(patients(byIdentifier)).isEmpty();
	}

	private static Set<String> patients(IBaseResource resource) {
		Set<String> patients = new LinkedHashSet<>();
		PatientReferences.collect(R4, resource, patients);
		return patients;
	}
}
