package vn.ehealth.fhir.server.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.util.List;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/** Bulk Data $export {@code _elements}: which elements an NDJSON line keeps, and its SUBSETTED tag. */
class ElementsTest {

	private static final FhirContext R4 = FhirContext.forR4Cached();
	private static final String SUBSETTED_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";

	@Test
	void keepsTheNamedElementsWithIdAndMeta() {
		Patient exported = (Patient) roundTrip(patient(), new Elements(List.of("name")));
		assertThat(exported.getIdElement().getIdPart()).isEqualTo("cccd-079185001234");
		assertThat(exported.getMeta().getVersionId()).isEqualTo("3");
		assertThat(exported.getNameFirstRep().getFamily()).isEqualTo("Nguyễn");
		assertThat(exported.hasBirthDate()).isFalse();
		assertThat(exported.hasGender()).isFalse();
		assertThat(exported.hasIdentifier()).isFalse();
	}

	/** "Patient.name" concerns Patients only; an Observation of the same export keeps just what it must. */
	@Test
	void aTypeQualifiedNameAppliesToThatTypeOnly() {
		Elements elements = new Elements(List.of("Patient.name"));
		assertThat(((Patient) roundTrip(patient(), elements)).hasName()).isTrue();

		Observation exported = (Observation) roundTrip(observation(), elements);
		assertThat(exported.hasSubject()).isFalse();
		assertThat(exported.hasValue()).isFalse();
		assertThat(exported.getIdElement().getIdPart()).isEqualTo("glucose-1");
	}

	/** FHIR R4 search, _elements: a subsetted resource is marked SUBSETTED, once (a stored tag is not doubled). */
	@Test
	void marksTheLineSubsettedExactlyOnce() {
		Patient stored = patient();
		stored.getMeta().addTag(SUBSETTED_SYSTEM, "SUBSETTED", "Resource encoded in summary mode");
		Resource exported = roundTrip(stored, new Elements(List.of("gender")));
		assertThat(exported.getMeta().getTag())
				.filteredOn(tag -> SUBSETTED_SYSTEM.equals(tag.getSystem()) && "SUBSETTED".equals(tag.getCode()))
				.hasSize(1);
		assertThat(exported.getMeta().getTag()).extracting(Coding::getCode).contains("vn-import");
	}

	/** The SMART Bulk Data Tester wants the tag as {system, code} exactly; HAPI's display ("summary mode") is not what _elements does. */
	@Test
	void writesTheSubsettedTagAsSystemAndCodeOnly() {
		IParser parser = R4.newJsonParser();
		Patient patient = patient();
		new Elements(List.of("gender")).apply(parser, patient.getMeta());
		String line = Elements.withPlainSubsettedTag(parser.encodeResourceToString(patient));
		assertThat(line).contains("{\"system\":\"" + SUBSETTED_SYSTEM + "\",\"code\":\"SUBSETTED\"}")
				.doesNotContain("summary mode");
	}

	private static Resource roundTrip(Resource resource, Elements elements) {
		IParser parser = R4.newJsonParser();
		elements.apply(parser, resource.getMeta());
		return (Resource) R4.newJsonParser().parseResource(Elements.withPlainSubsettedTag(parser.encodeResourceToString(resource)));
	}

	private static Patient patient() {
		Patient patient = new Patient();
		patient.setId("cccd-079185001234");
		patient.getMeta().setVersionId("3");
		patient.getMeta().addTag("https://vietfhir.org/tags", "vn-import", null);
		patient.addIdentifier().setSystem("https://vietfhir.org/sid/cccd").setValue("079185001234");
		patient.addName().setFamily("Nguyễn").addGiven("Văn An");
		patient.setGender(Enumerations.AdministrativeGender.MALE);
		patient.getBirthDateElement().setValueAsString("1985-03-14");
		return patient;
	}

	private static Observation observation() {
		Observation observation = new Observation();
		observation.setId("glucose-1");
		observation.setStatus(Observation.ObservationStatus.FINAL);
		observation.getCode().addCoding(new Coding("http://loinc.org", "2345-7", "Glucose"));
		observation.getSubject().setReference("Patient/cccd-079185001234");
		observation.getValueQuantity().setValue(5.4).setUnit("mmol/L");
		return observation;
	}
}
