package vn.ehealth.fhir.tests.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.gclient.TokenClientParam;
import jakarta.persistence.EntityManagerFactory;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hibernate.Session;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.orm.jpa.EntityManagerFactoryUtils;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/** Search on one patient with a dozen observations, made once for the class. */
class SearchTest {

	private static final int OBSERVATIONS = 12;
	private static IGenericClient client;
	private static Http http;
	private static IdType patientId;
	private static String marker;

	@BeforeAll
	static void data() {
		client = TestServer.shared().client();
		http = TestServer.shared().http();
		marker = Fixtures.uniqueValue();
		Patient patient = Fixtures.patient("Ngô", "Thanh Hương", marker);
		patient.getText().setStatus(Narrative.NarrativeStatus.GENERATED)
				.setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">Bệnh nhân viêm gan siêu vi B mạn tính</div>");
		patientId = (IdType) client.create().resource(patient).execute().getId().toUnqualifiedVersionless();
		for (int i = 0; i < OBSERVATIONS; i++) {
			Observation obs = new Observation();
			obs.setStatus(Observation.ObservationStatus.FINAL);
			obs.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4").setDisplay("Nhịp tim");
			obs.setSubject(new Reference(patientId));
			obs.setEffective(new DateTimeType(String.format("2024-01-%02dT08:00:00+07:00", i + 1)));
			obs.setValue(new Quantity().setValue(60 + i).setUnit("/min"));
			client.create().resource(obs).execute();
		}
	}

	@Test
	void includeBringsTheSubjectAndRevincludeBringsTheObservations() {
		Bundle withInclude = client.search()
				.forResource(Observation.class)
				.where(Observation.SUBJECT.hasId(patientId))
				.include(Observation.INCLUDE_SUBJECT)
				.count(100)
				.returnBundle(Bundle.class)
				.execute();
		assertThat(resourceTypes(withInclude, Bundle.SearchEntryMode.MATCH)).containsOnly("Observation");
		assertThat(resourceTypes(withInclude, Bundle.SearchEntryMode.INCLUDE)).containsExactly("Patient");

		Bundle withRevinclude = client.search()
				.forResource(Patient.class)
				.where(new TokenClientParam("_id").exactly().code(patientId.getIdPart()))
				.revInclude(Observation.INCLUDE_SUBJECT)
				.count(100)
				.returnBundle(Bundle.class)
				.execute();
		assertThat(resourceTypes(withRevinclude, Bundle.SearchEntryMode.INCLUDE)).hasSize(OBSERVATIONS);
	}

	@Test
	void sortAndPageThroughEveryResult() {
		Bundle page = client.search()
				.forResource(Observation.class)
				.where(Observation.SUBJECT.hasId(patientId))
				.sort().descending(Observation.DATE)
				.count(5)
				.returnBundle(Bundle.class)
				.execute();
		List<String> dates = new ArrayList<>();
		Set<String> ids = new HashSet<>();
		int pages = 0;
		while (page != null) {
			pages++;
			page.getEntry().forEach(e -> {
				Observation obs = (Observation) e.getResource();
				dates.add(obs.getEffectiveDateTimeType().getValueAsString());
				ids.add(obs.getIdElement().getIdPart());
			});
			page = page.getLink(Bundle.LINK_NEXT) != null ? client.loadPage().next(page).execute() : null;
		}
		assertThat(pages).isEqualTo(3);
		assertThat(ids).hasSize(OBSERVATIONS);
		assertThat(dates).isSortedAccordingTo((a, b) -> b.compareTo(a));
		assertThat(dates.get(0)).startsWith("2024-01-12");
	}

	@Test
	void fullTextSearchFindsVietnameseWithAndWithoutDiacritics() {
		// narrowed to this test's patient: the shared database holds thousands of synthetic Hương
		String mine = "&identifier=" + Fixtures.TEST_ID_SYSTEM + "%7C" + marker;
		// _text searches the narrative; percent-encoded UTF-8 as any HTTP client sends it
		assertThat(patientIds("/fhir/Patient?_text=vi%C3%AAm%20gan" + mine)).containsExactly(patientId.getIdPart());
		assertThat(patientIds("/fhir/Patient?_text=viem%20gan" + mine)).containsExactly(patientId.getIdPart());
		// _content searches the resource's text values
		assertThat(patientIds("/fhir/Patient?_content=H%C6%B0%C6%A1ng" + mine)).containsExactly(patientId.getIdPart());
		assertThat(patientIds("/fhir/Patient?_text=s%E1%BB%91t%20xu%E1%BA%A5t%20huy%E1%BA%BFt" + mine)).isEmpty();
	}

	@Test
	void stringSearchIgnoresDiacriticsAndCase() {
		assertThat(patientIds("/fhir/Patient?family=ngo&identifier=" + Fixtures.TEST_ID_SYSTEM + "%7C" + marker))
				.containsExactly(patientId.getIdPart());
		assertThat(patientIds("/fhir/Patient?given=THANH%20H%C6%AF%C6%A0NG&identifier="
						+ Fixtures.TEST_ID_SYSTEM + "%7C" + marker))
				.containsExactly(patientId.getIdPart());
	}

	@Test
	void compositeSearchMatchesCodeAndValueTogether() {
		// composites are searched by joining their components' index rows, not from extracted composite values
		String mine = "/fhir/Observation?subject=" + patientId.getValue() + "&_count=100&code-value-quantity=http://loinc.org%7C8867-4%24";
		assertThat(ids(mine + "ge70")).hasSize(2);
		assertThat(ids(mine + "lt60")).isEmpty();
		assertThat(ids("/fhir/Observation?subject=" + patientId.getValue()
				+ "&code-value-quantity=http://loinc.org%7C8310-5%24ge0")).isEmpty();
	}

	/**
	 * A code's display text is not indexed by default (vietfhir.search.token-text-index, issue 21: 2–5
	 * of a resource's 14–20 index rows): :text on a token is a 400 naming the setting, not HAPI's 405 and
	 * not an empty result; _content still finds the display text; no string index row holds it.
	 */
	@Test
	void tokenTextIsOffWithA400NamingTheSettingAndContentStillFindsTheText() {
		Http.Response refused = http.get("/fhir/Observation?subject=" + patientId.getValue() + "&code:text=Nh%E1%BB%8Bp%20tim",
				"application/fhir+json");
		assertThat(refused.status()).as(refused.body()).isEqualTo(400);
		assertThat(refused.body()).contains("OperationOutcome").contains("vietfhir.search.token-text-index").contains("_content");

		assertThat(ids("/fhir/Observation?subject=" + patientId.getValue() + "&_count=100&_content=nhip%20tim")).hasSize(OBSERVATIONS);

		var context = TestServer.shared().context();
		EntityManagerFactory factory = context.getBean(EntityManagerFactory.class);
		Long displayRows = new TransactionTemplate(context.getBean(PlatformTransactionManager.class)).execute(status ->
				EntityManagerFactoryUtils.getTransactionalEntityManager(factory).unwrap(Session.class).doReturningWork(connection -> {
					try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM hfj_spidx_string s"
							+ " JOIN hfj_res_link l ON l.src_resource_id = s.res_id JOIN hfj_resource p ON p.res_id = l.target_resource_id"
							+ " WHERE s.res_type = 'Observation' AND p.res_type = 'Patient' AND p.fhir_id = ?")) {
						count.setString(1, patientId.getIdPart());
						try (ResultSet rows = count.executeQuery()) {
							rows.next();
							return rows.getLong(1);
						}
					}
				}));
		assertThat(displayRows).as("string index rows of this patient's Observations").isZero();
	}

	/**
	 * Searches are never answered from an earlier identical search (reuse-cached-search-results-millis 0,
	 * HAPI's null): the same URL right after a write finds what was written, and right after a delete
	 * no longer finds it.
	 */
	@Test
	void theSameSearchRightAfterAWriteSeesIt() {
		String family = "Tuoi" + Fixtures.uniqueValue().replace("-", "");
		String search = "/fhir/Patient?family=" + family;
		assertThat(ids(search)).isEmpty();
		IdType created = (IdType) client.create().resource(Fixtures.patient(family, "Mới", Fixtures.uniqueValue()))
				.execute().getId().toUnqualifiedVersionless();
		assertThat(ids(search)).containsExactly(created.getIdPart());
		client.delete().resourceById(created).execute();
		assertThat(ids(search)).isEmpty();
	}

	/**
	 * HAPI's search SQL is planned for its own values on every execution (storage/CustomPlansForSearches):
	 * on the connection of a JPA transaction, a statement of HAPI's search form run ten times is never
	 * prepared on the server (no generic plan can take over), while any other statement run as often is.
	 */
	@Test
	void searchStatementsAreNeverPreparedOnTheServer() {
		var context = TestServer.shared().context();
		EntityManagerFactory factory = context.getBean(EntityManagerFactory.class);
		List<String> prepared = new TransactionTemplate(context.getBean(PlatformTransactionManager.class)).execute(status ->
				EntityManagerFactoryUtils.getTransactionalEntityManager(factory).unwrap(Session.class).doReturningWork(connection -> {
					for (int i = 0; i < 10; i++) {
						for (String sql : List.of("SELECT t0.RES_ID FROM HFJ_RESOURCE t0 WHERE t0.RES_ID = ?",
								"SELECT DISTINCT t1.RES_ID FROM HFJ_RESOURCE t1 WHERE t1.RES_ID = ?",
								"SELECT RES_ID FROM HFJ_RESOURCE WHERE RES_ID = ?")) {
							try (PreparedStatement statement = connection.prepareStatement(sql)) {
								statement.setLong(1, i);
								statement.executeQuery().close();
							}
						}
					}
					List<String> statements = new ArrayList<>();
					try (PreparedStatement list = connection.prepareStatement("SELECT statement FROM pg_prepared_statements");
							ResultSet rows = list.executeQuery()) {
						while (rows.next()) {
							statements.add(rows.getString(1));
						}
					}
					return statements;
				}));
		assertThat(prepared).contains("SELECT RES_ID FROM HFJ_RESOURCE WHERE RES_ID = $1");
		assertThat(prepared).noneMatch(sql -> sql.contains("t0.RES_ID") || sql.contains("t1.RES_ID"));
	}

	private static List<String> patientIds(String path) {
		return ids(path);
	}

	private static List<String> ids(String path) {
		Http.Response response = http.get(path, "application/fhir+json");
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		Bundle bundle = response.resource(Bundle.class);
		return bundle.getEntry().stream()
				.map(e -> e.getResource().getIdElement().getIdPart())
				.toList();
	}

	private static List<String> resourceTypes(Bundle bundle, Bundle.SearchEntryMode mode) {
		return bundle.getEntry().stream()
				.filter(e -> e.getSearch().getMode() == mode)
				.map(e -> e.getResource().fhirType())
				.toList();
	}
}
