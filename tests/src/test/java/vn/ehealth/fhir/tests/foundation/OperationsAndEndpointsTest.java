package vn.ehealth.fhir.tests.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

class OperationsAndEndpointsTest {

	private static IGenericClient client;
	private static Http http;

	@BeforeAll
	static void server() {
		client = TestServer.shared().client();
		http = TestServer.shared().http();
	}

	/** HAPI encodes the 1.6 MB statement on every call; the same request within a minute gets the same bytes back. */
	@Test
	void capabilityStatementIsServedFromACopyOfTheSameAnswer() {
		Http anonymous = TestServer.shared().anonymousHttp();
		Http.Response first = anonymous.get("/fhir/metadata?_cache=probe", "application/fhir+json");
		Http.Response second = anonymous.get("/fhir/metadata?_cache=probe", "application/fhir+json");
		assertThat(first.status()).isEqualTo(200);
		assertThat(second.status()).isEqualTo(200);
		assertThat(first.header("X-Cache")).isEqualTo("miss");
		assertThat(second.header("X-Cache")).isEqualTo("hit");
		assertThat(second.body()).isEqualTo(first.body());
		assertThat(second.header("Content-Type")).isEqualTo(first.header("Content-Type")).contains("json");
		Http.Response xml = anonymous.get("/fhir/metadata?_cache=probe", "application/fhir+xml");
		assertThat(xml.status()).isEqualTo(200);
		assertThat(xml.header("X-Cache")).isEqualTo("miss");
		assertThat(xml.body()).startsWith("<CapabilityStatement");
	}

	@Test
	void capabilityStatementDescribesTheServer() {
		CapabilityStatement capabilities = client.capabilities().ofType(CapabilityStatement.class).execute();
		assertThat(capabilities.getFhirVersion().toCode()).isEqualTo("4.0.1");
		assertThat(capabilities.getSoftware().getName()).isEqualTo("VietFHIR");
		assertThat(capabilities.getRestFirstRep().getResource())
				.extracting(CapabilityStatement.CapabilityStatementRestResourceComponent::getType)
				.contains("Patient", "Observation", "Encounter", "Condition");
		assertThat(capabilities.getRestFirstRep().getInteraction())
				.extracting(i -> i.getCode().toCode())
				.contains("transaction", "batch");
		assertThat(capabilities.getSoftware().getVersion()).isNotEqualTo("8.8.0");
	}

	@Test
	void everythingReturnsThePatientAndTheirRecords() {
		IdType patient = (IdType) client.create()
				.resource(Fixtures.patient("Lý", "Mai Anh", Fixtures.uniqueValue()))
				.execute().getId().toUnqualifiedVersionless();
		Condition condition = new Condition();
		condition.getCode().addCoding().setSystem("http://hl7.org/fhir/sid/icd-10").setCode("I10").setDisplay("Tăng huyết áp vô căn");
		condition.setSubject(new Reference(patient));
		client.create().resource(condition).execute();

		Bundle everything = client.operation()
				.onInstance(patient)
				.named("$everything")
				.withNoParameters(org.hl7.fhir.r4.model.Parameters.class)
				.returnResourceType(Bundle.class)
				.execute();
		assertThat(everything.getEntry())
				.extracting(e -> e.getResource().fhirType())
				.containsExactlyInAnyOrder("Patient", "Condition");
	}

	@Test
	void validateReportsErrorsWithoutStoring() {
		String invalid = "{\"resourceType\":\"Observation\",\"code\":{\"text\":\"Mạch\"}}"; // status is required
		Http.Response response = http.post("/fhir/Observation/$validate", "application/fhir+json", invalid);
		OperationOutcome outcome = response.resource(OperationOutcome.class);
		assertThat(outcome.getIssue())
				.anySatisfy(issue -> {
					assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
					assertThat(issue.getDiagnostics()).contains("status");
				});

		String valid = "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"Mạch\"}}";
		OperationOutcome ok = http.post("/fhir/Observation/$validate", "application/fhir+json", valid)
				.resource(OperationOutcome.class);
		assertThat(ok.getIssue()).noneMatch(issue -> issue.getSeverity() == OperationOutcome.IssueSeverity.ERROR);
	}

	@Test
	void browserPagesAreServed() {
		Http.Response testPage = http.get("/", "text/html");
		assertThat(testPage.status()).isEqualTo(200);
		assertThat(testPage.body()).contains("VietFHIR");
		assertThat(http.get("/css/tester.css", "text/css").status()).isEqualTo(200);
		Http.Response swagger = http.get("/fhir/swagger-ui/", "text/html");
		assertThat(swagger.status()).isEqualTo(200);
		Http.Response openApi = http.get("/fhir/api-docs", "application/json");
		assertThat(openApi.status()).isEqualTo(200);
		assertThat(openApi.body()).contains("openapi").contains("/Patient");
	}

	@Test
	void healthReadinessAndMetrics() {
		assertThat(http.get("/actuator/health", "application/json").body()).contains("\"UP\"");
		assertThat(http.get("/actuator/health/readiness", "application/json").status()).isEqualTo(200);
		assertThat(http.get("/actuator/health/liveness", "application/json").status()).isEqualTo(200);
		Http.Response metrics = http.get("/actuator/prometheus", "text/plain");
		assertThat(metrics.status()).isEqualTo(200);
		assertThat(metrics.body()).contains("http_server_requests").contains("hikaricp_connections");
	}
}
