package vn.ehealth.fhir.synth;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Claim;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.ExplanationOfBenefit;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Money;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Timing;

/**
 * Transaction bundles shaped like Synthea 3.3.0's FHIR R4 output with the US Core option (the
 * Synthea data set is not shipped, and Synthea needs its own build): a hospital bundle and a
 * practitioner bundle first (batch, POST with {@code ifNoneExist} on the identifier, as Synthea's
 * HospitalExporterR4 and FhirPractitionerExporterR4 write them), then one transaction per patient:
 * every entry a POST under a {@code urn:uuid} fullUrl, references between entries by that urn,
 * references to practitioners, organizations and locations conditional on their identifier
 * ({@code Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|9999…}), {@code meta.profile}
 * naming US Core profiles, US Core and Synthea extensions the server does not know, clinical notes
 * as base64 on a DiagnosticReport and a DocumentReference per encounter, a Claim and an
 * ExplanationOfBenefit per encounter (the EOB with contained resources), and a Provenance naming
 * every entry last. Sizes have Synthea's long tail: about 1,260 entries per patient on average and
 * one very large patient (about 16,000 entries, 40+ MB) in every 50. Same seed and number, same
 * bundle. The shape is learnt from Synthea's exporter; the code and its content are ours.
 */
public final class SyntheaLike {

	static final String SYNTHEA = "https://github.com/synthetichealth/synthea";
	static final String NPI = "http://hl7.org/fhir/sid/us-npi";
	static final String US_CORE = "http://hl7.org/fhir/us/core/StructureDefinition/";
	static final String SYNTHEA_EXT = "http://synthetichealth.github.io/synthea/";
	static final String SNOMED = "http://snomed.info/sct";
	static final String LOINC = "http://loinc.org";
	static final String UCUM = "http://unitsofmeasure.org";
	static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
	static final String CVX = "http://hl7.org/fhir/sid/cvx";
	/** Patients with this remainder of n / 50 are the very large ones (Synthea's centenarians with decades of care). */
	static final int LARGE_EVERY = 50;
	static final int LARGE_REMAINDER = 37;
	/** Hospitals of the directory; each has a location and {@link #PRACTITIONERS_PER_HOSPITAL} practitioners. */
	static final int HOSPITALS = 30;
	static final int PRACTITIONERS_PER_HOSPITAL = 3;

	private static final String[] GIVEN_F = {"Maria", "Linda", "Susan", "Karen", "Nancy", "Lisa", "Emily", "Ashley", "Kimberly", "Donna"};
	private static final String[] GIVEN_M = {"James", "John", "Robert", "Michael", "David", "William", "Joseph", "Thomas", "Charles", "Daniel"};
	private static final String[] FAMILY = {"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
			"Martinez", "Hernandez", "Lopez", "Wilson", "Anderson", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Thompson"};
	private static final String[] CITIES = {"Boston", "Worcester", "Springfield", "Cambridge", "Lowell", "Brockton", "Quincy", "Lynn"};
	private static final String[][] ENCOUNTER_TYPES = {
			{"AMB", "162673000", "General examination of patient (procedure)"},
			{"AMB", "185349003", "Encounter for check up (procedure)"},
			{"AMB", "390906007", "Follow-up encounter (procedure)"},
			{"EMER", "50849002", "Emergency room admission (procedure)"},
			{"IMP", "32485007", "Hospital admission (procedure)"}};
	private static final String[][] CONDITIONS = {
			{"59621000", "Essential hypertension (disorder)"}, {"44054006", "Diabetes mellitus type 2 (disorder)"},
			{"444814009", "Viral sinusitis (disorder)"}, {"195662009", "Acute viral pharyngitis (disorder)"},
			{"10509002", "Acute bronchitis (disorder)"}, {"55822004", "Hyperlipidemia (disorder)"},
			{"162864005", "Body mass index 30+ - obesity (finding)"}, {"73595000", "Stress (finding)"},
			{"314529007", "Medication review due (situation)"}, {"160903007", "Full-time employment (finding)"}};
	private static final String[][] PROCEDURES = {
			{"430193006", "Medication reconciliation (procedure)"}, {"710824005", "Assessment of health and social care needs (procedure)"},
			{"171207006", "Depression screening (procedure)"}, {"428211000124100", "Assessment of substance use (procedure)"},
			{"274804006", "Evaluation of uterine fundal height (procedure)"}};
	private static final String[][] MEDICATIONS = {
			{"314076", "lisinopril 10 MG Oral Tablet"}, {"860975", "24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet"},
			{"197361", "amlodipine 5 MG Oral Tablet"}, {"313782", "Acetaminophen 325 MG Oral Tablet"},
			{"308182", "Amoxicillin 250 MG Oral Capsule"}, {"259255", "atorvastatin 80 MG Oral Tablet"}};
	private static final String[][] VACCINES = {
			{"140", "Influenza, seasonal, injectable, preservative free"}, {"113", "Td (adult) preservative free"},
			{"208", "SARS-COV-2 (COVID-19) vaccine, mRNA, spike protein, LNP, preservative free, 30 mcg/0.3mL dose"},
			{"133", "Pneumococcal conjugate PCV 13"}};
	/** LOINC code, display, UCUM unit, low, high; the metabolic panel Synthea reports on lab visits. */
	private static final String[][] LABS = {
			{"2339-0", "Glucose [Mass/volume] in Blood", "mg/dL", "65", "140"},
			{"6299-2", "Urea nitrogen [Mass/volume] in Blood", "mg/dL", "7", "20"},
			{"38483-4", "Creatinine [Mass/volume] in Blood", "mg/dL", "0.6", "1.3"},
			{"49765-1", "Calcium [Mass/volume] in Blood", "mg/dL", "8.5", "10.2"},
			{"2947-0", "Sodium [Moles/volume] in Blood", "mmol/L", "136", "145"},
			{"6298-4", "Potassium [Moles/volume] in Blood", "mmol/L", "3.5", "5.1"},
			{"2069-3", "Chloride [Moles/volume] in Blood", "mmol/L", "98", "107"},
			{"20565-8", "Carbon dioxide, total [Moles/volume] in Blood", "mmol/L", "22", "29"}};
	private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'-05:00'");
	private static final DateTimeFormatter INSTANT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'-05:00'");

	private final long seed;
	private final LocalDate asOf;

	public SyntheaLike(long seed) {
		this(seed, SyntheticData.DEFAULT_AS_OF);
	}

	public SyntheaLike(long seed, LocalDate asOf) {
		this.seed = seed;
		this.asOf = asOf;
	}

	/** Whether patient n is one of the very large ones. */
	public static boolean isLarge(int n) {
		return n % LARGE_EVERY == LARGE_REMAINDER;
	}

	// ---------------------------------------------------------------- directory

	/** Organizations and their Locations: a batch of conditional creates, as Synthea's hospitalInformation file. */
	public Bundle hospitalBundle() {
		Bundle bundle = new Bundle().setType(Bundle.BundleType.BATCH);
		for (int h = 0; h < HOSPITALS; h++) {
			Rng rng = new Rng(seed, "synthea-hospital", h);
			Organization organization = new Organization();
			organization.setMeta(profile("us-core-organization"));
			organization.addExtension(SYNTHEA_EXT + "utilization-encounters-extension", new org.hl7.fhir.r4.model.IntegerType(rng.between(100, 90_000)));
			organization.addExtension(SYNTHEA_EXT + "utilization-procedures-extension", new org.hl7.fhir.r4.model.IntegerType(rng.between(100, 90_000)));
			organization.addIdentifier().setSystem(SYNTHEA).setValue(hospitalId(h));
			organization.setActive(true);
			organization.addType(concept("http://terminology.hl7.org/CodeSystem/organization-type", "prov", "Healthcare Provider"));
			organization.setName(hospitalName(h));
			organization.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue(phone(rng));
			organization.addAddress(address(rng));
			conditionalEntry(bundle, organization, hospitalId(h), SYNTHEA);
			Location location = new Location();
			location.setMeta(profile("us-core-location"));
			location.addIdentifier().setSystem(SYNTHEA).setValue(locationId(h));
			location.setStatus(Location.LocationStatus.ACTIVE);
			location.setName(hospitalName(h));
			location.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue(phone(rng));
			location.setAddress(address(rng));
			location.getPosition().setLatitude(42.0 + rng.uniform(0, 1)).setLongitude(-71.5 + rng.uniform(0, 1));
			location.setManagingOrganization(new Reference().setIdentifier(new Identifier().setSystem(SYNTHEA).setValue(hospitalId(h)))
					.setDisplay(hospitalName(h)));
			conditionalEntry(bundle, location, locationId(h), SYNTHEA);
		}
		return bundle;
	}

	/** Practitioners (conditional creates on the NPI) and their PractitionerRoles, as Synthea's practitionerInformation file. */
	public Bundle practitionerBundle() {
		Bundle bundle = new Bundle().setType(Bundle.BundleType.BATCH);
		for (int h = 0; h < HOSPITALS; h++) {
			for (int p = 0; p < PRACTITIONERS_PER_HOSPITAL; p++) {
				Rng rng = new Rng(seed, "synthea-practitioner", h, p);
				Practitioner practitioner = new Practitioner();
				practitioner.setMeta(profile("us-core-practitioner"));
				practitioner.addExtension(SYNTHEA_EXT + "utilization-encounters-extension", new org.hl7.fhir.r4.model.IntegerType(rng.between(10, 9_000)));
				practitioner.addIdentifier().setSystem(NPI).setValue(npi(h, p));
				practitioner.setActive(true);
				practitioner.addName().setFamily(practitionerFamily(h, p)).addGiven(practitionerGiven(h, p)).addPrefix("Dr.");
				ContactPoint email = practitioner.addTelecom().setSystem(ContactPoint.ContactPointSystem.EMAIL).setUse(ContactPoint.ContactPointUse.WORK)
						.setValue(practitionerGiven(h, p) + "." + practitionerFamily(h, p) + "@example.com");
				email.addExtension(US_CORE + "us-core-direct", new BooleanType(true));
				practitioner.addAddress(address(rng));
				practitioner.setGender(p % 2 == 0 ? Enumerations.AdministrativeGender.FEMALE : Enumerations.AdministrativeGender.MALE);
				conditionalEntry(bundle, practitioner, npi(h, p), NPI);
				PractitionerRole role = new PractitionerRole();
				role.setMeta(profile("us-core-practitionerrole"));
				role.setPractitioner(new Reference().setIdentifier(new Identifier().setSystem(NPI).setValue(npi(h, p))).setDisplay(practitionerDisplay(h, p)));
				role.setOrganization(new Reference().setIdentifier(new Identifier().setSystem(SYNTHEA).setValue(hospitalId(h))).setDisplay(hospitalName(h)));
				role.addCode(concept("http://nucc.org/provider-taxonomy", "208D00000X", "General Practice"));
				role.addSpecialty(concept("http://nucc.org/provider-taxonomy", "208D00000X", "General Practice"));
				role.addLocation(new Reference().setIdentifier(new Identifier().setSystem(SYNTHEA).setValue(locationId(h))).setDisplay(hospitalName(h)));
				role.addTelecom(email.copy());
				addEntry(bundle, role, uuid(new Rng(seed, "synthea-role", h, p)));
			}
		}
		return bundle;
	}

	// ---------------------------------------------------------------- patients

	/** Encounters of patient n: a long tail, and about 1,200 for the very large ones. */
	static int encounters(long seed, int n) {
		Rng rng = new Rng(seed, "synthea-size", n);
		if (isLarge(n)) {
			return 1_170 + rng.between(0, 60);
		}
		// log-normal: median about 52 encounters (some 700 entries), a few patients with several hundred
		return Math.max(3, Math.min(600, (int) Math.round(Math.exp(rng.normal(Math.log(52), 0.75)))));
	}

	/** Patient n's transaction bundle. */
	public Bundle patientBundle(int n) {
		return new PatientRecord(n).build();
	}

	/** The Patient's Synthea identifier value (its search key): a UUID, fixed by seed and n. */
	public String patientIdentifier(int n) {
		return uuid(new Rng(seed, "synthea-patient-id", n));
	}

	/** File name as Synthea names a patient's bundle: Given_Family_uuid.json. */
	public String fileName(int n, Bundle bundle) {
		Patient patient = (Patient) bundle.getEntryFirstRep().getResource();
		return patient.getNameFirstRep().getGivenAsSingleString() + "_" + patient.getNameFirstRep().getFamily() + "_" + patientIdentifier(n) + ".json";
	}

	/** One patient's record as it is built: entries are added in Synthea's order, encounter by encounter. */
	private final class PatientRecord {
		private final int n;
		private final Rng rng;
		private final Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		private final List<String> activeConditions = new ArrayList<>();
		private final List<String> activeMedications = new ArrayList<>();
		private Reference patientRef;
		private String patientName;
		private LocalDate birth;

		PatientRecord(int n) {
			this.n = n;
			this.rng = new Rng(seed, "synthea-record", n);
		}

		Bundle build() {
			int encounters = encounters(seed, n);
			int years = isLarge(n) ? rng.between(85, 100) : rng.between(5, 80);
			birth = asOf.minusYears(years).minusDays(rng.between(0, 364));
			patient();
			LocalDateTime first = isLarge(n) ? birth.plusYears(2).atTime(9, 0) : asOf.minusYears(Math.min(years, 12)).atTime(9, 0);
			long span = java.time.Duration.between(first, asOf.atTime(9, 0)).toMinutes();
			for (int e = 0; e < encounters; e++) {
				LocalDateTime start = first.plusMinutes(span * e / encounters + rng.between(0, 600));
				encounter(start, e == encounters - 1);
			}
			provenance();
			return bundle;
		}

		private void patient() {
			boolean female = rng.chance(0.5);
			String given = (female ? GIVEN_F : GIVEN_M)[rng.between(0, 9)] + rng.between(1, 999);
			String family = FAMILY[rng.between(0, FAMILY.length - 1)] + rng.between(1, 999);
			patientName = (female ? "Mrs. " : "Mr. ") + given + " " + family;
			Patient patient = new Patient();
			patient.setMeta(profile("us-core-patient"));
			patient.setText(narrative("Generated by <a href=\"https://github.com/synthetichealth/synthea\">Synthea</a>.Version identifier: "
					+ "v3.3.0-like\n .   Person seed: " + n));
			Extension race = patient.addExtension().setUrl(US_CORE + "us-core-race");
			race.addExtension("ombCategory", new Coding("urn:oid:2.16.840.1.113883.6.238", "2106-3", "White"));
			race.addExtension("text", new StringType("White"));
			Extension ethnicity = patient.addExtension().setUrl(US_CORE + "us-core-ethnicity");
			ethnicity.addExtension("ombCategory", new Coding("urn:oid:2.16.840.1.113883.6.238", "2186-5", "Not Hispanic or Latino"));
			ethnicity.addExtension("text", new StringType("Not Hispanic or Latino"));
			patient.addExtension("http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName",
					new StringType(GIVEN_F[rng.between(0, 9)] + rng.between(1, 999) + " " + FAMILY[rng.between(0, FAMILY.length - 1)] + rng.between(1, 999)));
			patient.addExtension(US_CORE + "us-core-birthsex", new CodeType(female ? "F" : "M"));
			patient.addExtension("http://hl7.org/fhir/StructureDefinition/patient-birthPlace", address(rng).setLine(List.of()).setPostalCode(null));
			patient.addExtension(SYNTHEA_EXT + "disability-adjusted-life-years", new DecimalType(Math.round(rng.uniform(0, 5) * 1e6) / 1e6));
			patient.addExtension(SYNTHEA_EXT + "quality-adjusted-life-years", new DecimalType(Math.round(rng.uniform(5, 80) * 1e6) / 1e6));
			patient.addIdentifier().setSystem(SYNTHEA).setValue(patientIdentifier(n));
			patient.addIdentifier().setType(concept("http://terminology.hl7.org/CodeSystem/v2-0203", "MR", "Medical Record Number"))
					.setSystem("http://hospital.smarthealthit.org").setValue(patientIdentifier(n));
			patient.addIdentifier().setType(concept("http://terminology.hl7.org/CodeSystem/v2-0203", "SS", "Social Security Number"))
					.setSystem("http://hl7.org/fhir/sid/us-ssn").setValue(String.format(Locale.ROOT, "999-%02d-%04d", rng.between(10, 99), rng.between(0, 9999)));
			patient.addIdentifier().setType(concept("http://terminology.hl7.org/CodeSystem/v2-0203", "DL", "Driver's license number"))
					.setSystem("urn:oid:2.16.840.1.113883.4.3.25").setValue(String.format(Locale.ROOT, "S999%05d", rng.between(0, 99999)));
			patient.addName().setUse(org.hl7.fhir.r4.model.HumanName.NameUse.OFFICIAL).setFamily(family).addGiven(given).addPrefix(female ? "Mrs." : "Mr.");
			patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setUse(ContactPoint.ContactPointUse.HOME).setValue(phone(rng));
			patient.setGender(female ? Enumerations.AdministrativeGender.FEMALE : Enumerations.AdministrativeGender.MALE);
			patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType(birth.toString()));
			Address home = address(rng);
			Extension geolocation = home.addExtension().setUrl("http://hl7.org/fhir/StructureDefinition/geolocation");
			geolocation.addExtension("latitude", new DecimalType(42.0 + Math.round(rng.uniform(0, 1) * 1e6) / 1e6));
			geolocation.addExtension("longitude", new DecimalType(-71.5 + Math.round(rng.uniform(0, 1) * 1e6) / 1e6));
			patient.addAddress(home);
			patient.setMaritalStatus(concept("http://terminology.hl7.org/CodeSystem/v3-MaritalStatus", rng.chance(0.5) ? "M" : "S", null));
			patient.setMultipleBirth(new BooleanType(false));
			patient.addCommunication().setLanguage(concept("urn:ietf:bcp:47", "en-US", "English (United States)"));
			String urn = addEntry(bundle, patient, patientIdentifier(n));
			patientRef = new Reference(urn).setDisplay(patientName);
		}

		private void encounter(LocalDateTime start, boolean last) {
			int hospital = rng.between(0, HOSPITALS - 1);
			int doctor = rng.between(0, PRACTITIONERS_PER_HOSPITAL - 1);
			String[] type = ENCOUNTER_TYPES[rng.chance(0.85) ? rng.between(0, 2) : rng.between(3, 4)];
			LocalDateTime end = start.plusMinutes(type[0].equals("IMP") ? rng.between(1_440, 7_200) : rng.between(15, 60));
			Encounter encounter = new Encounter();
			encounter.setMeta(profile("us-core-encounter"));
			encounter.addIdentifier().setUse(Identifier.IdentifierUse.OFFICIAL).setSystem(SYNTHEA).setValue(uuid(rng));
			encounter.setStatus(Encounter.EncounterStatus.FINISHED);
			encounter.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", type[0], null));
			encounter.addType(concept(SNOMED, type[1], type[2]));
			encounter.setSubject(patientRef.copy());
			encounter.addParticipant().addType(concept("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "PPRF", "primary performer"))
					.setPeriod(period(start, end)).setIndividual(practitioner(hospital, doctor));
			encounter.setPeriod(period(start, end));
			encounter.addLocation().setLocation(location(hospital));
			encounter.setServiceProvider(organization(hospital));
			Reference encounterRef = new Reference(addEntry(bundle, encounter, uuid(rng)));
			List<Reference> diagnoses = new ArrayList<>();
			if (rng.chance(0.25)) {
				diagnoses.add(condition(encounterRef, start));
			}
			if (rng.chance(0.6)) {
				vitalSigns(encounterRef, start);
			}
			if (rng.chance(0.2)) {
				labPanel(encounterRef, start, hospital, doctor);
			}
			List<String[]> billed = new ArrayList<>();
			if (rng.chance(0.35)) {
				billed.add(procedure(encounterRef, start, end, hospital));
			}
			List<Reference> prescriptions = new ArrayList<>();
			for (int m = rng.chance(0.35) ? rng.between(1, 2) : 0; m > 0; m--) {
				prescriptions.add(medication(encounterRef, start, hospital, doctor));
			}
			if (rng.chance(0.08)) {
				billed.add(immunization(encounterRef, start, hospital));
			}
			if (rng.chance(0.04) && !diagnoses.isEmpty()) {
				carePlan(encounterRef, start, hospital, doctor, diagnoses.get(0));
			}
			clinicalNote(encounterRef, start, end, hospital, doctor, last);
			Reference claim = claim(encounterRef, type, start, end, hospital, diagnoses, billed, null);
			explanationOfBenefit(encounterRef, claim, type, start, end, hospital, doctor, diagnoses, billed);
		}

		private Reference condition(Reference encounter, LocalDateTime when) {
			String[] code = CONDITIONS[rng.between(0, CONDITIONS.length - 1)];
			Condition condition = new Condition();
			condition.setMeta(profile("us-core-condition-encounter-diagnosis"));
			boolean resolved = rng.chance(0.6);
			condition.setClinicalStatus(concept("http://terminology.hl7.org/CodeSystem/condition-clinical", resolved ? "resolved" : "active", null));
			condition.setVerificationStatus(concept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed", null));
			condition.addCategory(concept("http://terminology.hl7.org/CodeSystem/condition-category", "encounter-diagnosis", "Encounter Diagnosis"));
			condition.setCode(concept(SNOMED, code[0], code[1]));
			condition.setSubject(patientRef.copy());
			condition.setEncounter(encounter.copy());
			condition.setOnset(dateTime(when));
			condition.setRecordedDateElement(dateTime(when));
			if (resolved) {
				condition.setAbatement(dateTime(when.plusDays(rng.between(7, 30))));
			} else if (!activeConditions.contains(code[1])) {
				activeConditions.add(code[1]);
			}
			return new Reference(addEntry(bundle, condition, uuid(rng)));
		}

		private void vitalSigns(Reference encounter, LocalDateTime when) {
			observation(encounter, when, "vital-signs", "bodyheight", "8302-2", "Body Height", rng.uniform(150, 190), "cm");
			observation(encounter, when, "survey", "us-core-observation-survey", "72514-3",
					"Pain severity - 0-10 verbal numeric rating [Score] - Reported", rng.between(0, 4), "{score}");
			observation(encounter, when, "vital-signs", "bodyweight", "29463-7", "Body Weight", rng.uniform(50, 110), "kg");
			observation(encounter, when, "vital-signs", "bmi", "39156-5", "Body mass index (BMI) [Ratio]", rng.uniform(18, 35), "kg/m2");
			Observation pressure = observation(encounter, when, "vital-signs", "bp", "85354-9", "Blood pressure panel with all children optional", null, null);
			pressure.addComponent().setCode(concept(LOINC, "8462-4", "Diastolic Blood Pressure")).setValue(quantity(rng.between(60, 95), "mm[Hg]"));
			pressure.addComponent().setCode(concept(LOINC, "8480-6", "Systolic Blood Pressure")).setValue(quantity(rng.between(100, 160), "mm[Hg]"));
			observation(encounter, when, "vital-signs", "heartrate", "8867-4", "Heart rate", rng.between(55, 100), "/min");
			observation(encounter, when, "vital-signs", "resprate", "9279-1", "Respiratory rate", rng.between(12, 18), "/min");
			Observation tobacco = observation(encounter, when, "social-history", "us-core-smokingstatus", "72166-2", "Tobacco smoking status", null, null);
			tobacco.setValue(concept(SNOMED, "266919005", "Never smoked tobacco (finding)"));
		}

		private void labPanel(Reference encounter, LocalDateTime when, int hospital, int doctor) {
			DiagnosticReport report = new DiagnosticReport();
			report.setMeta(profile("us-core-diagnosticreport-lab"));
			report.setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL);
			report.addCategory(concept("http://terminology.hl7.org/CodeSystem/v2-0074", "LAB", "Laboratory"));
			report.setCode(concept(LOINC, "51990-0", "Basic metabolic panel - Blood"));
			for (String[] lab : LABS) {
				Observation result = observation(encounter, when, "laboratory", "us-core-observation-lab", lab[0], lab[1],
						rng.uniform(Double.parseDouble(lab[3]), Double.parseDouble(lab[4])), lab[2]);
				report.addResult(new Reference(urnOf(result)).setDisplay(lab[1]));
			}
			report.setSubject(patientRef.copy());
			report.setEncounter(encounter.copy());
			report.setEffective(dateTime(when));
			report.setIssuedElement(instant(when));
			report.addPerformer(practitioner(hospital, doctor));
			addEntry(bundle, report, uuid(rng));
		}

		private Observation observation(Reference encounter, LocalDateTime when, String category, String profile, String code, String display,
				Number value, String unit) {
			Observation observation = new Observation();
			observation.setMeta(new Meta().addProfile(profile.startsWith("us-core") ? US_CORE + profile
					: "http://hl7.org/fhir/StructureDefinition/" + profile));
			observation.setStatus(Observation.ObservationStatus.FINAL);
			observation.addCategory(concept("http://terminology.hl7.org/CodeSystem/observation-category", category, null));
			observation.setCode(concept(LOINC, code, display));
			observation.setSubject(patientRef.copy());
			observation.setEncounter(encounter.copy());
			observation.setEffective(dateTime(when));
			observation.setIssuedElement(instant(when));
			if (value != null) {
				observation.setValue(quantity(value instanceof Double d ? Math.round(d * 100) / 100.0 : value.doubleValue(), unit));
			}
			addEntry(bundle, observation, uuid(rng));
			return observation;
		}

		private String[] procedure(Reference encounter, LocalDateTime start, LocalDateTime end, int hospital) {
			String[] code = PROCEDURES[rng.between(0, PROCEDURES.length - 1)];
			Procedure procedure = new Procedure();
			procedure.setMeta(profile("us-core-procedure"));
			procedure.setStatus(Procedure.ProcedureStatus.COMPLETED);
			procedure.setCode(concept(SNOMED, code[0], code[1]));
			procedure.setSubject(patientRef.copy());
			procedure.setEncounter(encounter.copy());
			procedure.setPerformed(period(start, start.plusMinutes(15)));
			procedure.setLocation(location(hospital));
			addEntry(bundle, procedure, uuid(rng));
			return code;
		}

		private Reference medication(Reference encounter, LocalDateTime when, int hospital, int doctor) {
			String[] code = MEDICATIONS[rng.between(0, MEDICATIONS.length - 1)];
			MedicationRequest request = new MedicationRequest();
			request.setMeta(profile("us-core-medicationrequest"));
			request.setStatus(rng.chance(0.7) ? MedicationRequest.MedicationRequestStatus.STOPPED : MedicationRequest.MedicationRequestStatus.ACTIVE);
			request.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
			request.setMedication(concept(RXNORM, code[0], code[1]));
			request.setSubject(patientRef.copy());
			request.setEncounter(encounter.copy());
			request.setAuthoredOnElement(dateTime(when));
			request.setRequester(practitioner(hospital, doctor));
			request.addDosageInstruction().setSequence(1).setTiming(new Timing().setRepeat(new Timing.TimingRepeatComponent()
							.setFrequency(1).setPeriod(1).setPeriodUnit(Timing.UnitsOfTime.D)))
					.setAsNeeded(new BooleanType(false))
					.addDoseAndRate().setType(concept("http://terminology.hl7.org/CodeSystem/dose-rate-type", "ordered", "Ordered"))
					.setDose(new Quantity().setValue(1));
			if (!activeMedications.contains(code[1])) {
				activeMedications.add(code[1]);
			}
			Reference prescription = new Reference(addEntry(bundle, request, uuid(rng)));
			// Synthea bills every prescription with a Claim of its own
			claim(encounter, ENCOUNTER_TYPES[0], when, when, hospital, List.of(), List.<String[]>of(code), prescription);
			return prescription;
		}

		private String[] immunization(Reference encounter, LocalDateTime when, int hospital) {
			String[] code = VACCINES[rng.between(0, VACCINES.length - 1)];
			Immunization immunization = new Immunization();
			immunization.setMeta(profile("us-core-immunization"));
			immunization.setStatus(Immunization.ImmunizationStatus.COMPLETED);
			immunization.setVaccineCode(concept(CVX, code[0], code[1]));
			immunization.setPatient(patientRef.copy());
			immunization.setEncounter(encounter.copy());
			immunization.setOccurrence(dateTime(when));
			immunization.setPrimarySource(true);
			immunization.setLocation(location(hospital));
			addEntry(bundle, immunization, uuid(rng));
			return code;
		}

		private void carePlan(Reference encounter, LocalDateTime when, int hospital, int doctor, Reference condition) {
			CareTeam team = new CareTeam();
			team.setMeta(profile("us-core-careteam"));
			team.setStatus(CareTeam.CareTeamStatus.ACTIVE);
			team.setSubject(patientRef.copy());
			team.setEncounter(encounter.copy());
			team.setPeriod(new Period().setStartElement(dateTime(when)));
			team.addParticipant().addRole(concept(SNOMED, "116154003", "Patient")).setMember(patientRef.copy());
			team.addParticipant().addRole(concept(SNOMED, "223366009", "Healthcare professional (occupation)")).setMember(practitioner(hospital, doctor));
			team.addParticipant().addRole(concept(SNOMED, "224891009", "Healthcare services (qualifier value)")).setMember(organization(hospital));
			team.addManagingOrganization(organization(hospital));
			String teamUrn = addEntry(bundle, team, uuid(rng));
			CarePlan plan = new CarePlan();
			plan.setMeta(profile("us-core-careplan"));
			plan.setText(narrative("Care Plan for Self-care interventions (procedure).<br/>Activities: <ul><li>Self-care interventions (procedure)</li>"
					+ "<li>Diabetic diet</li><li>Exercise therapy</li></ul><br/>Care plan is meant to treat the condition."));
			plan.setStatus(CarePlan.CarePlanStatus.ACTIVE);
			plan.setIntent(CarePlan.CarePlanIntent.ORDER);
			plan.addCategory(concept("http://hl7.org/fhir/us/core/CodeSystem/careplan-category", "assess-plan", null));
			plan.addCategory(concept(SNOMED, "698360004", "Diabetes self management plan"));
			plan.setSubject(patientRef.copy());
			plan.setEncounter(encounter.copy());
			plan.setPeriod(new Period().setStartElement(dateTime(when)));
			plan.addCareTeam(new Reference(teamUrn));
			plan.addAddresses(condition.copy());
			for (String[] activity : new String[][] {{"160670007", "Diabetic diet"}, {"229065009", "Exercise therapy"}}) {
				plan.addActivity().getDetail().setCode(concept(SNOMED, activity[0], activity[1]))
						.setStatus(CarePlan.CarePlanActivityStatus.INPROGRESS).setLocation(location(hospital));
			}
			addEntry(bundle, plan, uuid(rng));
		}

		/** The encounter's clinical note, twice as Synthea writes it: a note DiagnosticReport and a DocumentReference. */
		private void clinicalNote(Reference encounter, LocalDateTime start, LocalDateTime end, int hospital, int doctor, boolean last) {
			String note = Base64.getEncoder().encodeToString(noteText(start).getBytes(StandardCharsets.UTF_8));
			DiagnosticReport report = new DiagnosticReport();
			report.setMeta(profile("us-core-diagnosticreport-note"));
			report.setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL);
			report.addCategory(concept(LOINC, "34117-2", "History and physical note"));
			report.getCategoryFirstRep().addCoding(new Coding(LOINC, "51847-2", "Evaluation + Plan(note)"));
			report.setCode(concept(LOINC, "34117-2", "History and physical note"));
			report.getCode().addCoding(new Coding(LOINC, "51847-2", "Evaluation + Plan(note)"));
			report.setSubject(patientRef.copy());
			report.setEncounter(encounter.copy());
			report.setEffective(dateTime(start));
			report.setIssuedElement(instant(start));
			report.addPerformer(practitioner(hospital, doctor));
			report.addPresentedForm().setContentType("text/plain; charset=utf-8").setDataElement(new org.hl7.fhir.r4.model.Base64BinaryType(note));
			addEntry(bundle, report, uuid(rng));
			DocumentReference document = new DocumentReference();
			document.setMeta(profile("us-core-documentreference"));
			String id = uuid(rng);
			document.addIdentifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + id);
			document.setStatus(last ? Enumerations.DocumentReferenceStatus.CURRENT : Enumerations.DocumentReferenceStatus.SUPERSEDED);
			document.setType(concept(LOINC, "34117-2", "History and physical note"));
			document.getType().addCoding(new Coding(LOINC, "51847-2", "Evaluation + Plan(note)"));
			document.addCategory(concept("http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category", "clinical-note", "Clinical Note"));
			document.setSubject(patientRef.copy());
			document.setDateElement(instant(start));
			document.addAuthor(practitioner(hospital, doctor));
			document.setCustodian(organization(hospital));
			document.addContent().setAttachment(new org.hl7.fhir.r4.model.Attachment().setContentType("text/plain; charset=utf-8")
							.setDataElement(new org.hl7.fhir.r4.model.Base64BinaryType(note)))
					.setFormat(new Coding("http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode", "urn:ihe:iti:xds:2017:mimeTypeSufficient",
							"mimeType Sufficient"));
			document.getContext().addEncounter(encounter.copy()).setPeriod(period(start, end));
			addEntry(bundle, document, id);
		}

		/** Synthea's note lists everything active: it grows with the history, as real ones do. */
		private String noteText(LocalDateTime when) {
			StringBuilder text = new StringBuilder("\n").append(when.toLocalDate()).append("\n\n# Chief Complaint\n")
					.append(rng.chance(0.7) ? "No complaints." : "- Fatigue\n- Cough").append("\n\n# History of Present Illness\n")
					.append(patientName).append(" is a ").append(java.time.Period.between(birth, when.toLocalDate()).getYears())
					.append(" year-old non-hispanic white person.\n\n# Social History\nPatient has never smoked. Patient comes from a middle "
							+ "socioeconomic background. Patient currently has Blue Cross Blue Shield.\n\n# Allergies\nNo Known Allergies.\n\n"
							+ "# Medications\n");
			activeMedications.forEach(m -> text.append("- ").append(m).append('\n'));
			text.append("\n# Assessment and Plan\n");
			activeConditions.forEach(c -> text.append("- ").append(c).append('\n'));
			text.append("\n## Plan\nPatient was given the following immunizations: influenza, seasonal, injectable, preservative free. \n"
					+ "The following procedures were conducted:\n- assessment of health and social care needs (procedure)\n"
					+ "- depression screening (procedure)\n- medication reconciliation (procedure)\n"
					+ "The patient was prescribed the following medications:\n- lisinopril 10 mg oral tablet\n");
			return text.toString();
		}

		private Reference claim(Reference encounter, String[] type, LocalDateTime start, LocalDateTime end, int hospital,
				List<Reference> diagnoses, List<String[]> billed, Reference prescription) {
			Claim claim = new Claim();
			claim.setStatus(Claim.ClaimStatus.ACTIVE);
			claim.setType(concept("http://terminology.hl7.org/CodeSystem/claim-type", prescription != null ? "pharmacy"
					: type[0].equals("IMP") ? "institutional" : "professional", null));
			claim.setUse(Claim.Use.CLAIM);
			claim.setPatient(patientRef.copy());
			claim.setBillablePeriod(period(start, end));
			claim.setCreatedElement(dateTime(end));
			claim.setProvider(organization(hospital));
			claim.setPriority(concept("http://terminology.hl7.org/CodeSystem/processpriority", "normal", null));
			claim.setFacility(location(hospital));
			if (prescription != null) {
				claim.setPrescription(prescription.copy());
			}
			for (int d = 0; d < diagnoses.size(); d++) {
				claim.addDiagnosis().setSequence(d + 1).setDiagnosis(diagnoses.get(d).copy());
			}
			claim.addInsurance().setSequence(1).setFocal(true).setCoverage(new Reference().setDisplay("Blue Cross Blue Shield"));
			claim.addItem().setSequence(1).setProductOrService(concept(SNOMED, type[1], type[2])).addEncounter(encounter.copy());
			int sequence = 2;
			for (String[] item : billed) {
				claim.addItem().setSequence(sequence++).setProductOrService(concept(SNOMED, item[0], item[1]))
						.setNet(money(rng.uniform(50, 900)));
			}
			claim.setTotal(money(rng.uniform(100, 2_000)));
			return new Reference(addEntry(bundle, claim, uuid(rng)));
		}

		private void explanationOfBenefit(Reference encounter, Reference claim, String[] type, LocalDateTime start, LocalDateTime end,
				int hospital, int doctor, List<Reference> diagnoses, List<String[]> billed) {
			ExplanationOfBenefit eob = new ExplanationOfBenefit();
			ServiceRequest referral = new ServiceRequest();
			referral.setId("referral");
			referral.setStatus(ServiceRequest.ServiceRequestStatus.COMPLETED);
			referral.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
			referral.setSubject(patientRef.copy());
			referral.setRequester(practitioner(hospital, doctor));
			referral.addPerformer(practitioner(hospital, doctor));
			Coverage coverage = new Coverage();
			coverage.setId("coverage");
			coverage.setStatus(Coverage.CoverageStatus.ACTIVE);
			coverage.setType(new CodeableConcept().setText("Blue Cross Blue Shield"));
			coverage.setBeneficiary(patientRef.copy());
			coverage.addPayor(new Reference().setDisplay("Blue Cross Blue Shield"));
			eob.addContained(referral);
			eob.addContained(coverage);
			eob.addIdentifier().setSystem("https://bluebutton.cms.gov/resources/variables/clm_id").setValue(uuid(rng));
			eob.addIdentifier().setSystem("https://bluebutton.cms.gov/resources/identifier/claim-group").setValue(String.valueOf(rng.between(1_000, 99_999_999)));
			eob.setStatus(ExplanationOfBenefit.ExplanationOfBenefitStatus.ACTIVE);
			eob.setType(concept("http://terminology.hl7.org/CodeSystem/claim-type", type[0].equals("IMP") ? "institutional" : "professional", null));
			eob.setUse(ExplanationOfBenefit.Use.CLAIM);
			eob.setPatient(patientRef.copy());
			eob.setBillablePeriod(period(start, end));
			eob.setCreatedElement(dateTime(end));
			eob.setInsurer(new Reference().setDisplay("Blue Cross Blue Shield"));
			eob.setProvider(practitioner(hospital, doctor));
			eob.setReferral(new Reference("#referral"));
			eob.setFacility(location(hospital));
			eob.setClaim(claim.copy());
			eob.setOutcome(ExplanationOfBenefit.RemittanceOutcome.COMPLETE);
			eob.addCareTeam().setSequence(1).setProvider(practitioner(hospital, doctor))
					.setRole(concept("http://terminology.hl7.org/CodeSystem/claimcareteamrole", "primary", "Primary provider"));
			for (int d = 0; d < diagnoses.size(); d++) {
				eob.addDiagnosis().setSequence(d + 1).setDiagnosis(diagnoses.get(d).copy())
						.addType(concept("http://terminology.hl7.org/CodeSystem/ex-diagnosistype", "principal", null));
			}
			eob.addInsurance().setFocal(true).setCoverage(new Reference("#coverage").setDisplay("Blue Cross Blue Shield"));
			List<String[]> items = new ArrayList<>();
			items.add(new String[] {type[1], type[2]});
			items.addAll(billed);
			int sequence = 1;
			for (String[] item : items) {
				ExplanationOfBenefit.ItemComponent line = eob.addItem().setSequence(sequence++);
				line.addCareTeamSequence(1);
				line.setCategory(concept("https://bluebutton.cms.gov/resources/variables/line_cms_type_srvc_cd", "1", "Medical care"));
				line.setProductOrService(concept(SNOMED, item[0], item[1]));
				line.setServiced(period(start, end));
				line.setLocation(concept("http://terminology.hl7.org/CodeSystem/ex-serviceplace", "21", "Inpatient Hospital"));
				line.addEncounter(encounter.copy());
				double net = rng.uniform(50, 900);
				line.setNet(money(net));
				for (String[] category : new String[][] {{"https://bluebutton.cms.gov/resources/variables/line_coinsrnc_amt", "Line Beneficiary Coinsurance Amount"},
						{"https://bluebutton.cms.gov/resources/variables/line_prvdr_pmt_amt", "Line Provider Payment Amount"},
						{"https://bluebutton.cms.gov/resources/variables/line_sbmtd_chrg_amt", "Line Submitted Charge Amount"},
						{"https://bluebutton.cms.gov/resources/variables/line_alowd_chrg_amt", "Line Allowed Charge Amount"},
						{"https://bluebutton.cms.gov/resources/variables/line_bene_ptb_ddctbl_amt", "Line Beneficiary Part B Deductible Amount"},
						{"https://bluebutton.cms.gov/resources/variables/line_prcsg_ind_cd", "Line Processing Indicator Code"}}) {
					line.addAdjudication().setCategory(concept(category[0], null, category[1])).setAmount(money(net * rng.uniform(0, 1)));
				}
			}
			eob.addTotal().setCategory(concept("http://terminology.hl7.org/CodeSystem/adjudication", "submitted", "Submitted Amount"))
					.setAmount(money(rng.uniform(100, 2_000)));
			eob.getPayment().setAmount(money(rng.uniform(50, 1_500)));
			addEntry(bundle, eob, uuid(rng));
		}

		/** Synthea's last entry: who made the record, naming every entry of the bundle. */
		private void provenance() {
			Provenance provenance = new Provenance();
			provenance.setMeta(profile("us-core-provenance"));
			for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
				provenance.addTarget(new Reference(entry.getFullUrl()));
			}
			provenance.setRecordedElement(instant(asOf.atTime(12, 0)));
			int hospital = new Rng(seed, "synthea-provenance", n).between(0, HOSPITALS - 1);
			provenance.addAgent().setType(concept("http://terminology.hl7.org/CodeSystem/provenance-participant-type", "author", "Author"))
					.setWho(practitioner(hospital, 0)).setOnBehalfOf(organization(hospital));
			provenance.addAgent().setType(concept("http://terminology.hl7.org/CodeSystem/provenance-participant-type", "transmitter", "Transmitter"))
					.setWho(practitioner(hospital, 0)).setOnBehalfOf(organization(hospital));
			addEntry(bundle, provenance, uuid(rng));
		}
	}

	// ---------------------------------------------------------------- helpers

	private Reference practitioner(int hospital, int doctor) {
		return new Reference("Practitioner?identifier=" + NPI + "|" + npi(hospital, doctor)).setDisplay(practitionerDisplay(hospital, doctor));
	}

	private Reference organization(int hospital) {
		return new Reference("Organization?identifier=" + SYNTHEA + "|" + hospitalId(hospital)).setDisplay(hospitalName(hospital));
	}

	private Reference location(int hospital) {
		return new Reference("Location?identifier=" + SYNTHEA + "|" + locationId(hospital)).setDisplay(hospitalName(hospital));
	}

	private String hospitalId(int h) {
		return uuid(new Rng(seed, "synthea-hospital-id", h));
	}

	private String locationId(int h) {
		return uuid(new Rng(seed, "synthea-location-id", h));
	}

	/** NPIs of 9999… are not issued: Synthea's practitioners use them. The seed keeps sets of different seeds apart. */
	private String npi(int h, int p) {
		return String.format(Locale.ROOT, "9999%06d", (int) (Math.floorMod(seed, 1_000L) * 1_000 + h * PRACTITIONERS_PER_HOSPITAL + p) % 1_000_000);
	}

	private static String hospitalName(int h) {
		return CITIES[h % CITIES.length].toUpperCase(Locale.ROOT) + " MEDICAL CENTER " + (h + 1);
	}

	private static String practitionerFamily(int h, int p) {
		return FAMILY[(h * 7 + p * 3) % FAMILY.length] + (100 + h * PRACTITIONERS_PER_HOSPITAL + p);
	}

	private static String practitionerGiven(int h, int p) {
		return (p % 2 == 0 ? GIVEN_F : GIVEN_M)[(h + p) % 10] + (200 + h);
	}

	private static String practitionerDisplay(int h, int p) {
		return "Dr. " + practitionerGiven(h, p) + " " + practitionerFamily(h, p);
	}

	static String uuid(Rng rng) {
		return new UUID(rng.nextLong(), rng.nextLong()).toString();
	}

	private static Meta profile(String usCore) {
		return new Meta().addProfile(US_CORE + usCore);
	}

	private static Narrative narrative(String xhtml) {
		Narrative narrative = new Narrative().setStatus(Narrative.NarrativeStatus.GENERATED);
		narrative.setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">" + xhtml + "</div>");
		return narrative;
	}

	private static CodeableConcept concept(String system, String code, String display) {
		CodeableConcept concept = new CodeableConcept().addCoding(new Coding(system, code, display));
		return display != null ? concept.setText(display) : concept;
	}

	private static Quantity quantity(double value, String unit) {
		return new Quantity().setValue(value).setUnit(unit).setSystem(UCUM).setCode(unit);
	}

	private static Money money(double value) {
		return new Money().setValue(Math.round(value * 100) / 100.0).setCurrency("USD");
	}

	private static DateTimeType dateTime(LocalDateTime time) {
		return new DateTimeType(DATE_TIME.format(time));
	}

	private static InstantType instant(LocalDateTime time) {
		return new InstantType(INSTANT.format(time));
	}

	private static Period period(LocalDateTime start, LocalDateTime end) {
		return new Period().setStartElement(dateTime(start)).setEndElement(dateTime(end));
	}

	private static String phone(Rng rng) {
		return String.format(Locale.ROOT, "555-%03d-%04d", rng.between(100, 999), rng.between(0, 9999));
	}

	private static Address address(Rng rng) {
		return new Address().addLine(rng.between(1, 999) + " Main Street").setCity(CITIES[rng.between(0, CITIES.length - 1)])
				.setState("MA").setPostalCode(String.format(Locale.ROOT, "0%04d", rng.between(1000, 2799))).setCountry("US");
	}

	/** A POST under urn:uuid:id, the resource carrying the id too, as Synthea writes it (a server assigns its own). */
	private static String addEntry(Bundle bundle, Resource resource, String id) {
		resource.setId(id);
		String urn = "urn:uuid:" + id;
		bundle.addEntry().setFullUrl(urn).setResource(resource).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl(resource.fhirType());
		return urn;
	}

	private static void conditionalEntry(Bundle bundle, DomainResource resource, String value, String system) {
		addEntry(bundle, resource, new UUID(value.hashCode(), system.hashCode() ^ resource.fhirType().hashCode()).toString());
		bundle.getEntry().get(bundle.getEntry().size() - 1).getRequest().setIfNoneExist("identifier=" + system + "|" + value);
	}

	private static String urnOf(Resource resource) {
		return "urn:uuid:" + resource.getIdElement().getIdPart();
	}
}
