package vn.ehealth.fhir.tests.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.bench.SyntheticPatients;
import vn.ehealth.fhir.tests.support.ExtraGuidePackage;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/** Writes are checked against VietFHIR Core whether or not they declare it (issue 4). */
class ValidationOnWriteTest {

	private static final String VN_PATIENT = "https://vietfhir.org/fhir/StructureDefinition/vn-patient";
	private static IGenericClient client;
	private static Http http;

	@BeforeAll
	static void server() {
		client = TestServer.shared().client();
		http = TestServer.shared().http();
	}

	@Test
	void storesAPatientWhoseCccdAgreesWithSexAndBirthYear() {
		Patient patient = Fixtures.patientWithCccd(Fixtures.cccd("001085"), "male", "1985-03-02");
		assertThat(client.create().resource(patient).execute().getCreated()).isTrue();
	}

	@Test
	void refusesACccdWhoseCenturyAndSexDigitContradictsTheGenderWithoutAProfileDeclared() {
		// digit 4 = 1 means a woman born in the 1900s; the patient is a man
		String idValue = Fixtures.uniqueValue();
		Patient patient = Fixtures.patientWithCccd(Fixtures.cccd("001185"), "male", "1985-03-02");
		patient.getIdentifierFirstRep().setValue(idValue);
		assertThat(patient.getMeta().getProfile()).isEmpty();

		Http.Response response = http.post("/fhir/Patient", "application/fhir+json", encode(patient));

		assertThat(response.status()).isEqualTo(422);
		OperationOutcome outcome = response.outcome();
		assertThat(response.diagnostics()).contains("vn-cccd").contains(VN_PATIENT);
		assertThat(outcome.getIssue()).anySatisfy(issue -> assertThat(issue.getExpression().toString()
						+ issue.getLocation().toString())
				.contains("Patient"));
		assertThat(Fixtures.countPatients(client, idValue)).isZero();
	}

	@Test
	void refusesACccdWhoseYearDigitsDisagreeWithTheBirthDate() {
		Patient patient = Fixtures.patientWithCccd(Fixtures.cccd("001090"), "male", "1985-03-02");
		Http.Response response = http.post("/fhir/Patient", "application/fhir+json", encode(patient));
		assertThat(response.status()).isEqualTo(422);
		assertThat(response.diagnostics()).contains("vn-cccd");
	}

	@Test
	void refusesACccdWithAnUnknownProvince() {
		Patient patient = Fixtures.patientWithCccd(Fixtures.cccd("003085"), "male", "1985-03-02");
		Http.Response response = http.post("/fhir/Patient", "application/fhir+json", encode(patient));
		assertThat(response.status()).isEqualTo(422);
		assertThat(response.diagnostics()).contains("vn-cccd");
	}

	@Test
	void localCodeSystemsAreCheckedStrictlyAndUnknownExternalOnesDoNotFail() {
		String ethnicity = "https://vietfhir.org/fhir/StructureDefinition/vn-ext-ethnicity";
		Patient tay = Fixtures.patientWithCccd(Fixtures.cccd("004162"), "female", "1962-05-20");
		tay.addExtension(ethnicity, new org.hl7.fhir.r4.model.Coding(
				"https://vietfhir.org/fhir/CodeSystem/vn-ethnicity", "02", "Tày"));
		Http.Response created = http.post("/fhir/Patient", "application/fhir+json", encode(tay));
		assertThat(created.status()).isEqualTo(201);

		Patient unknownGroup = Fixtures.patientWithCccd(Fixtures.cccd("004162"), "female", "1962-05-20");
		unknownGroup.addExtension(ethnicity, new org.hl7.fhir.r4.model.Coding(
				"https://vietfhir.org/fhir/CodeSystem/vn-ethnicity", "77", "Không có"));
		Http.Response refused = http.post("/fhir/Patient", "application/fhir+json", encode(unknownGroup));
		assertThat(refused.status()).isEqualTo(422);
		assertThat(refused.diagnostics()).contains("77");

		// a LOINC code the server has no release of is not an error
		org.hl7.fhir.r4.model.Observation observation = new org.hl7.fhir.r4.model.Observation();
		observation.setStatus(org.hl7.fhir.r4.model.Observation.ObservationStatus.FINAL);
		observation.getCode().addCoding().setSystem("http://loinc.org").setCode("2345-7").setDisplay("Glucose");
		// the Patient created above: a second create with its CCCD would be refused (one record per citizen, issue 19)
		observation.getSubject().setReference(new org.hl7.fhir.r4.model.IdType(created.header("Location")).toUnqualifiedVersionless().getValue());
		assertThat(http.post("/fhir/Observation", "application/fhir+json", encode(observation)).status()).isEqualTo(201);
	}

	@Test
	void genderUnknownSkipsOnlyTheSexCheck() {
		// 2003, female digit: with gender unknown only the century (2000s) and the year are checked
		Patient ok = Fixtures.patientWithCccd(Fixtures.cccd("079303"), "unknown", "2003-11-20");
		assertThat(http.post("/fhir/Patient", "application/fhir+json", encode(ok)).status()).isEqualTo(201);
		Patient wrongYear = Fixtures.patientWithCccd(Fixtures.cccd("079304"), "unknown", "2003-11-20");
		assertThat(http.post("/fhir/Patient", "application/fhir+json", encode(wrongYear)).status()).isEqualTo(422);
	}

	@Test
	void aFailingEntryRejectsTheWholeTransaction() {
		String idValue = Fixtures.uniqueValue();
		Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		Patient good = Fixtures.patientWithCccd(Fixtures.cccd("001085"), "male", "1985-03-02");
		good.getIdentifierFirstRep().setValue(idValue);
		Patient bad = Fixtures.patientWithCccd(Fixtures.cccd("001185"), "male", "1985-03-02");
		bad.getIdentifierFirstRep().setValue(idValue);
		tx.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(good)
				.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");
		tx.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(bad)
				.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");

		Http.Response response = http.post("/fhir", "application/fhir+json", encode(tx));

		assertThat(response.status()).isEqualTo(422);
		assertThat(response.diagnostics()).contains("vn-cccd");
		assertThat(Fixtures.countPatients(client, idValue)).isZero();
	}

	/**
	 * A transaction entry is walked once, against its guide profile (whose snapshot holds the base
	 * type's rules), as a resource written on its own is: its error is listed once, naming the guide's
	 * profile, not a second time from the base type (issue 21).
	 */
	@Test
	void anEntrysErrorIsListedOnceAgainstTheGuideProfile() {
		Bundle tx = new SyntheticPatients(2121).patientBundle(1, 1);
		((Observation) tx.getEntry().get(3).getResource()).setStatus(null);

		Http.Response response = http.post("/fhir", "application/fhir+json", encode(tx));

		assertThat(response.status()).as(response.body()).isEqualTo(422);
		var missingStatus = response.outcome().getIssue().stream()
				.filter(issue -> issue.getSeverity() == OperationOutcome.IssueSeverity.ERROR)
				.map(OperationOutcome.OperationOutcomeIssueComponent::getDiagnostics)
				.filter(text -> text.contains("Observation.status: minimum required = 1"))
				.toList();
		assertThat(missingStatus).singleElement().asString().contains("vn-observation");
	}

	@Test
	void updatesAndPatchesAreCheckedToo() {
		Patient patient = Fixtures.patientWithCccd(Fixtures.cccd("001085"), "male", "1985-03-02");
		var id = client.create().resource(patient).execute().getId().toUnqualifiedVersionless();
		String patch = "[{\"op\":\"replace\",\"path\":\"/gender\",\"value\":\"female\"}]";
		try {
			client.patch().withBody(patch).withId(id).execute();
			throw new AssertionError("a patch that makes the CCCD inconsistent must be refused");
		} catch (UnprocessableEntityException expected) {
			assertThat(expected.getStatusCode()).isEqualTo(422);
		}
		assertThat(client.read().resource(Patient.class).withId(id).execute().getGender().toCode()).isEqualTo("male");
	}

	@Test
	void validateOperationChecksAgainstANamedProfile() {
		Patient patient = Fixtures.patientWithCccd(Fixtures.cccd("001185"), "male", "1985-03-02");
		OperationOutcome outcome = validate(patient, VN_PATIENT);
		assertThat(outcome.getIssue())
				.anySatisfy(issue -> {
					assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
					assertThat(issue.getDiagnostics()).contains("vn-cccd-3");
				});
	}

	@Test
	void validateAcceptsTheParametersFormOfTheSpec() {
		Patient patient = Fixtures.patientWithCccd(Fixtures.cccd("001185"), "male", "1985-03-02");
		org.hl7.fhir.r4.model.Parameters parameters = new org.hl7.fhir.r4.model.Parameters();
		parameters.addParameter().setName("resource").setResource(patient);
		parameters.addParameter().setName("profile").setValue(new org.hl7.fhir.r4.model.UriType(VN_PATIENT));
		Http.Response response = http.post("/fhir/Patient/$validate", "application/fhir+json", encode(parameters));
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.resource(OperationOutcome.class).getIssue())
				.anySatisfy(issue -> {
					assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
					assertThat(issue.getDiagnostics()).contains("vn-cccd-3");
				})
				.noneSatisfy(issue -> assertThat(issue.getDiagnostics()).contains("found type 'Parameters'"));
	}

	@Test
	void validatesAgainstAProfileFromAnOperatorLoadedPackage() {
		Patient patient = Fixtures.patientWithCccd(Fixtures.cccd("001085"), "male", "1985-03-02");
		assertThat(validate(patient, ExtraGuidePackage.PROFILE_URL).getIssue())
				.anySatisfy(issue -> {
					assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
					assertThat(issue.getDiagnostics()).contains("telecom");
				});
		patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("0912345678");
		assertThat(validate(patient, ExtraGuidePackage.PROFILE_URL).getIssue())
				.noneMatch(issue -> issue.getSeverity() == OperationOutcome.IssueSeverity.ERROR);
	}

	/** $validate with the resource as the body and the profile in the URL. */
	private static OperationOutcome validate(Patient patient, String profile) {
		Http.Response response = http.post(
				"/fhir/Patient/$validate?profile=" + URLEncoder.encode(profile, StandardCharsets.UTF_8),
				"application/fhir+json",
				encode(patient));
		return response.resource(OperationOutcome.class);
	}

	@Test
	void guideConformanceResourcesAreInstalled() {
		Bundle profiles = client.search().byUrl("StructureDefinition?url=" + VN_PATIENT).returnBundle(Bundle.class).execute();
		assertThat(profiles.getEntry()).hasSize(1);
		Bundle codeSystems = client.search()
				.byUrl("CodeSystem?url=https://vietfhir.org/fhir/CodeSystem/vn-ethnicity")
				.returnBundle(Bundle.class)
				.execute();
		assertThat(codeSystems.getEntry()).hasSize(1);
	}

	private static String encode(org.hl7.fhir.r4.model.Resource resource) {
		return TestServer.fhirContext().newJsonParser().encodeResourceToString(resource);
	}
}
