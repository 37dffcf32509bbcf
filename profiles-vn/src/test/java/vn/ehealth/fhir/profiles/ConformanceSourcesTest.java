package vn.ehealth.fhir.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.StructureDefinition.TypeDerivationRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vn.ehealth.fhir.profiles.GuideFiles.GuideFile;

/** The sources are well formed and keep the contract's names; the checks ig-package would otherwise hit late. */
class ConformanceSourcesTest {

	private static final Pattern KEBAB = Pattern.compile("^[a-z0-9]+(-[a-z0-9]+)*$");
	private static final Pattern PASCAL = Pattern.compile("^[A-Z][A-Za-z0-9]*$");
	private static final Pattern INVARIANT_KEY = Pattern.compile("^vn-[a-z]+-[0-9]+$");
	private static final Pattern COUNTER_EXAMPLE_NAME = Pattern.compile("^(vn-[a-z]+-[0-9]+)-fail-[0-9]+\\.json$");

	/** Profile and extension ids fixed by ig-contract.md. */
	private static final Set<String> CONTRACT_IDS = Set.of(
			"vn-patient", "vn-practitioner", "vn-practitioner-role", "vn-organization", "vn-encounter",
			"vn-condition", "vn-observation", "vn-medication-request", "vn-immunization",
			"vn-allergy-intolerance", "vn-procedure", "vn-diagnostic-report", "vn-patient-summary",
			"vn-ext-ethnicity", "vn-ext-occupation", "vn-ext-practice-licence", "vn-ext-operating-licence");

	/** The guide's own additions beyond the contract (new names are the guide's design; docs/disclosure.md). */
	private static final Set<String> GUIDE_OWN_IDS = Set.of("vn-ext-quality-assessment");

	static List<GuideFile> allFiles() {
		List<GuideFile> all = new java.util.ArrayList<>(GuideFiles.profiles());
		all.addAll(GuideFiles.examples());
		all.addAll(GuideFiles.counterExamples());
		return all;
	}

	static List<GuideFile> profiles() {
		return GuideFiles.profiles();
	}

	static List<GuideFile> counterExamples() {
		return GuideFiles.counterExamples();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("allFiles")
	void everyJsonFileParsesAsAnR4Resource(GuideFile file) {
		assertThat(file.resource()).isNotNull();
		assertThat(file.resource().getIdElement().getIdPart()).as("id").isNotBlank();
	}

	@Test
	void everyProfileAndExtensionOfTheContractIsDefined() {
		Set<String> ids = GuideFiles.structureDefinitions().stream()
				.map(sd -> sd.getIdElement().getIdPart())
				.collect(Collectors.toSet());
		Set<String> expected = new java.util.HashSet<>(CONTRACT_IDS);
		expected.addAll(GUIDE_OWN_IDS);
		assertThat(ids).containsExactlyInAnyOrderElementsOf(expected);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("profiles")
	void everyConformanceResourceFollowsTheNamingRules(GuideFile file) {
		MetadataResource resource = (MetadataResource) file.resource();
		String type = resource.fhirType();
		String id = resource.getIdElement().getIdPart();
		assertThat(file.name()).isEqualTo(type + "-" + id + ".json");
		assertThat(id).matches(KEBAB);
		assertThat(resource.getUrl()).isEqualTo(Canonicals.BASE + "/" + type + "/" + id);
		assertThat(resource.getName()).matches(PASCAL);
		assertThat(resource.getTitle()).isNotBlank();
		assertThat(resource.getVersion()).isEqualTo("0.1.0");
		assertThat(resource.getStatus()).isEqualTo(PublicationStatus.ACTIVE);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("profiles")
	void everyStructureDefinitionIsAnR4Differential(GuideFile file) {
		if (!(file.resource() instanceof StructureDefinition sd)) {
			return;
		}
		assertThat(sd.getFhirVersion().toCode()).isEqualTo("4.0.1");
		assertThat(sd.getAbstract()).isFalse();
		assertThat(sd.getDerivation()).isEqualTo(TypeDerivationRule.CONSTRAINT);
		assertThat(sd.getBaseDefinition()).isEqualTo("http://hl7.org/fhir/StructureDefinition/"
				+ (sd.getType().equals("Extension") ? "Extension" : sd.getType()));
		assertThat(sd.hasSnapshot()).as("sources are differentials; ig-package generates snapshots").isFalse();
		assertThat(sd.getDifferential().getElement()).isNotEmpty();
		for (ElementDefinition element : sd.getDifferential().getElement()) {
			assertThat(element.getId()).as("element id").isNotBlank();
			assertThat(element.getPath()).startsWith(sd.getType());
			for (ElementDefinition.ElementDefinitionConstraintComponent constraint : element.getConstraint()) {
				assertThat(constraint.getKey()).matches(INVARIANT_KEY);
				assertThat(constraint.getSeverity()).isEqualTo(ElementDefinition.ConstraintSeverity.ERROR);
				assertThat(constraint.getHuman()).as(constraint.getKey() + " human: Vietnamese / English").contains(" / ");
				assertThat(constraint.getExpression()).as(constraint.getKey() + " expression").isNotBlank();
				assertThat(constraint.getSource()).isEqualTo(sd.getUrl());
			}
		}
	}

	@Test
	void anInvariantKeyStatesTheSameRuleWhereverItIsDeclared() {
		java.util.Map<String, String> ruleByKey = new java.util.HashMap<>();
		for (StructureDefinition sd : GuideFiles.structureDefinitions()) {
			for (ElementDefinition element : sd.getDifferential().getElement()) {
				for (ElementDefinition.ElementDefinitionConstraintComponent c : element.getConstraint()) {
					String rule = c.getHuman() + " :: " + c.getExpression();
					String earlier = ruleByKey.putIfAbsent(c.getKey(), rule);
					assertThat(earlier == null ? rule : earlier).as(c.getKey() + " in " + sd.getId()).isEqualTo(rule);
				}
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("counterExamples")
	void everyCounterExampleNamesAnInvariantThatExists(GuideFile file) {
		assertThat(file.name()).matches(COUNTER_EXAMPLE_NAME);
		assertThat(GuideFiles.invariantKeys()).contains(file.brokenInvariantKey());
	}

	@Test
	void everyInvariantHasACounterExample() {
		Set<String> broken = GuideFiles.counterExamples().stream()
				.map(GuideFile::brokenInvariantKey)
				.collect(Collectors.toSet());
		assertThat(broken).containsAll(GuideFiles.invariantKeys());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("allExamples")
	void everyExampleDeclaresTheProfileItShows(GuideFile file) {
		assertThat(file.resource().getMeta().getProfile()).as("meta.profile").isNotEmpty();
		assertThat(file.resource().getMeta().getProfile().get(0).getValue()).startsWith(Canonicals.BASE + "/StructureDefinition/vn-");
		String id = file.resource().getIdElement().getIdPart();
		assertThat(file.name()).isIn(file.resource().fhirType() + "-" + id + ".json", id + ".json");
	}

	static List<GuideFile> allExamples() {
		List<GuideFile> all = new java.util.ArrayList<>(GuideFiles.examples());
		all.addAll(GuideFiles.counterExamples());
		return all;
	}

	@Test
	void everyProfileAndExtensionHasAnExample() {
		Set<String> shown = new java.util.HashSet<>();
		for (GuideFile file : GuideFiles.examples()) {
			collectProfilesAndExtensions(file.json(), shown);
		}
		Set<String> expected = CONTRACT_IDS.stream().map(Canonicals::structureDefinition).collect(Collectors.toSet());
		assertThat(shown).containsAll(expected);
	}

	private static void collectProfilesAndExtensions(String json, Set<String> into) {
		java.util.regex.Matcher m = Pattern.compile("\"(" + Pattern.quote(Canonicals.BASE) + "/StructureDefinition/[a-z0-9-]+)\"").matcher(json);
		while (m.find()) {
			into.add(m.group(1));
		}
	}
}
