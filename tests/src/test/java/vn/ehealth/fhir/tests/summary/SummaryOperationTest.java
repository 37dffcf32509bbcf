package vn.ehealth.fhir.tests.summary;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.tests.security.RegisteredClients;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;
import vn.ehealth.fhir.tests.support.Tokens;

/** Patient/$summary: the IPS-shaped document the national EHR portal shows (issue 6). */
class SummaryOperationTest {

	private static final String PROFILE = "https://vietfhir.org/fhir/StructureDefinition/vn-patient-summary";
	private static final IParser JSON = TestServer.fhirContext().newJsonParser();

	private static TestServer server;
	private static IGenericClient client;
	private static Http http;
	private static String fullPatient;
	private static String fullCccd;

	@BeforeAll
	static void createPatientWithDataInEverySection() {
		server = TestServer.shared();
		client = server.client();
		http = server.http();
		fullCccd = Fixtures.cccd("001085");
		fullPatient = create(Fixtures.patientWithCccd(fullCccd, "male", "1985-03-02"));
		String p = "\"subject\":{\"reference\":\"" + fullPatient + "\"}";
		String pa = "\"patient\":{\"reference\":\"" + fullPatient + "\"}";
		post("Condition", "{\"resourceType\":\"Condition\",\"clinicalStatus\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/condition-clinical\",\"code\":\"active\"}]},"
				+ "\"verificationStatus\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/condition-ver-status\",\"code\":\"confirmed\"}]},"
				+ "\"code\":{\"coding\":[{\"system\":\"https://vietfhir.org/fhir/CodeSystem/vn-icd10\",\"code\":\"I10\"}],\"text\":\"Tăng huyết áp vô căn\"}," + p
				+ ",\"recordedDate\":\"2025-03-10\"}");
		post("Condition", "{\"resourceType\":\"Condition\",\"clinicalStatus\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/condition-clinical\",\"code\":\"resolved\"}]},"
				+ "\"verificationStatus\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/condition-ver-status\",\"code\":\"confirmed\"}]},"
				+ "\"code\":{\"coding\":[{\"system\":\"https://vietfhir.org/fhir/CodeSystem/vn-icd10\",\"code\":\"J18\"}],\"text\":\"Viêm phổi\"}," + p
				+ ",\"recordedDate\":\"2019-11-02\"}");
		// the same allergy recorded by two facilities: one entry, the newer one
		for (String date : List.of("2020-01-05", "2025-03-10")) {
			post("AllergyIntolerance", "{\"resourceType\":\"AllergyIntolerance\",\"clinicalStatus\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical\",\"code\":\"active\"}]},"
					+ "\"verificationStatus\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/allergyintolerance-verification\",\"code\":\"confirmed\"}]},"
					+ "\"type\":\"allergy\",\"category\":[\"medication\"],\"code\":{\"coding\":[{\"system\":\"http://snomed.info/sct\",\"code\":\"764146007\",\"display\":\"Penicillin\"}],\"text\":\"Dị ứng penicillin\"},"
					+ pa + ",\"recordedDate\":\"" + date + "\"}");
		}
		// Practitioner is in warn mode on the suite's server: a name is enough
		String doctor = post("Practitioner", "{\"resourceType\":\"Practitioner\",\"name\":[{\"family\":\"Lê\",\"given\":[\"Minh Tuấn\"]}]}");
		post("MedicationRequest", "{\"resourceType\":\"MedicationRequest\",\"status\":\"active\",\"intent\":\"order\",\"medicationCodeableConcept\":{\"text\":\"Amlodipin 5 mg (viên nén)\"},"
				+ p + ",\"requester\":{\"reference\":\"" + doctor + "\"},\"authoredOn\":\"2025-03-10T09:30:00+07:00\",\"dosageInstruction\":[{\"text\":\"Uống 1 viên mỗi sáng sau ăn\"}]}");
		post("Immunization", "{\"resourceType\":\"Immunization\",\"status\":\"completed\",\"vaccineCode\":{\"coding\":[{\"system\":\"http://hl7.org/fhir/sid/cvx\",\"code\":\"208\"}],\"text\":\"Vắc xin Comirnaty\"},"
				+ pa + ",\"occurrenceDateTime\":\"2021-11-05T09:00:00+07:00\",\"primarySource\":true}");
		post("Procedure", "{\"resourceType\":\"Procedure\",\"status\":\"completed\",\"code\":{\"coding\":[{\"system\":\"http://hl7.org/fhir/sid/icd-9-cm\",\"code\":\"47.01\"}],\"text\":\"Phẫu thuật nội soi cắt ruột thừa\"},"
				+ p + ",\"performedDateTime\":\"2024-06-12T14:00:00+07:00\"}");
		String glucose = post("Observation", "{\"resourceType\":\"Observation\",\"status\":\"final\",\"category\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/observation-category\",\"code\":\"laboratory\"}]}],"
				+ "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"14771-0\"}],\"text\":\"Glucose máu lúc đói\"}," + p
				+ ",\"effectiveDateTime\":\"2025-05-06T07:10:00+07:00\",\"valueQuantity\":{\"value\":5.4,\"unit\":\"mmol/L\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"mmol/L\"}}");
		post("DiagnosticReport", "{\"resourceType\":\"DiagnosticReport\",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"24323-8\"}],\"text\":\"Bảng chuyển hóa\"},"
				+ p + ",\"effectiveDateTime\":\"2025-05-06T07:10:00+07:00\",\"issued\":\"2025-05-06T09:00:00+07:00\",\"result\":[{\"reference\":\"" + glucose + "\"}]}");
		post("Observation", "{\"resourceType\":\"Observation\",\"status\":\"final\",\"category\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/observation-category\",\"code\":\"vital-signs\"}]}],"
				+ "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8867-4\"}],\"text\":\"Nhịp tim\"}," + p
				+ ",\"effectiveDateTime\":\"2025-03-10T08:30:00+07:00\",\"valueQuantity\":{\"value\":78,\"unit\":\"lần/phút\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"/min\"}}");
		post("CarePlan", "{\"resourceType\":\"CarePlan\",\"status\":\"active\",\"intent\":\"plan\",\"title\":\"Kiểm soát huyết áp\"," + p + "}");
	}

	@Test
	void patientWithDataInEverySectionGetsEverySectionWithItsEntries() {
		Bundle summary = summary("/fhir/" + fullPatient + "/$summary");
		assertThat(summary.getType()).isEqualTo(Bundle.BundleType.DOCUMENT);
		assertThat(summary.getIdentifier().getValue()).startsWith("urn:uuid:");
		assertThat(summary.getTimestamp()).isNotNull();
		Composition composition = (Composition) summary.getEntryFirstRep().getResource();
		assertThat(composition.getType().getCodingFirstRep().getCode()).isEqualTo("60591-5");
		assertThat(composition.getStatus()).isEqualTo(Composition.CompositionStatus.FINAL);
		assertThat(resolve(summary, composition.getSubject().getReference()).getIdElement().toUnqualifiedVersionless().getValue())
				.isEqualTo(fullPatient);
		assertThat(composition.getCustodian().getReference()).isEqualTo(composition.getAuthorFirstRep().getReference());

		Map<String, Composition.SectionComponent> sections = sections(composition);
		assertThat(sections).containsOnlyKeys(
				"11450-4", "48765-2", "10160-0", "11369-6", "47519-4", "30954-2", "8716-3", "11348-0", "18776-5");
		assertThat(types(summary, sections.get("11450-4"))).containsExactly("Condition");
		assertThat(types(summary, sections.get("11348-0"))).containsExactly("Condition");
		assertThat(types(summary, sections.get("48765-2"))).containsExactly("AllergyIntolerance"); // deduplicated
		assertThat(types(summary, sections.get("10160-0"))).containsExactly("MedicationRequest");
		assertThat(types(summary, sections.get("11369-6"))).containsExactly("Immunization");
		assertThat(types(summary, sections.get("47519-4"))).containsExactly("Procedure");
		assertThat(types(summary, sections.get("30954-2"))).containsExactlyInAnyOrder("DiagnosticReport", "Observation");
		assertThat(types(summary, sections.get("8716-3"))).containsExactly("Observation");
		assertThat(types(summary, sections.get("18776-5"))).containsExactly("CarePlan");

		org.hl7.fhir.r4.model.AllergyIntolerance kept = (org.hl7.fhir.r4.model.AllergyIntolerance)
				resolve(summary, sections.get("48765-2").getEntryFirstRep().getReference());
		assertThat(kept.getRecordedDateElement().getValueAsString()).isEqualTo("2025-03-10");
		assertThat(sections.get("11450-4").getText().getDivAsString()).contains("Tăng huyết áp vô căn");
		assertThat(sections.get("11348-0").getText().getDivAsString()).contains("Viêm phổi");
		// every entry the composition names is in the bundle, each with a fullUrl
		for (Composition.SectionComponent section : composition.getSection()) {
			section.getEntry().forEach(ref -> assertThat(resolve(summary, ref.getReference())).isNotNull());
		}
		assertThat(resolve(summary, composition.getCustodian().getReference())).isNotNull();
		// and so is what the entries reference: the prescriber
		assertThat(summary.getEntry()).anySatisfy(e -> assertThat(e.getResource().fhirType()).isEqualTo("Practitioner"));
		assertThat(summary.getEntry()).allSatisfy(e -> assertThat(e.getFullUrl()).isNotBlank());
	}

	@Test
	void patientWithNoDataGetsTheIpsNoKnownEntries() {
		String empty = create(Fixtures.patientWithCccd(Fixtures.cccd("001085"), "male", "1985-03-02"));
		Bundle summary = summary("/fhir/" + empty + "/$summary");
		Map<String, Composition.SectionComponent> sections = sections((Composition) summary.getEntryFirstRep().getResource());
		assertThat(sections).containsOnlyKeys("11450-4", "48765-2", "10160-0");
		assertThat(code(summary, sections.get("11450-4"))).isEqualTo("160245001");
		assertThat(code(summary, sections.get("48765-2"))).isEqualTo("716186003");
		assertThat(code(summary, sections.get("10160-0"))).isEqualTo("787481004");
		assertThat(sections.get("48765-2").getText().getDivAsString()).contains("Không có dị ứng đã biết");
		assertValidAgainstProfile(summary);
	}

	@Test
	void findsThePatientByCccd() {
		Bundle summary = summary("/fhir/Patient/$summary?identifier=" + Fixtures.CCCD_SYSTEM + "%7C" + fullCccd);
		Composition composition = (Composition) summary.getEntryFirstRep().getResource();
		assertThat(resolve(summary, composition.getSubject().getReference()).getIdElement().toUnqualifiedVersionless().getValue())
				.isEqualTo(fullPatient);
	}

	@Test
	void unknownCccdIsNotFoundWithAnOperationOutcome() {
		Http.Response response = http.get("/fhir/Patient/$summary?identifier=" + Fixtures.CCCD_SYSTEM + "%7C001085999999");
		assertThat(response.status()).isEqualTo(404);
		assertThat(response.outcome().getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
	}

	@Test
	void cccdOfTwoPatientsIsRefusedAsAmbiguous() {
		// one CCCD is one Patient (issue 19); a value alone can still name two: one's CCCD, another's card in CCCD form
		String cccd = Fixtures.cccd("001085");
		create(Fixtures.patientWithCccd(cccd, "male", "1985-03-02"));
		Patient cardHolder = Fixtures.patient("Lê", "Thị Hoa", Fixtures.uniqueValue());
		cardHolder.addIdentifier().setSystem(Fixtures.BHYT_SYSTEM).setValue(cccd);
		create(cardHolder);
		Http.Response response = http.get("/fhir/Patient/$summary?identifier=" + cccd);
		assertThat(response.status()).isEqualTo(422);
		assertThat(response.diagnostics()).contains("More than one patient");
	}

	@Test
	void summaryValidatesAgainstVnPatientSummary() {
		assertValidAgainstProfile(summary("/fhir/" + fullPatient + "/$summary"));
	}

	@Test
	void narrativeIsVietnameseInUtf8AndEnglishWhenAsked() {
		Http.Response vi = http.get("/fhir/" + fullPatient + "/$summary");
		assertThat(vi.header("Content-Type")).containsIgnoringCase("charset=utf-8");
		assertThat(vi.body()).contains("Dị ứng và phản ứng bất lợi").contains("Dị ứng penicillin").contains("Tóm tắt hồ sơ sức khỏe");

		Http.Response en = http.send(HttpRequest.newBuilder(http.uri("/fhir/" + fullPatient + "/$summary"))
				.header("Accept-Language", "en-US,en;q=0.9").GET());
		Composition composition = (Composition) JSON.parseResource(Bundle.class, en.body()).getEntryFirstRep().getResource();
		assertThat(composition.getTitle()).isEqualTo("Patient summary");
		assertThat(sections(composition).get("48765-2").getTitle()).isEqualTo("Allergies and intolerances");
	}

	@Test
	void needsReadOnPatientAndShowsOnlyTheTypesTheScopesAllow() {
		String scopes = "system/Patient.rs system/Observation.rs";
		RegisteredClients.Client portal = RegisteredClients.register(server, "cong-ho-so", List.of(scopes.split(" ")), List.of("TREAT"));
		String token = (String) Tokens.json(Tokens.request(server.rootUrl(), portal.clientId(), portal.key(), scopes, null).body())
				.get("access_token");
		Http.Response response = http.send(HttpRequest.newBuilder(http.uri("/fhir/" + fullPatient + "/$summary"))
				.header("Authorization", "Bearer " + token).GET());
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		Bundle summary = JSON.parseResource(Bundle.class, response.body());
		assertThat(summary.getEntry()).extracting(e -> e.getResource().fhirType())
				.doesNotContain("AllergyIntolerance", "Condition", "MedicationRequest", "Immunization", "Practitioner");
		Map<String, Composition.SectionComponent> sections = sections((Composition) summary.getEntryFirstRep().getResource());
		assertThat(sections.get("48765-2").getEmptyReason().getCodingFirstRep().getCode()).isEqualTo("withheld");
		assertThat(sections.get("8716-3").getEntry()).hasSize(1);

		RegisteredClients.Client lab = RegisteredClients.register(server, "lis", List.of("system/Observation.rs"), List.of("TREAT"));
		String labToken = (String) Tokens.json(Tokens.request(server.rootUrl(), lab.clientId(), lab.key(), "system/Observation.rs", null).body())
				.get("access_token");
		Http.Response refused = http.send(HttpRequest.newBuilder(http.uri("/fhir/" + fullPatient + "/$summary"))
				.header("Authorization", "Bearer " + labToken).GET());
		assertThat(refused.status()).isEqualTo(403);
	}

	@Test
	void capabilityStatementDeclaresTheIpsSummaryOperation() {
		String metadata = http.get("/fhir/metadata").body();
		assertThat(metadata).contains("http://hl7.org/fhir/uv/ips/OperationDefinition/summary");
	}

	private static void assertValidAgainstProfile(Bundle summary) {
		Http.Response response = http.post("/fhir/Bundle/$validate?profile=" + PROFILE,
				"application/fhir+json", JSON.encodeResourceToString(summary));
		OperationOutcome outcome = response.outcome();
		List<String> errors = outcome.getIssue().stream()
				.filter(i -> i.getSeverity() == OperationOutcome.IssueSeverity.ERROR
						|| i.getSeverity() == OperationOutcome.IssueSeverity.FATAL)
				.map(i -> i.getLocation() + ": " + i.getDiagnostics())
				.toList();
		assertThat(errors).isEmpty();
	}

	private static Bundle summary(String path) {
		Http.Response response = http.get(path);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return JSON.parseResource(Bundle.class, response.body());
	}

	private static Map<String, Composition.SectionComponent> sections(Composition composition) {
		return composition.getSection().stream()
				.collect(Collectors.toMap(s -> s.getCode().getCodingFirstRep().getCode(), s -> s));
	}

	private static Resource resolve(Bundle bundle, String reference) {
		return bundle.getEntry().stream()
				.filter(e -> e.getFullUrl().equals(reference) || e.getFullUrl().endsWith("/" + reference))
				.map(Bundle.BundleEntryComponent::getResource)
				.findFirst().orElse(null);
	}

	private static List<String> types(Bundle bundle, Composition.SectionComponent section) {
		return section.getEntry().stream().map(r -> resolve(bundle, r.getReference()).fhirType()).toList();
	}

	private static String code(Bundle bundle, Composition.SectionComponent section) {
		Resource resource = resolve(bundle, section.getEntryFirstRep().getReference());
		return TestServer.fhirContext().newTerser()
				.getSinglePrimitiveValueOrNull(resource, resource.fhirType().equals("MedicationStatement")
						? "medicationCodeableConcept.coding.code" : "code.coding.code");
	}

	private static String create(Patient patient) {
		return client.create().resource(patient).execute().getId().toUnqualifiedVersionless().getValue();
	}

	private static String post(String type, String json) {
		Http.Response response = http.post("/fhir/" + type, "application/fhir+json", json);
		assertThat(response.status()).as(type + ": " + response.body()).isEqualTo(201);
		return new IdType(response.header("Location")).toUnqualifiedVersionless().getValue();
	}
}
