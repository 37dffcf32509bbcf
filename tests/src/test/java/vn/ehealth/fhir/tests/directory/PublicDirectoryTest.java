package vn.ehealth.fhir.tests.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ChargeItemDefinition;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import vn.ehealth.fhir.tests.security.RegisteredClients;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/** The public directory (Circular 38/2024 disclosure): readable without a token, without personal identifiers, and no way into patient data. */
class PublicDirectoryTest {

	private static TestServer server;
	private static Http anonymous;
	private static String cccd;
	private static String bhyt;
	private static String licence;
	/** One stored resource of each directory type. */
	private static final Map<String, IdType> directory = new LinkedHashMap<>();
	private static IdType patient;
	private static String patientFamily;

	@BeforeAll
	static void data() {
		server = TestServer.shared();
		anonymous = server.anonymousHttp();
		cccd = Fixtures.cccd("036078");
		bhyt = "DN4010" + String.format("%09d", (long) (Math.random() * 1_000_000_000L));
		licence = (int) (Math.random() * 900_000 + 100_000) + "/BYT-GPHN";
		var client = server.client();
		IdType organization = create(Fixtures.facility("Bệnh viện Công khai Thử nghiệm"));
		IdType practitioner = create(Fixtures.practitioner(cccd, bhyt, licence));
		directory.put("Organization", organization);
		directory.put("Practitioner", practitioner);

		PractitionerRole role = new PractitionerRole();
		role.setActive(true);
		role.setPractitioner(new Reference(practitioner));
		role.setOrganization(new Reference(organization));
		role.addCode().setText("Bác sỹ");
		role.addAvailableTime().addDaysOfWeek(PractitionerRole.DaysOfWeek.MON).setAvailableStartTime("07:30:00").setAvailableEndTime("16:30:00");
		directory.put("PractitionerRole", create(role));

		HealthcareService service = new HealthcareService();
		service.setActive(true).setName("Khám nội tổng quát").setProvidedBy(new Reference(organization));
		directory.put("HealthcareService", create(service));

		Location ward = new Location();
		ward.setName("Khoa Nội — 40 giường").setStatus(Location.LocationStatus.ACTIVE).setManagingOrganization(new Reference(organization));
		directory.put("Location", create(ward));

		ChargeItemDefinition price = new ChargeItemDefinition();
		price.setUrl("urn:vietfhir:test:price:" + Fixtures.uniqueValue()).setStatus(Enumerations.PublicationStatus.ACTIVE);
		price.setTitle("Khám bệnh — 39.000 đ");
		directory.put("ChargeItemDefinition", create(price));

		// a patient of that doctor and facility: must never come out of an anonymous request
		patientFamily = "BiMat" + (int) (Math.random() * 100_000);
		Patient someone = Fixtures.patient(patientFamily, "Thị Riêng", Fixtures.uniqueValue());
		someone.addGeneralPractitioner(new Reference(practitioner));
		someone.setManagingOrganization(new Reference(organization));
		patient = create(someone);
		assertThat(client).isNotNull();
	}

	private static IdType create(org.hl7.fhir.r4.model.Resource resource) {
		return (IdType) server.client().create().resource(resource).execute().getId().toUnqualifiedVersionless();
	}

	private static Http.Response get(String path) {
		return anonymous.get(path, "application/fhir+json");
	}

	@Test
	void everyDirectoryTypeCanBeReadVreadAndSearchedWithoutAToken() {
		for (Map.Entry<String, IdType> entry : directory.entrySet()) {
			IdType id = entry.getValue();
			Http.Response read = get("/fhir/" + id.getValue());
			assertThat(read.status()).as("read " + id).isEqualTo(200);
			assertThat(read.body()).contains("\"resourceType\":\"" + entry.getKey() + "\"");
			assertThat(get("/fhir/" + id.getValue() + "/_history/1").status()).as("vread " + id).isEqualTo(200);
			Http.Response search = get("/fhir/" + entry.getKey() + "?_id=" + id.getIdPart());
			assertThat(search.status()).as("search " + id).isEqualTo(200);
			assertThat(search.resource(Bundle.class).getEntry()).hasSize(1);
		}
		Bundle byName = get("/fhir/Organization?name=benh%20vien%20cong%20khai").resource(Bundle.class);
		assertThat(byName.getEntry()).extracting(e -> e.getResource().getIdElement().getIdPart())
				.contains(directory.get("Organization").getIdPart());
	}

	@Test
	void practitionerCccdAndBhytNeverAppearInAnonymousResponses() {
		String practitioner = directory.get("Practitioner").getValue();
		List<String> paths = List.of(
				"/fhir/" + practitioner,
				"/fhir/" + practitioner + "/_history/1",
				"/fhir/Practitioner?_id=" + directory.get("Practitioner").getIdPart(),
				"/fhir/Practitioner?name=tuan&_count=500",
				"/fhir/PractitionerRole?_id=" + directory.get("PractitionerRole").getIdPart() + "&_include=PractitionerRole:practitioner",
				"/fhir/Organization?_id=" + directory.get("Organization").getIdPart() + "&_revinclude=PractitionerRole:organization"
						+ "&_include:iterate=PractitionerRole:practitioner");
		for (String path : paths) {
			Http.Response response = get(path);
			assertThat(response.status()).as(path).isEqualTo(200);
			assertThat(response.body()).as(path).doesNotContain(cccd).doesNotContain(bhyt).doesNotContain("national_id");
		}
		// what the directory is for stays: name, licence
		Http.Response read = get("/fhir/" + practitioner);
		assertThat(read.body()).contains(licence).contains("Tuấn");
		Practitioner shown = read.resource(Practitioner.class);
		assertThat(shown.getIdentifier()).extracting(i -> i.getSystem()).containsExactly(Fixtures.PRACTICE_LICENCE_SYSTEM);
		assertThat(shown.hasBirthDate()).isFalse();
		// the include really carried the practitioner (stripped), not nothing
		Bundle included = get(paths.get(4)).resource(Bundle.class);
		assertThat(included.getEntry()).extracting(e -> e.getResource().fhirType()).contains("PractitionerRole", "Practitioner");
	}

	@Test
	void aTokenWithAPractitionerScopeSeesTheCccdOneWithoutSeesThePublicView() {
		String practitioner = "/fhir/" + directory.get("Practitioner").getValue();
		Http.Response full = server.http().get(practitioner, "application/fhir+json");
		assertThat(full.status()).isEqualTo(200);
		assertThat(full.body()).contains(cccd);

		RegisteredClients.Client lab = RegisteredClients.register(server, "lis-danh-ba", List.of("system/Observation.rs"), List.of("TREAT"));
		String labToken = RegisteredClients.token(server, lab, "system/Observation.rs");
		Http.Response publicView = anonymous.send(HttpRequest.newBuilder(anonymous.uri(practitioner))
				.header("Authorization", "Bearer " + labToken).GET());
		assertThat(publicView.status()).isEqualTo(200);
		assertThat(publicView.body()).contains(licence).doesNotContain(cccd);
		// its other limits stand: no patients
		Http.Response patientRead = anonymous.send(HttpRequest.newBuilder(anonymous.uri("/fhir/" + patient.getValue()))
				.header("Authorization", "Bearer " + labToken).GET());
		assertThat(patientRead.status()).isEqualTo(403);
	}

	@Test
	void writesAndEverythingOutsideTheDirectoryStillNeedAToken() {
		String organization = "{\"resourceType\":\"Organization\",\"name\":\"Phòng khám giả\"}";
		Http.Response create = anonymous.post("/fhir/Organization", "application/fhir+json", organization);
		assertThat(create.status()).isEqualTo(401);
		assertThat(create.outcome().getIssue()).isNotEmpty();
		Http.Response update = anonymous.send(HttpRequest.newBuilder(anonymous.uri("/fhir/" + directory.get("Organization").getValue()))
				.header("Content-Type", "application/fhir+json")
				.PUT(HttpRequest.BodyPublishers.ofString(organization.replace("{", "{\"id\":\"" + directory.get("Organization").getIdPart() + "\","),
						StandardCharsets.UTF_8)));
		assertThat(update.status()).isEqualTo(401);
		Http.Response delete = anonymous.send(HttpRequest.newBuilder(anonymous.uri("/fhir/" + directory.get("Location").getValue())).DELETE());
		assertThat(delete.status()).isEqualTo(401);
		assertThat(anonymous.post("/fhir/Practitioner/_search", "application/x-www-form-urlencoded", "name=tuan").status()).isEqualTo(401);
		assertThat(get("/fhir/" + directory.get("Practitioner").getValue() + "/_history").status()).isEqualTo(401);
		assertThat(get("/fhir/" + patient.getValue()).status()).isEqualTo(401);
		assertThat(get("/fhir/Patient?family=" + patientFamily).status()).isEqualTo(401);
		// still there, unchanged
		assertThat(server.http().get("/fhir/" + directory.get("Location").getValue()).status()).isEqualTo(200);
	}

	@Test
	void includesAndRevincludesCannotCarryPatientDataOut() {
		String practitionerId = directory.get("Practitioner").getIdPart();
		String organizationId = directory.get("Organization").getIdPart();
		List<String> paths = List.of(
				"/fhir/Practitioner?_id=" + practitionerId + "&_revinclude=Patient:general-practitioner",
				"/fhir/Organization?_id=" + organizationId + "&_revinclude=Patient:organization",
				"/fhir/Organization?_id=" + organizationId + "&_revinclude=*",
				"/fhir/Practitioner?_id=" + practitionerId + "&_revinclude:iterate=Patient:general-practitioner&_include:iterate=*");
		for (String path : paths) {
			Http.Response response = get(path);
			assertThat(response.status()).as(path).isEqualTo(200);
			Bundle bundle = response.resource(Bundle.class);
			assertThat(bundle.getEntry()).as(path).isNotEmpty();
			assertThat(bundle.getEntry()).as(path).extracting(e -> e.getResource().fhirType()).doesNotContain("Patient");
			assertThat(response.body()).as(path).doesNotContain(patientFamily).doesNotContain("Patient/" + patient.getIdPart());
		}
		// the same search with the suite's token does reach the patient: the test would notice a broken include
		Bundle withToken = server.http().get(paths.get(0), "application/fhir+json").resource(Bundle.class);
		assertThat(withToken.getEntry()).extracting(e -> e.getResource().fhirType()).contains("Patient");
	}

	@Test
	void searchesThatCouldMatchPersonalIdentifiersOrPatientsAreRefused() {
		List<String> refused = List.of(
				"/fhir/Practitioner?identifier=" + cccd,
				"/fhir/Practitioner?identifier=" + Fixtures.CCCD_SYSTEM + "%7C" + cccd,
				"/fhir/Practitioner?identifier:not=" + Fixtures.CCCD_SYSTEM + "%7C" + cccd,
				"/fhir/Practitioner?_content=" + cccd,
				"/fhir/PractitionerRole?practitioner.identifier=" + Fixtures.CCCD_SYSTEM + "%7C" + cccd,
				"/fhir/Practitioner?_has:Patient:general-practitioner:family=" + patientFamily,
				"/fhir/Organization?_has:Patient:organization:_id=" + patient.getIdPart());
		for (String path : refused) {
			Http.Response response = get(path);
			assertThat(response.status()).as(path).isEqualTo(400);
			assertThat(response.diagnostics()).as(path).contains("Public directory");
			assertThat(response.body()).as(path).doesNotContain(directory.get("Practitioner").getIdPart());
		}
		// by the public licence number it is found
		Bundle byLicence = get("/fhir/Practitioner?identifier=" + Fixtures.PRACTICE_LICENCE_SYSTEM + "%7C" + licence.replace("/", "%2F"))
				.resource(Bundle.class);
		assertThat(byLicence.getEntry()).hasSize(1);
		// with a Practitioner scope, the CCCD search is allowed
		Bundle byCccd = server.http().get("/fhir/Practitioner?identifier=" + Fixtures.CCCD_SYSTEM + "%7C" + cccd, "application/fhir+json")
				.resource(Bundle.class);
		assertThat(byCccd.getEntry()).hasSize(1);
	}

	@Test
	void anonymousDirectoryReadsLeaveNoAuditRecordButPatientAttemptsDo() {
		JdbcTemplate jdbc = new JdbcTemplate(server.context().getBean(DataSource.class));
		long before = jdbc.queryForObject("SELECT coalesce(max(seq), 0) FROM vf_audit_event", Long.class);
		assertThat(get("/fhir/" + directory.get("Organization").getValue()).status()).isEqualTo(200);
		assertThat(get("/fhir/Practitioner?name=tuan").status()).isEqualTo(200);
		assertThat(jdbc.queryForObject("SELECT coalesce(max(seq), 0) FROM vf_audit_event", Long.class)).isEqualTo(before);
		assertThat(get("/fhir/" + patient.getValue()).status()).isEqualTo(401);
		assertThat(jdbc.queryForObject("SELECT count(*) FROM vf_audit_patient WHERE patient = ? AND seq > ?", Long.class,
				patient.getValue(), before)).isEqualTo(1);
	}
}
