package vn.ehealth.fhir.profiles;

/**
 * Canonical URLs of the guide's profiles and extensions, as fixed by {@code shared/docs/ig-contract.md}:
 * every conformance resource is {@code https://vietfhir.org/fhir/<ResourceType>/<id>}.
 */
public final class Canonicals {

	public static final String BASE = "https://vietfhir.org/fhir";

	public static final String PATIENT = structureDefinition("vn-patient");
	public static final String PRACTITIONER = structureDefinition("vn-practitioner");
	public static final String PRACTITIONER_ROLE = structureDefinition("vn-practitioner-role");
	public static final String ORGANIZATION = structureDefinition("vn-organization");
	public static final String ENCOUNTER = structureDefinition("vn-encounter");
	public static final String CONDITION = structureDefinition("vn-condition");
	public static final String OBSERVATION = structureDefinition("vn-observation");
	public static final String MEDICATION_REQUEST = structureDefinition("vn-medication-request");
	public static final String IMMUNIZATION = structureDefinition("vn-immunization");
	public static final String ALLERGY_INTOLERANCE = structureDefinition("vn-allergy-intolerance");
	public static final String PROCEDURE = structureDefinition("vn-procedure");
	public static final String DIAGNOSTIC_REPORT = structureDefinition("vn-diagnostic-report");
	public static final String PATIENT_SUMMARY = structureDefinition("vn-patient-summary");

	public static final String EXT_ETHNICITY = structureDefinition("vn-ext-ethnicity");
	public static final String EXT_OCCUPATION = structureDefinition("vn-ext-occupation");
	public static final String EXT_PRACTICE_LICENCE = structureDefinition("vn-ext-practice-licence");
	public static final String EXT_OPERATING_LICENCE = structureDefinition("vn-ext-operating-licence");
	/** The guide's own (not in the contract): a facility's latest quality assessment, disclosed under Circular 38/2024. */
	public static final String EXT_QUALITY_ASSESSMENT = structureDefinition("vn-ext-quality-assessment");

	/** Classpath folders this module ships: differentials (and the licence-status terminology), valid examples, failing fixtures. */
	public static final String PROFILES_FOLDER = "vietfhir/profiles";
	public static final String EXAMPLES_FOLDER = "vietfhir/examples";
	public static final String COUNTER_EXAMPLES_FOLDER = "vietfhir/counter-examples";

	private Canonicals() {}

	public static String structureDefinition(String id) {
		return BASE + "/StructureDefinition/" + id;
	}

	public static String valueSet(String id) {
		return BASE + "/ValueSet/" + id;
	}

	public static String codeSystem(String id) {
		return BASE + "/CodeSystem/" + id;
	}
}
