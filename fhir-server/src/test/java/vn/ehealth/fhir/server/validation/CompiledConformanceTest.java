package vn.ehealth.fhir.server.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The compiled checks against the HL7 validator on the guide's examples, its counter-examples and
 * mutations of the examples (each property removed, each array item doubled, each text, code,
 * system, reference and date changed): whenever the HL7 validator finds an error, the compiled
 * checks must not prove the resource conformant. And they must prove the valid examples, or the
 * fast path would be a slow path.
 */
class CompiledConformanceTest {

	private static final FhirContext FHIR = FhirContext.forR4Cached();
	private static final ObjectMapper JSON = new ObjectMapper();
	private static FhirValidator hl7;
	private static CompiledConformance compiled;
	private static Map<String, String> profileByType;

	@BeforeAll
	static void validators() {
		GuideValidationSupport guide = new GuideValidationSupport(FHIR, GuidePackage.core(), List.of());
		profileByType = guide.profileByType();
		ValidationSupportChain chain = new ValidationSupportChain(
				new DefaultProfileValidationSupport(FHIR),
				guide,
				new SnapshotGeneratingValidationSupport(FHIR),
				new InMemoryTerminologyServerValidationSupport(FHIR),
				new CommonCodeSystemsTerminologyService(FHIR),
				new UnknownCodeSystemWarningValidationSupport(FHIR));
		FhirInstanceValidator instanceValidator = new FhirInstanceValidator(chain);
		hl7 = FHIR.newValidator();
		hl7.registerValidatorModule(new PooledInstanceValidator(instanceValidator));
		compiled = new CompiledConformance(FHIR, chain, profileByType);
	}

	@Test
	void provesTheGuidesValidExamples() throws IOException {
		List<String> unproven = new ArrayList<>();
		int examples = 0;
		for (String json : resources("classpath*:vietfhir/examples/*.json")) {
			Resource resource = (Resource) FHIR.newJsonParser().parseResource(json);
			if (resource.fhirType().equals("Bundle")) {
				continue;
			}
			examples++;
			String withNarrative = compiled.unproven(resource, profiles(resource), CompiledConformance.BundleContext.NONE);
			if (withNarrative != null) {
				// a narrative beyond the plain subset the compiled checks prove is the HL7 validator's to check
				assertThat(withNarrative).as(resource.getId()).contains("narrative");
			}
			((org.hl7.fhir.r4.model.DomainResource) resource).setText(null);
			assertThat(hl7Errors(resource)).as("HL7 errors on example %s", resource.getId()).isEmpty();
			String why = compiled.unproven(resource, profiles(resource), CompiledConformance.BundleContext.NONE);
			if (why != null) {
				unproven.add(resource.getIdElement().getIdPart() + ": " + why);
			}
		}
		assertThat(examples).isGreaterThan(15);
		assertThat(unproven).as("valid examples the compiled checks did not prove").isEmpty();
	}

	@Test
	void neverProvesWhatTheHl7ValidatorRefuses() throws IOException {
		List<String> wronglyProven = new ArrayList<>();
		Map<String, Integer> tally = new TreeMap<>();
		Map<String, Integer> unprovenValid = new TreeMap<>();
		List<String> cases = new ArrayList<>(resources("classpath*:vietfhir/counter-examples/*.json"));
		cases.addAll(narratives());
		for (String example : resources("classpath*:vietfhir/examples/*.json")) {
			if (!example.contains("\"Bundle\"")) {
				cases.add(example); // as published, narrative and all
			}
			ObjectNode withoutNarrative = (ObjectNode) JSON.readTree(example);
			withoutNarrative.remove("text"); // narrative is the HL7 validator's to check: without it, the rest is walked
			if (!withoutNarrative.path("resourceType").asText().equals("Bundle")) {
				cases.addAll(mutations(JSON.writeValueAsString(withoutNarrative)));
			}
		}
		for (String json : cases) {
			Resource resource;
			try {
				resource = (Resource) FHIR.newJsonParser().parseResource(json);
			} catch (RuntimeException e) {
				continue; // not even parsed: refused before validation
			}
			if (resource.fhirType().equals("Bundle")) {
				continue;
			}
			List<SingleValidationMessage> errors;
			try {
				errors = hl7Errors(resource);
			} catch (RuntimeException e) {
				System.out.println("DEBUG HL7 threw " + e + " on " + json);
				continue;
			}
			String why = compiled.unproven(resource, profiles(resource), CompiledConformance.BundleContext.NONE);
			String verdict = (errors.isEmpty() ? "valid" : "invalid") + "/" + (why == null ? "proven" : "unproven");
			tally.merge(verdict, 1, Integer::sum);
			if (errors.isEmpty() && why != null) {
				unprovenValid.merge(why.replaceAll("'[^']*'", "'…'"), 1, Integer::sum);
			}
			if (!errors.isEmpty() && why == null) {
				wronglyProven.add(errors.get(0).getLocationString() + " " + errors.get(0).getMessage() + "\n   in " + json);
			}
		}
		System.out.println("Compiled checks against the HL7 validator: " + tally);
		unprovenValid.forEach((why, count) -> System.out.println("  valid but not proven, " + count + "×: " + why));
		assertThat(tally.getOrDefault("invalid/unproven", 0)).isGreaterThan(100);
		assertThat(tally.getOrDefault("valid/proven", 0)).isGreaterThan(100);
		assertThat(wronglyProven).as("resources the HL7 validator refuses but the compiled checks proved").isEmpty();
	}

	@Test
	void provesPlainNarrativesAndLeavesTheRestToTheHl7Validator() throws IOException {
		List<String> cases = narratives();
		// generated status: the plain text, and the table with a list
		for (String json : List.of(cases.get(0), cases.get(2))) {
			Resource patient = (Resource) FHIR.newJsonParser().parseResource(json);
			assertThat(hl7Errors(patient)).isEmpty();
			assertThat(compiled.unproven(patient, profiles(patient), CompiledConformance.BundleContext.NONE)).as(json).isNull();
		}
		// a script: never proven here, whatever the HL7 validator says of it
		Resource scripted = (Resource) FHIR.newJsonParser().parseResource(cases.get(4));
		assertThat(compiled.unproven(scripted, profiles(scripted), CompiledConformance.BundleContext.NONE)).contains("script");
	}

	@Test
	void leavesTheResourceAsItWas() {
		// HAPI's R4 FHIRPath engine rewrites compared dateTimes to UTC: per-1 (start <= end) must not touch what is stored
		String json = "{\"resourceType\":\"Encounter\",\"status\":\"finished\",\"class\":{\"system\":"
				+ "\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"AMB\"},\"subject\":{\"reference\":\"Patient/p\"},"
				+ "\"period\":{\"start\":\"2025-03-10T08:15:00+07:00\",\"end\":\"2025-03-10T08:30:00+07:00\"}}";
		Resource encounter = (Resource) FHIR.newJsonParser().parseResource(json);
		String before = FHIR.newJsonParser().encodeResourceToString(encounter);

		assertThat(compiled.unproven(encounter, profiles(encounter), CompiledConformance.BundleContext.NONE)).isNull();
		assertThat(FHIR.newJsonParser().encodeResourceToString(encounter)).isEqualTo(before).contains("08:15:00+07:00");

		// and a time without zone is caught by its format, not hidden by the invariant's rewriting
		Resource noZone = (Resource) FHIR.newJsonParser().parseResource(json.replace("08:30:00+07:00", "08:00:00"));
		assertThat(compiled.unproven(noZone, profiles(noZone), CompiledConformance.BundleContext.NONE))
				.contains("Period.end").contains("format of dateTime");
	}

	private static List<String> profiles(Resource resource) {
		List<String> urls = new ArrayList<>();
		String guide = profileByType.get(resource.fhirType());
		if (guide != null) {
			urls.add(guide);
		}
		resource.getMeta().getProfile().forEach(p -> {
			if (!urls.contains(p.getValue()) && compiled.knows(p.getValue())) {
				urls.add(p.getValue());
			}
		});
		return urls;
	}

	/** As ProfileEnforcingInterceptor.check: the guide profile given, errors as it counts them. */
	private static List<SingleValidationMessage> hl7Errors(Resource resource) {
		ValidationOptions options = new ValidationOptions();
		String guide = profileByType.get(resource.fhirType());
		if (guide != null && resource.getMeta().getProfile().stream().noneMatch(p -> p.getValue().equals(guide))) {
			options.addProfile(guide);
		}
		return hl7.validateWithResult(resource, options).getMessages().stream()
				.filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
				.filter(m -> m.getMessageId() == null || !m.getMessageId().startsWith("VALIDATION_VAL_PROFILE_UNKNOWN"))
				.toList();
	}

	private static List<String> resources(String pattern) throws IOException {
		List<String> texts = new ArrayList<>();
		for (org.springframework.core.io.Resource file : new PathMatchingResourcePatternResolver().getResources(pattern)) {
			try (InputStream in = file.getInputStream()) {
				texts.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
			}
		}
		assertThat(texts).as("files at %s", pattern).isNotEmpty();
		return texts;
	}

	/** A valid patient with narratives the compiled checks must prove, or leave to the HL7 validator when it refuses them. */
	private static List<String> narratives() throws IOException {
		String patient = resources("classpath*:vietfhir/examples/Patient-patient-cccd-male-1985-hanoi.json").get(0);
		List<String> divs = List.of(
				"<div xmlns=\"http://www.w3.org/1999/xhtml\">Bệnh nhân <b>Nguyễn Văn An</b>, sinh 1985</div>",
				"<div xmlns=\"http://www.w3.org/1999/xhtml\"><table class=\"grid\"><tr><th>CCCD</th><td colspan=\"2\">001085012345</td></tr></table><ul><li>a</li></ul></div>",
				"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>a</p><script>alert(1)</script></div>",
				"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p onclick=\"steal()\">a</p></div>",
				"<div xmlns=\"http://www.w3.org/1999/xhtml\"><a href=\"javascript:alert(1)\">a</a></div>",
				"<div xmlns=\"http://www.w3.org/1999/xhtml\"><img src=\"http://example.org/x.png\"/></div>",
				"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p style=\"color:red\">a</p></div>",
				"<div xmlns=\"http://www.w3.org/1999/xhtml\"><font>a</font></div>",
				"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p id=\"x\">a</p><p id=\"x\">b</p></div>",
				"<div xmlns=\"http://www.w3.org/1999/xhtml\">   </div>",
				"<div xmlns=\"http://www.w3.org/1999/xhtml\"><!-- note -->a</div>",
				"<div>a</div>",
				"<div xmlns=\"http://www.w3.org/1999/xhtml\"><form><input/></form></div>");
		List<String> out = new ArrayList<>();
		for (String div : divs) {
			for (String status : List.of("generated", "bogus")) {
				ObjectNode resource = (ObjectNode) JSON.readTree(patient);
				resource.putObject("text").put("status", status).put("div", div);
				out.add(JSON.writeValueAsString(resource));
			}
		}
		return out;
	}

	/** One change at a time, anywhere in the resource. */
	private static List<String> mutations(String json) throws IOException {
		JsonNode original = JSON.readTree(json);
		List<String> out = new ArrayList<>();
		List<Consumer<JsonNode>> changes = new ArrayList<>();
		walk(original, new ArrayList<>(), changes);
		for (Consumer<JsonNode> change : changes) {
			JsonNode copy = original.deepCopy();
			change.accept(copy);
			out.add(JSON.writeValueAsString(copy));
		}
		return out;
	}

	/** Changes that address nodes by their path from the root, so each applies to a fresh copy. */
	private static void walk(JsonNode node, List<Object> path, List<Consumer<JsonNode>> changes) {
		if (node.isObject()) {
			Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
			while (fields.hasNext()) {
				Map.Entry<String, JsonNode> field = fields.next();
				String name = field.getKey();
				List<Object> at = append(path, name);
				if (!name.equals("resourceType")) {
					changes.add(root -> ((ObjectNode) parent(root, at)).remove(name));
				}
				JsonNode value = field.getValue();
				if (value.isTextual()) {
					for (String replacement : replacements(name, value.asText())) {
						changes.add(root -> ((ObjectNode) parent(root, at)).set(name, new TextNode(replacement)));
					}
				} else if (value.isNumber()) {
					changes.add(root -> ((ObjectNode) parent(root, at)).put(name, -1));
				} else if (value.isBoolean()) {
					changes.add(root -> ((ObjectNode) parent(root, at)).put(name, "yes"));
				}
				walk(value, at, changes);
			}
			if (!path.isEmpty()) {
				changes.add(root -> ((ObjectNode) at(root, path)).putArray("modifierExtension").addObject()
						.put("url", "https://example.org/modifier").put("valueBoolean", true));
				changes.add(root -> ((ObjectNode) at(root, path)).putArray("extension").addObject()
						.put("url", "https://vietfhir.org/fhir/StructureDefinition/vn-ext-ethnicity").put("valueString", "Kinh"));
			}
		} else if (node.isArray()) {
			for (int i = 0; i < node.size(); i++) {
				int index = i;
				List<Object> at = append(path, index);
				changes.add(root -> ((ArrayNode) parent(root, at)).add(((ArrayNode) parent(root, at)).get(index).deepCopy()));
				walk(node.get(i), at, changes);
			}
		}
	}

	private static List<String> replacements(String name, String value) {
		return switch (name) {
			case "code" -> List.of("khong-co-ma", " " + value);
			case "system" -> List.of("https://example.org/unknown-system", "urn:oid:1.2.abc");
			case "reference" -> List.of("Group/1", "urn:uuid:not-in-bundle", "Patient/" + value.replace("/", ""));
			case "url" -> List.of("https://example.org/unknown-extension");
			case "value" -> List.of("0", "ABC", "123456789012", " ");
			case "birthDate", "date", "start", "end", "onsetDateTime", "effectiveDateTime", "authoredOn", "occurrenceDateTime",
					"performedDateTime", "issued", "recordedDate", "valueDate", "valueDateTime" ->
					List.of("2021-02-30", "2021-13-01", "2021/01/01", "2025-03-10T08:00:00");
			case "gender", "status" -> List.of("unknown-code");
			default -> value.length() > 0 ? List.of("") : List.of("x");
		};
	}

	private static List<Object> append(List<Object> path, Object step) {
		List<Object> next = new ArrayList<>(path);
		next.add(step);
		return next;
	}

	private static JsonNode at(JsonNode root, List<Object> path) {
		JsonNode node = root;
		for (Object step : path) {
			node = step instanceof Integer i ? node.get(i) : node.get((String) step);
		}
		return node;
	}

	private static JsonNode parent(JsonNode root, List<Object> path) {
		return at(root, path.subList(0, path.size() - 1));
	}
}
