package vn.ehealth.fhir.tests.claimxml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import vn.ehealth.fhir.synth.ClaimXml;
import vn.ehealth.fhir.tests.security.RegisteredClients;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;
import vn.ehealth.fhir.tests.support.Tokens;

/**
 * Claim XML out (issue 18): {@code Encounter/[id]/$claim-xml} writes the episode back as the envelope,
 * and an XML → FHIR → XML round trip gives back every mapped field of every table the ingest maps.
 */
class ClaimXmlRoundTripTest {

	private static final String IMPORT = "/fhir/$import-claim-xml";
	/** Fields the way out does not write (docs/claim-xml.md, "Claim XML out"): not mapped by the ingest. */
	private static final Map<String, Set<String>> NOT_WRITTEN = Map.of("XML1", Set.of("MA_TTDV", "DU_PHONG"));
	/** Fields the way out writes though the paper did not carry them: repeated from XML1, or the row number. */
	private static final Set<String> FILLED = Set.of("STT", "MA_BN", "HO_TEN", "SO_CCCD", "NGAY_SINH", "GIOI_TINH", "MA_QUOCTICH",
			"MA_DANTOC", "MA_NGHE_NGHIEP", "DIA_CHI", "MA_THE_BHYT", "GT_THE_DEN", "NGAY_VAO", "NGAY_VAO_NOI_TRU");

	/** Fields a paper's own mapping keeps, so never filled from XML1 (importing the envelope again would change the paper). */
	private static final Map<String, Set<String>> NOT_FILLED = Map.of("XML7", Set.of("NGAY_VAO"), "XML8", Set.of("NGAY_VAO"),
			"XML11", Set.of("MA_THE_BHYT"));

	private static TestServer server;
	private static Http http;

	@BeforeAll
	static void start() {
		server = TestServer.shared();
		http = server.http();
	}

	@Test
	void everyMappedFieldOfEveryTableComesBack() {
		String facility = ClaimXmlImportTest.facilityCode();
		ClaimXml.Episode episode = fullEpisode(facility);

		String out = claimXml(importAndFindEncounter(facility, episode));

		Map<String, List<Map<String, String>>> sent = tables(ClaimXml.envelope(facility, List.of(episode)));
		Map<String, List<Map<String, String>>> back = tables(out);
		assertThat(back.keySet()).containsExactlyInAnyOrderElementsOf(sent.keySet());
		assertThat(differences(sent, back)).isEmpty();
	}

	@Test
	void generatedEpisodesComeBackToo() {
		var data = new vn.ehealth.fhir.synth.SyntheticData(4750, List.of(15, 30),
				vn.ehealth.fhir.synth.SyntheticData.DEFAULT_CARE_START, vn.ehealth.fhir.synth.SyntheticData.DEFAULT_AS_OF);
		List<ClaimXml.Episode> episodes = new ArrayList<>();
		episodes.addAll(ClaimXml.episodes(data, 15, 3));
		episodes.addAll(ClaimXml.episodes(data, 30, 3));
		assertThat(episodes).isNotEmpty();
		for (ClaimXml.Episode episode : episodes) {
			String out = claimXml(importAndFindEncounter(episode.facility(), episode));
			assertThat(differences(tables(ClaimXml.envelope(episode.facility(), List.of(episode))), tables(out)))
					.as(episode.maLk()).isEmpty();
		}
	}

	@Test
	void importingTheEnvelopeItWroteChangesNothing() {
		String facility = ClaimXmlImportTest.facilityCode();
		ClaimXml.Episode episode = fullEpisode(facility);
		importOk(ClaimXml.envelope(facility, List.of(episode)));
		List<String> stored = locations(importOk(ClaimXml.envelope(facility, List.of(episode))));
		String encounter = stored.stream().filter(l -> l.startsWith("Encounter/")).findFirst().orElseThrow().replaceAll("/_history/.*", "");
		String out = claimXml(encounter);

		List<String> again = locations(importOk(out));

		// the same records at the same versions: nothing the envelope carries differs from what is stored
		assertThat(again).containsExactlyInAnyOrderElementsOf(stored);
		assertThat(claimXml(encounter)).isEqualTo(out);
	}

	private static List<String> locations(Bundle response) {
		List<String> locations = new ArrayList<>();
		response.getEntry().forEach(e -> ((Bundle) e.getResource()).getEntry().forEach(x -> locations.add(x.getResponse().getLocation())));
		return locations;
	}

	@Test
	void anEncounterRecordedInFhirGetsItsIdAsMaLk() {
		var client = server.client();
		Organization organization = Fixtures.facility("Phòng khám đa khoa Hoa Sen");
		String facility = organization.getIdentifier().get(0).getValue();
		IdType org = (IdType) client.create().resource(organization).execute().getId().toUnqualifiedVersionless();
		Patient patient = Fixtures.patientWithCccd(Fixtures.cccd("001190"), "female", "1990-05");
		patient.getName().clear();
		patient.addName().setText("Trần Thị Hoa");
		IdType pat = (IdType) client.create().resource(patient).execute().getId().toUnqualifiedVersionless();
		Encounter encounter = new Encounter();
		encounter.setStatus(Encounter.EncounterStatus.FINISHED);
		encounter.setClass_(new org.hl7.fhir.r4.model.Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory"));
		encounter.setSubject(new Reference(pat));
		encounter.setPeriod(new org.hl7.fhir.r4.model.Period()
				.setStartElement(new org.hl7.fhir.r4.model.DateTimeType("2026-04-02T09:05:00+07:00")));
		Encounter withoutFacility = encounter.copy();
		encounter.setServiceProvider(new Reference(org));
		String id = client.create().resource(encounter).execute().getId().getIdPart();

		Map<String, String> xml1 = tables(claimXml("Encounter/" + id)).get("XML1").get(0);

		assertThat(xml1).containsEntry("MA_LK", id).containsEntry("MA_CSKCB", facility).containsEntry("HO_TEN", "Trần Thị Hoa")
				.containsEntry("NGAY_SINH", "199005000000").containsEntry("GIOI_TINH", "2").containsEntry("NGAY_VAO", "202604020905")
				.containsEntry("MA_LOAI_KCB", "01");
		String orphan = client.create().resource(withoutFacility).execute().getId().getIdPart();
		Http.Response refused = http.get("/fhir/Encounter/" + orphan + "/$claim-xml", "application/xml");
		assertThat(refused.status()).as(refused.body()).isEqualTo(422);
		assertThat(refused.body()).contains("MACSKCB").contains("OperationOutcome");
	}

	@Test
	void anUnknownEncounterIs404WithAnOutcome() {
		Http.Response response = http.get("/fhir/Encounter/khong-co-" + Fixtures.uniqueValue().substring(0, 8) + "/$claim-xml",
				"application/fhir+json");
		assertThat(response.status()).as(response.body()).isEqualTo(404);
		assertThat(response.outcome().getIssueFirstRep().getSeverity().toCode()).isEqualTo("error");
	}

	@Test
	void itNeedsReadOnEveryTypeItWritesOutAndIsAudited() {
		String facility = ClaimXmlImportTest.facilityCode();
		String encounter = importAndFindEncounter(facility, fullEpisode(facility));

		String narrow = "system/Encounter.rs system/Patient.rs";
		RegisteredClients.Client partial = RegisteredClients.register(server, "claim-out-partial", List.of(narrow.split(" ")), List.of("HPAYMT"));
		Http.Response refused = withToken(encounter, token(partial, narrow), null);
		assertThat(refused.status()).as(refused.body()).isEqualTo(403);
		assertThat(refused.body()).contains("system/Appointment.r");

		RegisteredClients.Client payer = RegisteredClients.register(server, "claim-out-reader", List.of("system/*.rs"), List.of("HPAYMT"));
		String token = token(payer, "system/*.rs");
		Http.Response wrongPurpose = withToken(encounter, token, "HRESCH");
		assertThat(wrongPurpose.status()).as(wrongPurpose.body()).isEqualTo(403);
		Http.Response ok = withToken(encounter, token, "HPAYMT");
		assertThat(ok.status()).as(ok.body()).isEqualTo(200);
		assertThat(ok.header("Content-Type")).startsWith("application/xml");

		String patient = one(Encounter.class, encounter).getSubject().getReference();
		Http.Response log = http.send(HttpRequest.newBuilder(http.uri("/fhir/" + patient + "/$access-log"))
				.header("Accept", "application/fhir+json").header("X-Purpose-Of-Use", "PATRQT").GET());
		assertThat(log.status()).as(log.body()).isEqualTo(200);
		assertThat(log.resource(Bundle.class).getEntry()).anySatisfy(e -> {
			AuditEvent event = (AuditEvent) e.getResource();
			assertThat(event.getSubtype()).extracting(c -> c.getCode()).contains("$claim-xml");
			assertThat(event.getAgentFirstRep().getWho().getIdentifier().getValue()).isEqualTo(payer.clientId());
		});
	}

	@Test
	void theCapabilityStatementDeclaresTheOperation() {
		var capabilities = http.get("/fhir/metadata", "application/fhir+json").resource(org.hl7.fhir.r4.model.CapabilityStatement.class);
		var encounter = capabilities.getRestFirstRep().getResource().stream().filter(r -> r.getType().equals("Encounter")).findFirst().orElseThrow();
		assertThat(encounter.getOperation()).filteredOn(o -> o.getName().equals("claim-xml")).extracting(o -> o.getDefinition())
				.containsExactly("https://vietfhir.org/fhir/OperationDefinition/Encounter-claim-xml");
	}

	// ------------------------------------------------------------------ helpers

	/** The import test's episode with every paper, and the XML1 to XML5 fields it left out. */
	private static ClaimXml.Episode fullEpisode(String facility) {
		ClaimXml.Episode episode = ClaimXmlPapersTest.withPapers(facility);
		String maLk = episode.maLk();
		episode.xml1().putAll(ClaimXml.row("NHOM_MAU", "O+", "MAHUYEN_CU_TRU", "001", "NGAY_MIEN_CCT", "20260201",
				"LY_DO_VNT", "Suy hô hấp", "MA_LY_DO_VNT", "2", "MA_PTTT_QT", "87.44", "MA_NOI_DI", "01002", "MA_TAI_NAN", "0",
				"GIAY_CHUYEN_TUYEN", "GCT-DEN-1", "PP_DIEU_TRI", "Nội khoa", "GHI_CHU", "Không", "T_BHTT_GDV", "0",
				"MA_KHUVUC", "K1", "CAN_NANG_CON", "3200", "NAM_NAM_LIEN_TUC", "20210101", "NGAY_TAI_KHAM", "20260321",
				"MA_HSBA", "HSBA-" + maLk));
		episode.xml2().add(ClaimXml.row("MA_LK", maLk, "MA_THUOC", "40.17", "MA_PP_CHEBIEN", "1", "MA_CSKCB_THUOC", facility,
				"MA_NHOM", "4", "TEN_THUOC", "Paracetamol", "DON_VI_TINH", "viên", "HAM_LUONG", "500mg", "DUONG_DUNG", "1.01",
				"DANG_BAO_CHE", "Viên nén", "LIEU_DUNG", "1 viên khi sốt", "CACH_DUNG", "Uống sau ăn", "SO_DANG_KY", "VD-1234-20",
				"TT_THAU", "G1;N1;2026", "PHAM_VI", "1", "TYLE_TT_BH", "100", "SO_LUONG", "10", "DON_GIA", "500.5",
				"THANH_TIEN_BV", "5005", "THANH_TIEN_BH", "5005", "T_NGUONKHAC", "0", "MUC_HUONG", "80", "T_BNTT", "0",
				"T_BNCCT", "1001", "T_BHTT", "4004", "MA_KHOA", "K02", "MA_BAC_SI", "000123/HNO-CCHN", "MA_DICH_VU", "01.0001.0001",
				"NGAY_YL", "202603111000", "NGAY_TH_YL", "202603111010", "MA_PTTT", "1", "NGUON_CTRA", "1", "VET_THUONG_TP", "0"));
		episode.xml3().get(1).putAll(ClaimXml.row("MA_KHOA", "K02", "MA_BAC_SI", "000123/HNO-CCHN", "NGAY_TH_YL", "202603101030",
				"TT_THAU", "G2;N2;2026", "TAI_SU_DUNG", "0", "MA_HIEU_SP", "PX-01"));
		episode.xml3().get(0).putAll(ClaimXml.row("MA_GIUONG", "G01", "PP_VO_CAM", "1", "VI_TRI_TH_DVKT", "Ngực", "MA_MAY", "XQ.01",
				"TYLE_TT_DV", "100", "MUC_HUONG", "80", "T_BHTT", "520000", "T_BNCCT", "130000"));
		episode.xml4().get(1).put("DON_VI_DO", "mô tả");
		episode.xml5().add(ClaimXml.row("MA_LK", maLk, "DIEN_BIEN_LS", "Hết sốt", "GIAI_DOAN_BENH", "Ổn định",
				"PHAU_THUAT", "Không", "THOI_DIEM_DBLS", "202603120800", "NGUOI_THUC_HIEN", "000456/HNO-CCHN"));
		ClaimXmlPapersTest.withSummaryAndLeaveCertificates(episode);
		return episode;
	}

	/** Field by field, table by table: every difference named (table[row].FIELD: sent → back). */
	private static List<String> differences(Map<String, List<Map<String, String>>> sent, Map<String, List<Map<String, String>>> back) {
		List<String> differences = new ArrayList<>();
		sent.forEach((table, rows) -> {
			List<Map<String, String>> backRows = back.getOrDefault(table, List.of());
			if (backRows.size() != rows.size()) {
				differences.add(table + ": " + rows.size() + " rows sent, " + backRows.size() + " back");
				return;
			}
			Set<String> notWritten = NOT_WRITTEN.getOrDefault(table, Set.of());
			for (int i = 0; i < rows.size(); i++) {
				Map<String, String> in = rows.get(i);
				Map<String, String> out = backRows.get(i);
				for (Map.Entry<String, String> field : in.entrySet()) {
					if (!notWritten.contains(field.getKey()) && !field.getValue().equals(out.get(field.getKey()))) {
						differences.add(table + "[" + (i + 1) + "]." + field.getKey() + ": '" + field.getValue() + "' → '" + out.get(field.getKey()) + "'");
					}
				}
				for (Map.Entry<String, String> field : out.entrySet()) {
					boolean filled = (table.equals("XML1") ? Set.of("STT") : FILLED).contains(field.getKey())
							&& !NOT_FILLED.getOrDefault(table, Set.of()).contains(field.getKey());
					if (!in.containsKey(field.getKey()) && !filled) {
						differences.add(table + "[" + (i + 1) + "]." + field.getKey() + ": not sent → '" + field.getValue() + "'");
					}
				}
			}
		});
		return differences;
	}

	/** The rows of each table of a one-episode envelope: every element whose children are all fields. */
	static Map<String, List<Map<String, String>>> tables(String envelope) {
		Map<String, List<Map<String, String>>> tables = new LinkedHashMap<>();
		Element root = parse(envelope.getBytes(StandardCharsets.UTF_8));
		assertThat(root.getLocalName()).isEqualTo("GIAMDINHHS");
		var files = root.getElementsByTagName("FILEHOSO");
		for (int i = 0; i < files.getLength(); i++) {
			Element file = (Element) files.item(i);
			String table = file.getElementsByTagName("LOAIHOSO").item(0).getTextContent().trim();
			byte[] content = Base64.getDecoder().decode(file.getElementsByTagName("NOIDUNGFILE").item(0).getTextContent().trim());
			List<Map<String, String>> rows = new ArrayList<>();
			collect(parse(content), rows);
			tables.put(table, rows);
		}
		return tables;
	}

	private static void collect(Element element, List<Map<String, String>> rows) {
		List<Element> children = new ArrayList<>();
		for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
			if (node instanceof Element child) {
				children.add(child);
			}
		}
		if (!children.isEmpty() && children.stream().allMatch(c -> c.getElementsByTagName("*").getLength() == 0)) {
			Map<String, String> row = new LinkedHashMap<>();
			children.stream().filter(c -> !c.getTextContent().isBlank()).forEach(c -> row.put(c.getLocalName(), c.getTextContent().trim()));
			rows.add(row);
			return;
		}
		children.forEach(child -> collect(child, rows));
	}

	private static Element parse(byte[] xml) {
		try {
			DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
			factory.setNamespaceAware(true);
			return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml)).getDocumentElement();
		} catch (Exception e) {
			throw new AssertionError("not XML: " + e.getMessage(), e);
		}
	}

	private static String importAndFindEncounter(String facility, ClaimXml.Episode episode) {
		importOk(ClaimXml.envelope(facility, List.of(episode)));
		Bundle found = http.get("/fhir/Encounter?identifier=" + ClaimXmlImportTest.episodeSystem(facility) + "%7C" + episode.maLk(),
				"application/fhir+json").resource(Bundle.class);
		assertThat(found.getEntry()).hasSize(1);
		return "Encounter/" + found.getEntryFirstRep().getResource().getIdElement().getIdPart();
	}

	private static String claimXml(String encounter) {
		Http.Response response = http.get("/fhir/" + encounter + "/$claim-xml", "application/xml");
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		assertThat(response.header("Content-Type")).startsWith("application/xml");
		return response.body();
	}

	private static Bundle importOk(String xml) {
		return ClaimXmlImportTest.importOk(http, xml);
	}

	private static <T extends org.hl7.fhir.r4.model.Resource> T one(Class<T> type, String reference) {
		return http.get("/fhir/" + reference, "application/fhir+json").resource(type);
	}

	private static String token(RegisteredClients.Client client, String scopes) {
		return (String) Tokens.json(Tokens.request(server.rootUrl(), client.clientId(), client.key(), scopes, null).body()).get("access_token");
	}

	private static Http.Response withToken(String encounter, String token, String purpose) {
		HttpRequest.Builder request = HttpRequest.newBuilder(http.uri("/fhir/" + encounter + "/$claim-xml"))
				.header("Authorization", "Bearer " + token).GET();
		if (purpose != null) {
			request.header("X-Purpose-Of-Use", purpose);
		}
		return http.send(request);
	}
}
