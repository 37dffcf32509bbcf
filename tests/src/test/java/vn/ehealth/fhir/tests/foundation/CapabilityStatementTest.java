package vn.ehealth.fhir.tests.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceOperationComponent;
import org.hl7.fhir.r4.model.OperationDefinition;
import org.hl7.fhir.r4.model.OperationDefinition.OperationDefinitionParameterComponent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * What clients read from /metadata before anything else: who answers, how to get a token, and a
 * definition with typed parameters for every operation we implement, found by its canonical URL.
 */
class CapabilityStatementTest {

	/** Operation (as "Type:name", or ":name" at system level) → the canonical URL its definition must have. */
	private static final Map<String, String> OURS = new LinkedHashMap<>();

	static {
		String bulk = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/";
		String vf = "https://vietfhir.org/fhir/OperationDefinition/";
		OURS.put(":export", bulk + "export");
		OURS.put("Patient:export", bulk + "patient-export");
		OURS.put("Group:export", bulk + "group-export");
		OURS.put(":export-poll-status", vf + "export-poll-status");
		OURS.put(":export-download", vf + "export-download");
		OURS.put(":import", vf + "import");
		OURS.put(":import-poll-status", vf + "import-poll-status");
		OURS.put("Patient:summary", "http://hl7.org/fhir/uv/ips/OperationDefinition/summary");
		OURS.put("Patient:everything", "http://hl7.org/fhir/OperationDefinition/Patient-everything");
		OURS.put("Patient:access-log", vf + "Patient-access-log");
		OURS.put("CodeSystem:import-icd10", vf + "CodeSystem-import-icd10");
		OURS.put("CodeSystem:import-communes", vf + "CodeSystem-import-communes");
	}

	private static CapabilityStatement capabilities;
	private static Http http;

	@BeforeAll
	static void read() {
		http = TestServer.shared().http();
		Http.Response metadata = TestServer.shared().anonymousHttp().get("/fhir/metadata", "application/fhir+json");
		assertThat(metadata.status()).isEqualTo(200);
		capabilities = metadata.resource(CapabilityStatement.class);
	}

	@Test
	void namesTheServerAndItsGuide() {
		assertThat(capabilities.getUrl()).isEqualTo("https://vietfhir.org/fhir/CapabilityStatement/vietfhir-server");
		assertThat(capabilities.getName()).isEqualTo("VietFhirServer");
		assertThat(capabilities.getTitle()).contains("VietFHIR");
		assertThat(capabilities.getVersion()).isEqualTo(capabilities.getSoftware().getVersion());
		assertThat(capabilities.getImplementationGuide())
				.extracting(ig -> ig.getValue())
				.contains("https://vietfhir.org/fhir/ImplementationGuide/vietfhir.core");
	}

	/** SMART App Launch 1.0 conformance: the service coding and the oauth-uris extension with the token URL. */
	@Test
	void saysHowToGetAToken() {
		var security = capabilities.getRestFirstRep().getSecurity();
		assertThat(security.getService()).anySatisfy(service -> assertThat(service.getCoding()).anySatisfy(coding -> {
			assertThat(coding.getSystem()).isEqualTo("http://terminology.hl7.org/CodeSystem/restful-security-service");
			assertThat(coding.getCode()).isEqualTo("SMART-on-FHIR");
		}));
		var oauth = security.getExtensionByUrl("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris");
		assertThat(oauth).isNotNull();
		assertThat(oauth.getExtensionByUrl("token").getValue().primitiveValue())
				.isEqualTo(TestServer.shared().rootUrl() + "/auth/token");
	}

	@Test
	void everyOperationOfOursHasATypedDefinitionFoundByItsUrl() {
		Map<String, String> declared = declaredOperations();
		for (Map.Entry<String, String> expected : OURS.entrySet()) {
			assertThat(declared).as(expected.getKey()).containsEntry(expected.getKey(), expected.getValue());
			Http.Response found = http.get("/fhir/OperationDefinition?url="
					+ URLEncoder.encode(expected.getValue(), StandardCharsets.UTF_8), "application/fhir+json");
			assertThat(found.status()).as(expected.getValue()).isEqualTo(200);
			Bundle bundle = found.resource(Bundle.class);
			assertThat(bundle.getEntry()).as(expected.getValue()).hasSize(1);
			OperationDefinition definition = (OperationDefinition) bundle.getEntryFirstRep().getResource();
			assertThat(definition.getCode()).isEqualTo(expected.getKey().substring(expected.getKey().indexOf(':') + 1));
			for (OperationDefinitionParameterComponent parameter : allParameters(definition.getParameter())) {
				assertThat(parameter.hasType() || parameter.hasPart())
						.as(definition.getUrl() + " parameter " + parameter.getName() + " has a type")
						.isTrue();
				if (parameter.getName().equals("_count")) {
					assertThat(parameter.getType()).isEqualTo("integer");
				}
			}
		}
	}

	/** HAPI's OpenAPI page reads every declared operation's definition: it must still render. */
	@Test
	void openApiStillResolvesEveryDefinition() {
		Http.Response openApi = TestServer.shared().anonymousHttp().get("/fhir/api-docs", "application/json");
		assertThat(openApi.status()).isEqualTo(200);
		assertThat(openApi.body()).contains("/$import", "/Patient/{id}/$summary", "/Patient/{id}/$access-log");
	}

	/** AuditEvent create, update, patch and delete answer 405: they are not advertised. */
	@Test
	void advertisesNothingThatAnswers405() {
		var auditEvent = capabilities.getRestFirstRep().getResource().stream()
				.filter(resource -> resource.getType().equals("AuditEvent"))
				.findFirst()
				.orElseThrow();
		assertThat(auditEvent.getInteraction())
				.extracting(interaction -> interaction.getCode().toCode())
				.contains("read", "search-type")
				.doesNotContain("create", "update", "patch", "delete");
		assertThat(auditEvent.getConditionalCreate()).isFalse();
		assertThat(auditEvent.getConditionalUpdate()).isFalse();
	}

	private static Map<String, String> declaredOperations() {
		Map<String, String> declared = new LinkedHashMap<>();
		var rest = capabilities.getRestFirstRep();
		for (CapabilityStatementRestResourceOperationComponent operation : rest.getOperation()) {
			declared.put(":" + operation.getName(), operation.getDefinition());
		}
		for (var resource : rest.getResource()) {
			for (CapabilityStatementRestResourceOperationComponent operation : resource.getOperation()) {
				declared.put(resource.getType() + ":" + operation.getName(), operation.getDefinition());
			}
		}
		return declared;
	}

	private static List<OperationDefinitionParameterComponent> allParameters(List<OperationDefinitionParameterComponent> parameters) {
		List<OperationDefinitionParameterComponent> all = new ArrayList<>();
		for (OperationDefinitionParameterComponent parameter : parameters) {
			all.add(parameter);
			all.addAll(allParameters(parameter.getPart()));
		}
		return all;
	}
}
