package vn.ehealth.fhir.igpackage;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.ImplementationGuide;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package the build produced (target/package and the .tgz on the classpath): every name of the
 * contract is in it with a snapshot, its index is right, and with its own terminology the examples
 * are valid and each counter-example breaks the rule it is named after.
 */
class BuiltPackageTest {

	private static final FhirContext FHIR = FhirContext.forR4Cached();
	private static final String B = "https://vietfhir.org/fhir";
	private static NpmPackage npm;
	private static FhirValidator validator;
	/** FHIR core and this package, nothing else. */
	private static ValidationSupportChain coreAndGuide;

	@BeforeAll
	static void load() throws IOException {
		try (InputStream in = BuiltPackageTest.class.getClassLoader().getResourceAsStream("vietfhir/package/vietfhir.core.tgz")) {
			assertThat(in).as("the build put the package on the classpath").isNotNull();
			npm = NpmPackage.fromPackage(in);
		}
		PrePopulatedValidationSupport guide = new PrePopulatedValidationSupport(FHIR);
		IParser parser = FHIR.newJsonParser();
		for (String file : npm.listResources("StructureDefinition", "CodeSystem", "ValueSet")) {
			try (InputStream in = npm.loadResource(file)) {
				guide.addResource(parser.parseResource(in));
			}
		}
		ValidationSupportChain chain = new ValidationSupportChain(
				new DefaultProfileValidationSupport(FHIR),
				guide,
				new CommonCodeSystemsTerminologyService(FHIR),
				new InMemoryTerminologyServerValidationSupport(FHIR),
				new SnapshotGeneratingValidationSupport(FHIR));
		coreAndGuide = new ValidationSupportChain(new DefaultProfileValidationSupport(FHIR), guide);
		validator = FHIR.newValidator();
		validator.registerValidatorModule(new FhirInstanceValidator(chain));
	}

	@Test
	void holdsEveryProfileExtensionAndTerminologyOfTheContract() throws IOException {
		Set<String> urls = index().stream().map(e -> e.get("url")).collect(Collectors.toSet());
		for (String id : List.of(
				"vn-patient", "vn-practitioner", "vn-practitioner-role", "vn-organization", "vn-encounter",
				"vn-condition", "vn-observation", "vn-medication-request", "vn-immunization",
				"vn-allergy-intolerance", "vn-procedure", "vn-diagnostic-report", "vn-patient-summary",
				"vn-ext-ethnicity", "vn-ext-occupation", "vn-ext-practice-licence", "vn-ext-operating-licence")) {
			assertThat(urls).contains(B + "/StructureDefinition/" + id);
		}
		for (String id : List.of(
				"vn-ethnicity", "vn-province", "vn-province-legacy", "vn-occupation", "vn-practitioner-title",
				"vn-bhyt-beneficiary-group", "vn-icd10")) {
			assertThat(urls).contains(B + "/CodeSystem/" + id, B + "/ValueSet/" + id);
		}
		assertThat(urls).contains(B + "/ConceptMap/vn-province-legacy-to-2025");
	}

	/** Loaded into a validator with only FHIR core beside it, every canonical the package uses resolves. */
	@Test
	void everyCanonicalItReferencesResolves() throws IOException {
		IParser parser = FHIR.newJsonParser();
		List<String> dangling = new java.util.ArrayList<>();
		for (String file : npm.listResources("StructureDefinition", "ValueSet", "ConceptMap")) {
			IBaseResource resource;
			try (InputStream in = npm.loadResource(file)) {
				resource = parser.parseResource(in);
			}
			if (resource instanceof StructureDefinition profile) {
				require(dangling, file, profile.getBaseDefinition(), "StructureDefinition");
				for (var element : profile.getSnapshot().getElement()) {
					for (var type : element.getType()) {
						type.getProfile().forEach(p -> require(dangling, file, p.getValue(), "StructureDefinition"));
						type.getTargetProfile().forEach(p -> require(dangling, file, p.getValue(), "StructureDefinition"));
					}
					if (element.getBinding().hasValueSet()) {
						require(dangling, file, element.getBinding().getValueSet(), "ValueSet");
					}
				}
			} else if (resource instanceof org.hl7.fhir.r4.model.ValueSet valueSet) {
				valueSet.getCompose().getInclude().forEach(include -> {
					if (include.hasSystem()) {
						require(dangling, file, include.getSystem(), "CodeSystem");
					}
					include.getValueSet().forEach(v -> require(dangling, file, v.getValue(), "ValueSet"));
				});
			} else if (resource instanceof org.hl7.fhir.r4.model.ConceptMap map) {
				require(dangling, file, map.getSourceCanonicalType().getValue(), "ValueSet");
				require(dangling, file, map.getTargetCanonicalType().getValue(), "ValueSet");
				map.getGroup().forEach(group -> {
					require(dangling, file, group.getSource(), "CodeSystem");
					require(dangling, file, group.getTarget(), "CodeSystem");
				});
			}
		}
		assertThat(dangling).isEmpty();
	}

	private static void require(List<String> dangling, String file, String canonical, String type) {
		if (canonical == null) {
			return;
		}
		String url = canonical.contains("|") ? canonical.substring(0, canonical.indexOf('|')) : canonical;
		Object found = switch (type) {
			case "StructureDefinition" -> coreAndGuide.fetchStructureDefinition(url);
			case "ValueSet" -> coreAndGuide.fetchValueSet(url);
			default -> coreAndGuide.fetchCodeSystem(url);
		};
		if (found == null) {
			dangling.add(file + " -> " + type + " " + canonical);
		}
	}

	@Test
	void everyProfileShipsWithASnapshot() throws IOException {
		IParser parser = FHIR.newJsonParser();
		for (String file : npm.listResources("StructureDefinition")) {
			try (InputStream in = npm.loadResource(file)) {
				StructureDefinition profile = parser.parseResource(StructureDefinition.class, in);
				assertThat(profile.getSnapshot().getElement()).as(file).isNotEmpty();
			}
		}
	}

	@Test
	void manifestAndIndexDescribeThePackage() throws IOException {
		Path dir = Path.of(System.getProperty("vietfhir.package.dir", "target/package"), "package");
		JsonObject manifest = JsonParser.parseString(Files.readString(dir.resolve("package.json"))).getAsJsonObject();
		assertThat(manifest.get("name").getAsString()).isEqualTo("vietfhir.core");
		assertThat(manifest.get("canonical").getAsString()).isEqualTo(B);
		assertThat(manifest.getAsJsonArray("fhirVersions").get(0).getAsString()).isEqualTo("4.0.1");
		for (Map<String, String> entry : index()) {
			assertThat(dir.resolve(entry.get("filename"))).exists();
		}
	}

	/** The package describes itself with an ImplementationGuide that lists every resource it holds. */
	@Test
	void publishesItsImplementationGuide() throws IOException {
		List<Map<String, String>> guides = index().stream()
				.filter(e -> "ImplementationGuide".equals(e.get("resourceType"))).toList();
		assertThat(guides).hasSize(1);
		ImplementationGuide guide;
		try (InputStream in = npm.loadResource(guides.get(0).get("filename"))) {
			guide = FHIR.newJsonParser().parseResource(ImplementationGuide.class, in);
		}
		assertThat(guide.getUrl()).isEqualTo(B + "/ImplementationGuide/vietfhir.core");
		assertThat(guide.getPackageId()).isEqualTo("vietfhir.core");
		assertThat(guide.getVersion()).isEqualTo(npm.version());
		assertThat(guide.getFhirVersion()).extracting(v -> v.getValue().toCode()).containsExactly("4.0.1");
		Set<String> held = index().stream()
				.filter(e -> !"ImplementationGuide".equals(e.get("resourceType")))
				.map(e -> e.get("resourceType") + "/" + e.get("id"))
				.collect(Collectors.toSet());
		GuideContent.parseFolder(FHIR, GuideContent.EXAMPLES_FOLDER)
				.forEach(example -> held.add(example.fhirType() + "/" + example.getIdPart()));
		assertThat(guide.getDefinition().getResource())
				.extracting(r -> r.getReference().getReference())
				.containsExactlyInAnyOrderElementsOf(held);
	}

	/** A published profile carries no example URL (the HL7 validator rejects them outside examples). */
	@Test
	void noConformanceResourceCarriesAnExampleUrl() throws IOException {
		for (Map<String, String> entry : index()) {
			try (InputStream in = npm.loadResource(entry.get("filename"))) {
				assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
						.as(entry.get("filename"))
						.doesNotContainPattern("https?://[^\"]*(example\\.(org|com|net)|acme\\.(com|org))");
			}
		}
	}

	@Test
	void everyExampleIsValidAgainstThePackage() {
		for (var example : GuideContent.parseFolder(FHIR, GuideContent.EXAMPLES_FOLDER)) {
			List<SingleValidationMessage> errors = errors(example);
			assertThat(errors).as(example.fhirType() + "/" + example.getIdPart() + ": " + describe(errors)).isEmpty();
		}
	}

	@Test
	void everyCounterExampleBreaksTheRuleItIsNamedAfter() {
		var files = ClasspathFolder.read(GuideContent.COUNTER_EXAMPLES_FOLDER, ".json");
		assertThat(files).isNotEmpty();
		IParser parser = FHIR.newJsonParser();
		files.forEach((name, bytes) -> {
			String key = name.substring(0, name.indexOf("-fail-"));
			IBaseResource resource = parser.parseResource(new String(bytes, StandardCharsets.UTF_8));
			assertThat(describe(errors(resource))).as(name).contains(key);
		});
	}

	private static List<SingleValidationMessage> errors(IBaseResource resource) {
		return validator.validateWithResult(resource).getMessages().stream()
				.filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
				// our resources are in Vietnamese: "vi" is a valid BCP-47 tag (R4 binds Resource.language to all
				// languages at most) that HAPI's in-memory check holds to R4's short common list
				.filter(m -> !m.getMessage().contains("'vi'") && !m.getMessage().contains("\"vi\""))
				.toList();
	}

	private static String describe(List<SingleValidationMessage> messages) {
		return messages.stream().map(m -> m.getLocationString() + " " + m.getMessage()).collect(Collectors.joining("\n"));
	}

	private static List<Map<String, String>> index() throws IOException {
		try (InputStream in = npm.load("package", ".index.json")) {
			JsonObject index = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
			return index.getAsJsonArray("files").asList().stream()
					.map(e -> e.getAsJsonObject().entrySet().stream()
							.filter(f -> f.getValue().isJsonPrimitive())
							.collect(Collectors.toMap(Map.Entry::getKey, f -> f.getValue().getAsString())))
					.toList();
		}
	}
}
