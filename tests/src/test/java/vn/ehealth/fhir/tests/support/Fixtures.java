package vn.ehealth.fhir.tests.support;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.DateType;

/** Small Vietnamese test resources, each tagged with a fresh identifier so tests sharing a server don't meet. */
public final class Fixtures {

	public static final String TEST_ID_SYSTEM = "urn:vietfhir:test";
	public static final String CCCD_SYSTEM = "http://fhir.ehealth.gov.vn/core/sid/national_id";

	private Fixtures() {}

	public static String uniqueValue() {
		return UUID.randomUUID().toString();
	}

	public static Patient patient(String family, String given, String idValue) {
		Patient patient = new Patient();
		patient.addIdentifier().setSystem(TEST_ID_SYSTEM).setValue(idValue);
		patient.addName().setFamily(family).addGiven(given);
		patient.setGender(Enumerations.AdministrativeGender.FEMALE);
		patient.setBirthDateElement(new DateType("1990-07-15"));
		return patient;
	}

	/** A patient with a CCCD: born in Hà Nội (001) in 1985, male, so digit 4 is 0 and digits 5–6 are 85. */
	public static Patient patientWithCccd(String cccd, String gender, String birthDate) {
		Patient patient = patient("Nguyễn", "Văn An", uniqueValue());
		patient.addIdentifier().setSystem(CCCD_SYSTEM).setValue(cccd);
		patient.setGender(Enumerations.AdministrativeGender.fromCode(gender));
		patient.setBirthDateElement(new DateType(birthDate));
		return patient;
	}

	/** A CCCD whose last six digits are random, so tests sharing a server don't collide. */
	public static String cccd(String firstSix) {
		return firstSix + String.format("%06d", (int) (Math.random() * 1_000_000));
	}

	/** How many patients carry the given test identifier. */
	public static int countPatients(IGenericClient client, String idValue) {
		Bundle found = client.search()
				.forResource(Patient.class)
				.where(Patient.IDENTIFIER.exactly().systemAndIdentifier(TEST_ID_SYSTEM, idValue))
				.returnBundle(Bundle.class)
				.execute();
		return found.getEntry().size();
	}
}
