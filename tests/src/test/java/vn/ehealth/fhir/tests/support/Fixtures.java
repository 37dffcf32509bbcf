package vn.ehealth.fhir.tests.support;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.DateType;
import vn.ehealth.fhir.synth.Population;

/** Small Vietnamese test resources, each tagged with a fresh identifier so tests sharing a server don't meet. */
public final class Fixtures {

	public static final String TEST_ID_SYSTEM = "urn:vietfhir:test";
	public static final String CCCD_SYSTEM = "http://fhir.ehealth.gov.vn/core/sid/national_id";
	public static final String BHYT_SYSTEM = "http://fhir.ehealth.gov.vn/core/sid/insurance_number";
	public static final String FACILITY_CODE_SYSTEM = "http://fhir.ehealth.gov.vn/core/sid/provider-code";
	public static final String PRACTICE_LICENCE_SYSTEM = "https://vietfhir.org/fhir/sid/practice-licence";
	private static final String GUIDE = "https://vietfhir.org/fhir/StructureDefinition/";

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

	/**
	 * A CCCD no other call in this JVM returned: one Patient per CCCD is enforced (409), so tests
	 * sharing a server must never draw the same number twice. The last six digits count up from a
	 * random start, in the range synthetic people never get ({@link Population#CCCD_SERIALS} and up).
	 */
	public static String cccd(String firstSix) {
		return cccds(firstSix, 1).get(0);
	}

	/** {@code count} distinct CCCDs in a row (see {@link #cccd}). */
	public static java.util.List<String> cccds(String firstSix, int count) {
		int first = CCCD_SEQUENCE.getAndAdd(count);
		return java.util.stream.IntStream.range(first, first + count)
				.mapToObj(n -> firstSix + String.format("%06d", Population.CCCD_SERIALS + n % HAND_MADE_SERIALS))
				.toList();
	}

	private static final int HAND_MADE_SERIALS = 1_000_000 - Population.CCCD_SERIALS;
	private static final java.util.concurrent.atomic.AtomicInteger CCCD_SEQUENCE =
			new java.util.concurrent.atomic.AtomicInteger((int) (Math.random() * HAND_MADE_SERIALS / 2));

	/** A licensed hospital in Hà Nội: facility code 01xxx, operating licence with its beds. */
	public static org.hl7.fhir.r4.model.Organization facility(String name) {
		var organization = new org.hl7.fhir.r4.model.Organization();
		organization.addIdentifier().setSystem(FACILITY_CODE_SYSTEM).setValue(String.format("01%03d", 1 + (int) (Math.random() * 999)));
		organization.addIdentifier().setSystem(TEST_ID_SYSTEM).setValue(uniqueValue());
		var licence = organization.addExtension().setUrl(GUIDE + "vn-ext-operating-licence");
		licence.addExtension("number", new org.hl7.fhir.r4.model.StringType("123/BYT-GPHĐ"));
		licence.addExtension("issuer", new org.hl7.fhir.r4.model.StringType("Sở Y tế Hà Nội"));
		licence.addExtension("beds", new org.hl7.fhir.r4.model.IntegerType(500));
		licence.addExtension("status", new org.hl7.fhir.r4.model.CodeType("active"));
		organization.addType().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/organization-type").setCode("prov");
		organization.setActive(true);
		organization.setName(name);
		return organization;
	}

	/** A licensed doctor with a CCCD (born 1978 in Nam Định, male) and a BHYT card: both personal, the licence public. */
	public static org.hl7.fhir.r4.model.Practitioner practitioner(String cccd, String bhyt, String licence) {
		var practitioner = new org.hl7.fhir.r4.model.Practitioner();
		practitioner.addIdentifier().setSystem(CCCD_SYSTEM).setValue(cccd);
		practitioner.addIdentifier().setSystem(BHYT_SYSTEM).setValue(bhyt);
		practitioner.addIdentifier().setSystem(PRACTICE_LICENCE_SYSTEM).setValue(licence);
		var extension = practitioner.addExtension().setUrl(GUIDE + "vn-ext-practice-licence");
		extension.addExtension("number", new org.hl7.fhir.r4.model.StringType(licence));
		extension.addExtension("title", new org.hl7.fhir.r4.model.Coding(
				"https://vietfhir.org/fhir/CodeSystem/vn-practitioner-title", "bac-sy", "Bác sỹ"));
		extension.addExtension("status", new org.hl7.fhir.r4.model.CodeType("active"));
		practitioner.addName().setFamily("Lê").addGiven("Minh").addGiven("Tuấn").addPrefix("BS.");
		practitioner.setGender(Enumerations.AdministrativeGender.MALE);
		practitioner.setBirthDateElement(new DateType("1978-07-09"));
		practitioner.getText().setStatus(org.hl7.fhir.r4.model.Narrative.NarrativeStatus.GENERATED)
				.setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">BS. Lê Minh Tuấn, CCCD " + cccd + ", GPHN " + licence + "</div>");
		return practitioner;
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
