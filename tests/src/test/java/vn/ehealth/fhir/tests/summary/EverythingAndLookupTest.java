package vn.ehealth.fhir.tests.summary;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.security.RegisteredClients;
import vn.ehealth.fhir.tests.support.TestServer;
import vn.ehealth.fhir.tests.support.Tokens;

/** Patient/$everything with _type and _count paging; $summary found by BHYT (issue 6). */
class EverythingAndLookupTest {

	private static final String BHYT = "http://fhir.ehealth.gov.vn/core/sid/insurance_number";
	private static IGenericClient client;
	private static Http http;
	private static IdType patientId;
	private static String bhyt;

	@BeforeAll
	static void data() {
		client = TestServer.shared().client();
		http = TestServer.shared().http();
		Patient patient = Fixtures.patientWithCccd(Fixtures.cccd("001085"), "male", "1985-03-02");
		bhyt = String.format("%010d", (long) (Math.random() * 1e10));
		patient.addIdentifier().setSystem(BHYT).setValue(bhyt);
		patientId = (IdType) client.create().resource(patient).execute().getId().toUnqualifiedVersionless();
		for (int i = 0; i < 7; i++) {
			Observation observation = new Observation();
			observation.setStatus(Observation.ObservationStatus.FINAL);
			observation.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
			observation.setSubject(new Reference(patientId));
			client.create().resource(observation).execute();
		}
		Condition condition = new Condition();
		condition.getCode().addCoding().setSystem("https://vietfhir.org/fhir/CodeSystem/vn-icd10").setCode("I10");
		condition.setSubject(new Reference(patientId));
		client.create().resource(condition).execute();
	}

	@Test
	void everythingPagesWithCount() {
		Bundle page = http.get("/fhir/Patient/" + patientId.getIdPart() + "/$everything?_count=3", "application/fhir+json")
				.resource(Bundle.class);
		Set<String> seen = new HashSet<>();
		int pages = 0;
		int entries = 0;
		while (page != null) {
			pages++;
			entries += page.getEntry().size();
			assertThat(page.getEntry().size()).isLessThanOrEqualTo(3);
			assertThat(page.getTotal()).isEqualTo(9);
			page.getEntry().forEach(e -> seen.add(e.getResource().fhirType() + "/" + e.getResource().getIdElement().getIdPart()));
			page = page.getLink(Bundle.LINK_NEXT) != null ? client.loadPage().next(page).execute() : null;
		}
		assertThat(pages).isGreaterThanOrEqualTo(3);
		assertThat(seen).hasSize(9); // patient + 7 observations + 1 condition
		assertThat(entries).isEqualTo(9); // no page repeats another's entries
	}

	@Test
	void everythingFiltersByType() {
		Bundle conditions = http.get(
						"/fhir/Patient/" + patientId.getIdPart() + "/$everything?_type=Condition", "application/fhir+json")
				.resource(Bundle.class);
		// only the types asked for (HAPI's own operation added the patient whatever was asked)
		assertThat(conditions.getEntry()).extracting(e -> e.getResource().fhirType()).containsExactly("Condition");
		assertThat(conditions.getTotal()).isEqualTo(1);
		Http.Response unknown = http.get("/fhir/Patient/" + patientId.getIdPart() + "/$everything?_type=Nonsense", "application/fhir+json");
		assertThat(unknown.status()).isEqualTo(400);
		assertThat(unknown.diagnostics()).contains("Nonsense");

	}

	/** The Condition made above has no clinical status: the summary once failed on that with a 500. */
	@Test
	void summaryIsFoundByTheHealthInsuranceNumberToo() {
		String identifier = URLEncoder.encode(BHYT + "|" + bhyt, StandardCharsets.UTF_8);
		Http.Response response = http.get("/fhir/Patient/$summary?identifier=" + identifier, "application/fhir+json");
		assertThat(response.status()).isEqualTo(200);
		Bundle summary = response.resource(Bundle.class);
		assertThat(summary.getEntry())
				.anySatisfy(e -> assertThat(e.getResource().getIdElement().getIdPart()).isEqualTo(patientId.getIdPart()));
	}

	@Test
	void everythingSinceHasOnlyWhatChangedAfterIt() throws Exception {
		Patient patient = Fixtures.patientWithCccd(Fixtures.cccd("001085"), "male", "1985-03-02");
		IdType id = (IdType) client.create().resource(patient).execute().getId().toUnqualifiedVersionless();
		List<IdType> observations = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			Observation observation = new Observation();
			observation.setStatus(Observation.ObservationStatus.FINAL);
			observation.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
			observation.setSubject(new Reference(id));
			observations.add((IdType) client.create().resource(observation).execute().getId().toUnqualifiedVersionless());
		}
		Thread.sleep(20);
		String since = java.time.Instant.now().toString();
		Thread.sleep(20);
		Observation changed = client.read().resource(Observation.class).withId(observations.get(1)).execute();
		changed.setStatus(Observation.ObservationStatus.AMENDED);
		client.update().resource(changed).execute();

		Bundle everything = http.get("/fhir/Patient/" + id.getIdPart() + "/$everything?_since=" + URLEncoder.encode(since, StandardCharsets.UTF_8),
				"application/fhir+json").resource(Bundle.class);
		List<String> observationIds = everything.getEntry().stream()
				.filter(e -> e.getResource().fhirType().equals("Observation"))
				.map(e -> e.getResource().getIdElement().getIdPart()).toList();
		assertThat(observationIds).containsExactly(observations.get(1).getIdPart());

		// the pages after the first keep the filter
		List<String> paged = new ArrayList<>();
		Bundle page = http.get("/fhir/Patient/" + id.getIdPart() + "/$everything?_count=1&_since=" + URLEncoder.encode(since, StandardCharsets.UTF_8),
				"application/fhir+json").resource(Bundle.class);
		while (page != null) {
			page.getEntry().stream().filter(e -> e.getResource().fhirType().equals("Observation"))
					.forEach(e -> paged.add(e.getResource().getIdElement().getIdPart()));
			page = page.getLink(Bundle.LINK_NEXT) != null ? client.loadPage().next(page).execute() : null;
		}
		assertThat(paged).containsExactly(observations.get(1).getIdPart());

		Http.Response bad = http.get("/fhir/Patient/" + id.getIdPart() + "/$everything?_since=yesterday", "application/fhir+json");
		assertThat(bad.status()).isEqualTo(400);
		assertThat(bad.diagnostics()).contains("_since");
	}

	/** A facility's own patient number (an MR identifier in the facility's system) finds the patient and the summary. */
	@Test
	void facilityPatientNumberFindsThePatientAndTheSummary() {
		String system = "http://fhir.ehealth.gov.vn/core/sid/provider-code/01001/patient-number";
		String number = "BN-" + Fixtures.uniqueValue().substring(0, 8);
		Patient patient = Fixtures.patientWithCccd(Fixtures.cccd("001085"), "male", "1985-03-02");
		patient.addIdentifier().setSystem(system).setValue(number).getType().addCoding()
				.setSystem("http://terminology.hl7.org/CodeSystem/v2-0203").setCode("MR");
		String id = client.create().resource(patient).execute().getId().getIdPart();
		String identifier = URLEncoder.encode(system + "|" + number, StandardCharsets.UTF_8);
		Bundle found = http.get("/fhir/Patient?identifier=" + identifier, "application/fhir+json").resource(Bundle.class);
		assertThat(found.getEntry()).hasSize(1);
		assertThat(found.getEntryFirstRep().getResource().getIdElement().getIdPart()).isEqualTo(id);
		Http.Response summary = http.get("/fhir/Patient/$summary?identifier=" + identifier, "application/fhir+json");
		assertThat(summary.status()).isEqualTo(200);
		assertThat(summary.body()).contains(id);
	}

	/**
	 * The record carries the shared resources it references (the managing facility, the performing
	 * doctor) as includes, and nothing of another patient, even one seen by the same doctor.
	 */
	@Test
	void everythingCarriesSharedResourcesAndNothingOfAnotherPatient() {
		IdType facility = (IdType) client.create().resource(Fixtures.facility("Trạm Y tế xã Thử nghiệm")).execute()
				.getId().toUnqualifiedVersionless();
		String bhytNumber = "DN4010" + String.format("%09d", (long) (Math.random() * 1_000_000_000L));
		IdType doctor = (IdType) client.create()
				.resource(Fixtures.practitioner(Fixtures.cccd("036078"), bhytNumber, (int) (Math.random() * 900_000 + 100_000) + "/BYT-GPHN"))
				.execute().getId().toUnqualifiedVersionless();
		Patient mine = Fixtures.patientWithCccd(Fixtures.cccd("001190"), "female", "1990-01-02");
		mine.setManagingOrganization(new Reference(facility));
		IdType me = (IdType) client.create().resource(mine).execute().getId().toUnqualifiedVersionless();
		IdType other = (IdType) client.create().resource(Fixtures.patientWithCccd(Fixtures.cccd("001070"), "male", "1970-05-06"))
				.execute().getId().toUnqualifiedVersionless();
		IdType myObservation = observation(me, doctor);
		IdType theirObservation = observation(other, doctor);
		IdType deleted = observation(me, doctor);
		client.delete().resourceById(deleted).execute();

		Bundle record = http.get("/fhir/Patient/" + me.getIdPart() + "/$everything?_count=100", "application/fhir+json")
				.resource(Bundle.class);
		Map<String, Bundle.SearchEntryMode> modes = new HashMap<>();
		record.getEntry().forEach(e -> modes.put(e.getResource().getIdElement().toUnqualifiedVersionless().getValue(), e.getSearch().getMode()));
		assertThat(modes).containsOnlyKeys(me.getValue(), myObservation.getValue(), facility.getValue(), doctor.getValue());
		assertThat(modes.get(me.getValue())).isEqualTo(Bundle.SearchEntryMode.MATCH);
		assertThat(modes.get(myObservation.getValue())).isEqualTo(Bundle.SearchEntryMode.MATCH);
		assertThat(modes.get(facility.getValue())).isEqualTo(Bundle.SearchEntryMode.INCLUDE);
		assertThat(modes.get(doctor.getValue())).isEqualTo(Bundle.SearchEntryMode.INCLUDE);
		assertThat(modes).doesNotContainKeys(other.getValue(), theirObservation.getValue(), deleted.getValue());
		assertThat(record.getTotal()).isEqualTo(4);
		assertThat(record.getEntry()).allSatisfy(e -> assertThat(e.getResource().getMeta().getVersionId()).isNotBlank());
	}

	/**
	 * A condition a patient asserted about someone else belongs to the asserter's compartment (FHIR's
	 * Patient CompartmentDefinition: Condition by patient and asserter), so $everything carries it,
	 * but it is not one of the asserter's own problems in the summary.
	 */
	@Test
	void theSummaryListsOnlyThePatientsOwnRecords() {
		IdType mother = (IdType) client.create().resource(Fixtures.patientWithCccd(Fixtures.cccd("001190"), "female", "1990-04-05"))
				.execute().getId().toUnqualifiedVersionless();
		IdType child = (IdType) client.create().resource(Fixtures.patientWithCccd(Fixtures.cccd("001085"), "male", "1985-03-02"))
				.execute().getId().toUnqualifiedVersionless();
		Condition own = new Condition();
		own.getCode().addCoding().setSystem("https://vietfhir.org/fhir/CodeSystem/vn-icd10").setCode("E11");
		own.setSubject(new Reference(mother));
		IdType ownId = (IdType) client.create().resource(own).execute().getId().toUnqualifiedVersionless();
		Condition reported = new Condition();
		reported.getCode().addCoding().setSystem("https://vietfhir.org/fhir/CodeSystem/vn-icd10").setCode("J45");
		reported.setSubject(new Reference(child));
		reported.setAsserter(new Reference(mother));
		IdType reportedId = (IdType) client.create().resource(reported).execute().getId().toUnqualifiedVersionless();

		Bundle summary = http.get("/fhir/Patient/" + mother.getIdPart() + "/$summary", "application/fhir+json").resource(Bundle.class);
		List<String> conditions = summary.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
				.filter(r -> r instanceof Condition c && c.getCode().hasCoding("https://vietfhir.org/fhir/CodeSystem/vn-icd10", c.getCode().getCodingFirstRep().getCode()))
				.map(r -> ((Condition) r).getCode().getCodingFirstRep().getCode()).toList();
		assertThat(conditions).containsExactly("E11");

		Bundle everything = http.get("/fhir/Patient/" + mother.getIdPart() + "/$everything?_type=Condition", "application/fhir+json")
				.resource(Bundle.class);
		assertThat(everything.getEntry()).extracting(e -> e.getResource().getIdElement().toUnqualifiedVersionless().getValue())
				.containsExactlyInAnyOrder(ownId.getValue(), reportedId.getValue());
		Bundle childsRecord = http.get("/fhir/Patient/" + child.getIdPart() + "/$summary", "application/fhir+json").resource(Bundle.class);
		assertThat(childsRecord.getEntry()).anySatisfy(e -> assertThat(e.getResource().getIdElement().getIdPart()).isEqualTo(reportedId.getIdPart()));
	}

	/**
	 * The summary reads at most vietfhir.fhir.summary-max-per-type records of a type (40 in the suite),
	 * the newest stored: a patient with 45 different laboratory results gets the 40 newest.
	 */
	@Test
	void theSummaryReadsAtMostTheConfiguredNumberOfRecordsOfAType() {
		IdType patient = (IdType) client.create().resource(Fixtures.patientWithCccd(Fixtures.cccd("001085"), "male", "1985-03-02"))
				.execute().getId().toUnqualifiedVersionless();
		Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		for (int i = 1; i <= 45; i++) {
			Observation result = new Observation();
			result.setStatus(Observation.ObservationStatus.FINAL);
			result.addCategory().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/observation-category").setCode("laboratory");
			result.getCode().setText(String.format("Xét nghiệm %02d", i));
			result.setSubject(new Reference(patient));
			transaction.addEntry().setResource(result).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
		}
		client.transaction().withBundle(transaction).execute();

		Bundle summary = http.get("/fhir/Patient/" + patient.getIdPart() + "/$summary", "application/fhir+json").resource(Bundle.class);
		List<String> results = summary.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
				.filter(r -> r instanceof Observation).map(r -> ((Observation) r).getCode().getText()).toList();
		assertThat(results).hasSize(40).contains("Xét nghiệm 45", "Xét nghiệm 06").doesNotContain("Xét nghiệm 05", "Xét nghiệm 01");
		// $everything is not limited
		Bundle everything = http.get("/fhir/Patient/" + patient.getIdPart() + "/$everything?_type=Observation", "application/fhir+json")
				.resource(Bundle.class);
		assertThat(everything.getTotal()).isEqualTo(45);
	}

	@Test
	void everythingOfAnUnknownOrDeletedPatientIsRefused() {
		Http.Response unknown = http.get("/fhir/Patient/khong-co-benh-nhan-nay/$everything", "application/fhir+json");
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.diagnostics()).contains("khong-co-benh-nhan-nay");

		IdType gone = (IdType) client.create().resource(Fixtures.patientWithCccd(Fixtures.cccd("001060"), "male", "1960-01-01"))
				.execute().getId().toUnqualifiedVersionless();
		client.delete().resourceById(gone).execute();
		assertThat(http.get("/fhir/Patient/" + gone.getIdPart() + "/$everything", "application/fhir+json").status()).isEqualTo(410);
		assertThat(http.get("/fhir/Patient/" + gone.getIdPart() + "/$summary", "application/fhir+json").status()).isEqualTo(410);

		for (String count : List.of("0", "abc")) {
			Http.Response badCount = http.get("/fhir/Patient/" + patientId.getIdPart() + "/$everything?_count=" + count, "application/fhir+json");
			assertThat(badCount.status()).isEqualTo(400);
			assertThat(badCount.diagnostics()).contains("_count");
		}
		Http.Response badCursor = http.get("/fhir/Patient/" + patientId.getIdPart() + "/$everything?_cursor=abc", "application/fhir+json");
		assertThat(badCursor.status()).isEqualTo(400);
		assertThat(badCursor.diagnostics()).contains("_cursor");
	}

	/** Read access to patient data: the types the token may not read are left out, and the access is on record. */
	@Test
	void everythingShowsOnlyWhatTheScopesAllowAndIsAudited() {
		TestServer server = TestServer.shared();
		String scopes = "system/Patient.rs system/Observation.rs";
		RegisteredClients.Client portal = RegisteredClients.register(server, "cong-ho-so-everything", List.of(scopes.split(" ")), List.of("TREAT"));
		String token = (String) Tokens.json(Tokens.request(server.rootUrl(), portal.clientId(), portal.key(), scopes, null).body())
				.get("access_token");
		Http.Response response = http.send(HttpRequest.newBuilder(http.uri("/fhir/Patient/" + patientId.getIdPart() + "/$everything?_count=100"))
				.header("Authorization", "Bearer " + token).GET());
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		Bundle record = response.resource(Bundle.class);
		assertThat(record.getEntry()).extracting(e -> e.getResource().fhirType()).containsOnly("Patient", "Observation");
		assertThat(record.getTotal()).isEqualTo(8);

		Http.Response log = http.send(HttpRequest.newBuilder(http.uri("/fhir/Patient/" + patientId.getIdPart() + "/$access-log"))
				.header("Accept", "application/fhir+json").header("X-Purpose-Of-Use", "PATRQT").GET());
		assertThat(log.status()).isEqualTo(200);
		assertThat(log.resource(Bundle.class).getEntry()).anySatisfy(e -> {
			AuditEvent event = (AuditEvent) e.getResource();
			assertThat(event.getSubtype()).extracting(c -> c.getCode()).contains("$everything");
			assertThat(event.getAgentFirstRep().getWho().getIdentifier().getValue()).isEqualTo(portal.clientId());
		});
	}

	private static IdType observation(IdType patient, IdType performer) {
		Observation observation = new Observation();
		observation.setStatus(Observation.ObservationStatus.FINAL);
		observation.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
		observation.setSubject(new Reference(patient));
		observation.addPerformer(new Reference(performer));
		return (IdType) client.create().resource(observation).execute().getId().toUnqualifiedVersionless();
	}
}
