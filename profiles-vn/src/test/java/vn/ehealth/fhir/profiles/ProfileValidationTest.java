package vn.ehealth.fhir.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.r5.utils.validation.constants.ReferenceValidationPolicy;
import org.hl7.fhir.validation.instance.advisor.BasePolicyAdvisorForFullValidation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vn.ehealth.fhir.profiles.GuideFiles.GuideFile;
import vn.ehealth.fhir.profiles.identifier.IdentifierSystems;

/**
 * Validates every example and counter-example with HAPI's instance validator: core definitions,
 * snapshots generated from our differentials by {@link SnapshotGeneratingValidationSupport},
 * in-memory terminology, as ig-package and the server wire it; in addition, references between
 * examples are resolved and their targets validated against the target profiles.
 *
 * <p>The guide's other code systems (vn-ethnicity, vn-icd10, vn-practitioner-title, …) belong to
 * the terminology module and are not loaded here; the validator only warns that their value sets
 * are missing, and such issues are set aside.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProfileValidationTest {

	private static final FhirContext FHIR = GuideFiles.FHIR;
	private static final Pattern VN_KEY = Pattern.compile("\\bvn-[a-z]+-[0-9]+\\b");

	/**
	 * Core rules that necessarily fail together with one of ours: bdl-11 and the validator's own
	 * document check say what vn-ps-1 says.
	 */
	private static final Set<String> CO_FAILING_CORE_RULES = Set.of("bdl-11", "Bundle_BUNDLE_Entry_Document");

	private FhirValidator validator;
	private ValidationSupportChain chain;

	@BeforeAll
	void setUpValidator() {
		PrePopulatedValidationSupport guide = new PrePopulatedValidationSupport(FHIR);
		for (GuideFile file : GuideFiles.profiles()) {
			if (file.resource() instanceof StructureDefinition sd) {
				guide.addStructureDefinition(sd);
			} else if (file.resource() instanceof CodeSystem cs) {
				guide.addCodeSystem(cs);
			} else if (file.resource() instanceof ValueSet vs) {
				guide.addValueSet(vs);
			}
		}
		chain = new ValidationSupportChain(
				new DefaultProfileValidationSupport(FHIR),
				new SnapshotGeneratingValidationSupport(FHIR),
				guide,
				new InMemoryTerminologyServerValidationSupport(FHIR),
				new CommonCodeSystemsTerminologyService(FHIR));
		FhirInstanceValidator instanceValidator = new FhirInstanceValidator(chain);
		// Examples reference each other by id: resolve those references and validate the targets
		// against the target profiles, so a reference to the wrong type or a non-conforming target fails.
		instanceValidator.setValidatorResourceFetcher(new ExampleReferences(GuideFiles.examples()));
		instanceValidator.setValidatorPolicyAdvisor(
				new BasePolicyAdvisorForFullValidation(ReferenceValidationPolicy.CHECK_VALID, Set.of()));
		validator = FHIR.newValidator().registerValidatorModule(instanceValidator);
	}

	List<StructureDefinition> structureDefinitions() {
		return GuideFiles.structureDefinitions();
	}

	List<GuideFile> examples() {
		return GuideFiles.examples();
	}

	List<GuideFile> counterExamples() {
		return GuideFiles.counterExamples();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("structureDefinitions")
	void generatesASnapshotHoldingEveryDifferentialElement(StructureDefinition differential) {
		StructureDefinition snapshot = (StructureDefinition) chain.generateSnapshot(
				new ValidationSupportContext(chain), differential.copy(), differential.getUrl(), differential.getUrl(),
				differential.getName());
		assertThat(snapshot).isNotNull();
		Set<String> snapshotIds = snapshot.getSnapshot().getElement().stream()
				.map(ElementDefinition::getId)
				.collect(Collectors.toSet());
		for (ElementDefinition element : differential.getDifferential().getElement()) {
			assertThat(snapshotIds).as(differential.getId()).contains(element.getId());
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("examples")
	void everyExampleIsValid(GuideFile example) {
		assertThat(errors(example.json())).isEmpty();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("counterExamples")
	void everyCounterExampleBreaksItsInvariantAndNoOtherRule(GuideFile counterExample) {
		String key = counterExample.brokenInvariantKey();
		List<String> errors = errors(counterExample.json());
		assertThat(errors).as("errors naming " + key).anyMatch(e -> vnKeys(e).contains(key));
		assertThat(errors).as("errors other than " + key)
				.allMatch(e -> vnKeys(e).equals(Set.of(key)) || CO_FAILING_CORE_RULES.stream().anyMatch(e::contains));
	}

	// The contract's structural rules, which need no invariant: one failing case each.

	@Test
	void rejectsPatientWithoutNameGenderOrBirthDate() {
		assertThat(errorsAfter("Patient-patient-cccd-male-1985-hanoi.json", (Patient p) -> p.setBirthDate(null)))
				.anyMatch(e -> e.contains("Patient.birthDate") && e.contains("minimum required = 1"));
		assertThat(errorsAfter("Patient-patient-cccd-male-1985-hanoi.json", (Patient p) -> p.setGender(null)))
				.anyMatch(e -> e.contains("Patient.gender") && e.contains("minimum required = 1"));
		assertThat(errorsAfter("Patient-patient-cccd-male-1985-hanoi.json", (Patient p) -> p.getName().clear()))
				.anyMatch(e -> e.contains("Patient.name") && e.contains("minimum required = 1"));
	}

	@Test
	void rejectsPatientWithTwoCccds() {
		assertThat(errorsAfter("Patient-patient-cccd-male-1985-hanoi.json",
						(Patient p) -> p.addIdentifier().setSystem(IdentifierSystems.CCCD).setValue("001085099999")))
				.anyMatch(e -> e.contains("cccd") && e.contains("max allowed = 1"));
	}

	@Test
	void rejectsClinicalResourceWhoseSubjectIsNotAPatient() {
		assertThat(errorsAfter("Condition-condition-hypertension-i10-nguyen-van-an.json",
						(Condition c) -> c.setSubject(new Reference("Practitioner/practitioner-bac-sy-licensed-male-1978"))))
				.anyMatch(e -> e.contains("Condition.subject") && e.contains("Invalid Resource target type"));
	}

	@Test
	void rejectsMedicationRequestWithoutPrescriber() {
		assertThat(errorsAfter("MedicationRequest-medication-request-amlodipine-5mg-nguyen-van-an.json",
						(MedicationRequest m) -> m.setRequester(null)))
				.anyMatch(e -> e.contains("MedicationRequest.requester") && e.contains("minimum required = 1"));
	}

	@Test
	void rejectsMedicationRequestWhosePrescriberIsNotAPractitionerRole() {
		assertThat(errorsAfter("MedicationRequest-medication-request-amlodipine-5mg-nguyen-van-an.json",
						(MedicationRequest m) -> m.setRequester(new Reference("Practitioner/practitioner-bac-sy-licensed-male-1978"))))
				.anyMatch(e -> e.contains("MedicationRequest.requester") && e.contains("Invalid Resource target type"));
	}

	@Test
	void rejectsPractitionerRoleWithoutOrganizationOrWorkingHours() {
		assertThat(errorsAfter("PractitionerRole-practitioner-role-bac-sy-song-hong-weekdays.json",
						(PractitionerRole r) -> r.setOrganization(null)))
				.anyMatch(e -> e.contains("PractitionerRole.organization") && e.contains("minimum required = 1"));
		assertThat(errorsAfter("PractitionerRole-practitioner-role-bac-sy-song-hong-weekdays.json",
						(PractitionerRole r) -> r.getAvailableTime().clear()))
				.anyMatch(e -> e.contains("PractitionerRole.availableTime") && e.contains("minimum required = 1"));
	}

	@Test
	void rejectsOrganizationWithoutName() {
		assertThat(errorsAfter("Organization-organization-so-y-te-hanoi-not-a-facility.json",
						(Organization o) -> o.setName(null)))
				.anyMatch(e -> e.contains("Organization.name") && e.contains("minimum required = 1"));
	}

	@Test
	void rejectsPractitionerWithoutName() {
		assertThat(errorsAfter("Practitioner-practitioner-bac-sy-licensed-male-1978.json",
						(Practitioner p) -> p.getName().clear()))
				.anyMatch(e -> e.contains("Practitioner.name") && e.contains("minimum required = 1"));
	}

	@Test
	void rejectsLicenceStatusOutsideTheLicenceStatusCodes() {
		assertThat(errorsAfter("Practitioner-practitioner-bac-sy-licensed-male-1978.json",
						(Practitioner p) -> p.getExtensionByUrl(Canonicals.EXT_PRACTICE_LICENCE)
								.getExtensionByUrl("status").setValue(new CodeType("lost"))))
				.anyMatch(e -> e.contains("lost"));
	}

	@Test
	void rejectsPatientSummaryThatIsNotADocument() {
		assertThat(errorsAfter("Bundle-patient-summary-nguyen-van-an-2025-03.json",
						(Bundle b) -> b.setType(Bundle.BundleType.COLLECTION)))
				.anyMatch(e -> e.contains("document"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("examples")
	void missingGuideTerminologyIsOnlyEverAWarning(GuideFile example) {
		// so setting those issues aside cannot hide an error
		assertThat(validator.validateWithResult(example.json()).getMessages())
				.filteredOn(ProfileValidationTest::isMissingGuideTerminology)
				.noneMatch(ProfileValidationTest::isError);
	}

	@SuppressWarnings("unchecked")
	private <T extends Resource> List<String> errorsAfter(String exampleFile, Consumer<T> change) {
		GuideFile example = GuideFiles.examples().stream()
				.filter(f -> f.name().equals(exampleFile))
				.findFirst().orElseThrow();
		T resource = (T) FHIR.newJsonParser().parseResource(example.json());
		change.accept(resource);
		return errors(FHIR.newJsonParser().encodeResourceToString(resource));
	}

	private List<String> errors(String json) {
		return validator.validateWithResult(json).getMessages().stream()
				.filter(ProfileValidationTest::isError)
				.filter(m -> !isMissingGuideTerminology(m))
				.map(m -> m.getLocationString() + " [" + m.getMessageId() + "] " + m.getMessage())
				.toList();
	}

	private static boolean isError(SingleValidationMessage message) {
		return message.getSeverity() == ResultSeverityEnum.ERROR || message.getSeverity() == ResultSeverityEnum.FATAL;
	}

	/** An issue only saying that one of the terminology module's code systems or value sets is not loaded. */
	private static boolean isMissingGuideTerminology(SingleValidationMessage message) {
		String text = message.getMessage();
		boolean aboutGuideTerminology = text.contains(Canonicals.BASE + "/ValueSet/") || text.contains(Canonicals.BASE + "/CodeSystem/");
		boolean saysMissing = text.contains("not found") || text.contains("is unknown") || text.contains("could not be found")
				|| "Terminology_TX_ValueSet_NotFound".equals(message.getMessageId());
		return aboutGuideTerminology && saysMissing;
	}

	private static Set<String> vnKeys(String error) {
		// the pattern needs a number at the end, so profile ids (vn-patient, vn-ext-ethnicity) do not count
		Set<String> keys = new java.util.HashSet<>();
		Matcher m = VN_KEY.matcher(error);
		while (m.find()) {
			keys.add(m.group());
		}
		return keys;
	}
}
