package vn.ehealth.fhir.tests.claimxml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.synth.ClaimXml;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/** The papers of an episode (XML7, XML13, XML14, XML15) into FHIR, valid under the server's enforce mode. */
class ClaimXmlPapersTest {

	private static final String IMPORT = "/fhir/$import-claim-xml";
	private static Http http;

	@BeforeAll
	static void server() {
		http = TestServer.shared().http();
	}

	@Test
	void everyPaperIsMappedAndStoredUnderEnforce() {
		String facility = ClaimXmlImportTest.facilityCode();
		ClaimXml.Episode episode = withPapers(facility);

		Bundle response = importOk(ClaimXml.envelope(facility, List.of(episode)));

		// nothing left out: the outcome names no table as unmapped
		String outcome = TestServer.fhirContext().newJsonParser().encodeResourceToString(response.getEntryFirstRep().getResponse().getOutcome());
		assertThat(outcome).doesNotContain("is not mapped yet");
		Encounter encounter = one(Encounter.class, "Encounter?identifier=" + ClaimXmlImportTest.episodeSystem(facility) + "|" + episode.maLk());
		String enc = "Encounter/" + encounter.getIdPart();

		Composition paper = one(Composition.class, "Composition?encounter=" + enc);
		assertThat(paper.getType().getCodingFirstRep().getCode()).isEqualTo("18842-5");
		assertThat(paper.getDateElement().getValueAsString()).isEqualTo("2026-03-14");
		assertThat(paper.getAuthorFirstRep().getDisplay()).isEqualTo("BS. Trần Thị Bình");
		assertThat(paper.getSection()).extracting(s -> s.getTitle()).containsExactly("Chẩn đoán ra viện", "Phương pháp điều trị");
		assertThat(paper.getSectionFirstRep().getText().getDivAsString()).contains("Viêm phổi thùy dưới phải");
		assertThat(kept(paper.getExtensionByUrl(field("SO_NGAY_NGHI")))).isEqualTo("5");

		ServiceRequest referral = all(ServiceRequest.class, "ServiceRequest?encounter=" + enc).stream()
				.filter(s -> "3457005".equals(s.getCategoryFirstRep().getCodingFirstRep().getCode())).findFirst().orElseThrow();
		assertThat(referral.getPerformerFirstRep().getIdentifier().getValue()).isEqualTo("01001");
		assertThat(referral.getReasonCode()).extracting(c -> c.getCodingFirstRep().getCode()).contains("J18.9", "I10");
		assertThat(referral.getIdentifier()).extracting(i -> i.getValue()).contains("GCT-2026-001");
		assertThat(referral.getNote()).extracting(n -> n.getText()).contains("Sốt cao, khó thở", "Tiếp tục kháng sinh tại tuyến trên");
		assertThat(referral.getAuthoredOnElement().getValueAsString()).isEqualTo("2026-03-14T10:00:00+07:00");

		Appointment visit = one(Appointment.class, "Appointment?supporting-info=" + enc);
		assertThat(visit.getStatus()).isEqualTo(Appointment.AppointmentStatus.BOOKED);
		assertThat(visit.getStartElement().getValueAsString()).isEqualTo("2026-03-21T08:30:00+07:00");
		assertThat(visit.getReasonCodeFirstRep().getCodingFirstRep().getCode()).isEqualTo("J18.9");
		assertThat(visit.getParticipant()).extracting(p -> p.getActor().getReference()).contains(encounter.getSubject().getReference());

		List<CarePlan> plans = all(CarePlan.class, "CarePlan?encounter=" + enc);
		assertThat(plans).hasSize(1);
		CarePlan plan = plans.get(0);
		assertThat(plan.getPeriod().getStartElement().getValueAsString()).isEqualTo("2026-03-10");
		assertThat(plan.getStatus()).isEqualTo(CarePlan.CarePlanStatus.ACTIVE);
		assertThat(plan.getActivityFirstRep().getDetail().getCode().getCodingFirstRep().getCode()).isEqualTo("1");
		assertThat(((CodeableConcept) plan.getExtensionByUrl(field("PHANLOAI_LAO_VITRI")).getValue()).getCodingFirstRep().getCode())
				.isEqualTo("1");
	}

	@Test
	void theSummaryAndTheLeaveCertificatesAreCompositionsToo() {
		String facility = ClaimXmlImportTest.facilityCode();
		ClaimXml.Episode episode = ClaimXmlImportTest.episode(facility, Fixtures.cccd("001085"), "BN-" + Fixtures.uniqueValue().substring(0, 8));
		String maLk = episode.maLk();
		withSummaryAndLeaveCertificates(episode);

		importOk(ClaimXml.envelope(facility, List.of(episode)));

		Encounter encounter = one(Encounter.class, "Encounter?identifier=" + ClaimXmlImportTest.episodeSystem(facility) + "|" + maLk);
		List<Composition> papers = all(Composition.class, "Composition?encounter=Encounter/" + encounter.getIdPart());
		assertThat(papers).extracting(Composition::getTitle).containsExactlyInAnyOrder("Tóm tắt hồ sơ bệnh án",
				"Giấy chứng nhận nghỉ dưỡng thai", "Giấy chứng nhận nghỉ việc hưởng BHXH");
		Composition summary = papers.stream().filter(p -> p.getTitle().startsWith("Tóm tắt")).findFirst().orElseThrow();
		assertThat(summary.getType().getCoding()).extracting(c -> c.getCode()).containsExactly("34133-9", "XML8");
		assertThat(summary.getSection()).extracting(c -> c.getTitle()).containsExactly("Chẩn đoán vào viện", "Chẩn đoán ra viện",
				"Quá trình bệnh lý và diễn biến lâm sàng", "Tóm tắt kết quả cận lâm sàng", "Phương pháp điều trị");
		Composition leave = papers.stream().filter(p -> p.getTitle().contains("BHXH")).findFirst().orElseThrow();
		assertThat(leave.getAuthorFirstRep().getIdentifier().getValue()).isEqualTo("0199887766");
		assertThat(kept(leave.getExtensionByUrl(field("SO_NGAY_NGHI")))).isEqualTo("5");
		assertThat(kept(leave.getExtensionByUrl(field("MAU_SO")))).isEqualTo("CT07");
	}

	@Test
	void aCorrectionWithoutItsPapersRemovesThemAndAnIdenticalOneChangesNothing() {
		String facility = ClaimXmlImportTest.facilityCode();
		ClaimXml.Episode episode = withPapers(facility);
		importOk(ClaimXml.envelope(facility, List.of(episode)));
		Encounter encounter = one(Encounter.class, "Encounter?identifier=" + ClaimXmlImportTest.episodeSystem(facility) + "|" + episode.maLk());
		String enc = "Encounter/" + encounter.getIdPart();
		Appointment before = one(Appointment.class, "Appointment?supporting-info=" + enc);

		importOk(ClaimXml.envelope(facility, List.of(episode)));
		assertThat(one(Appointment.class, "Appointment?supporting-info=" + enc).getMeta().getVersionId())
				.isEqualTo(before.getMeta().getVersionId());

		ClaimXml.Episode corrected = episode.copy();
		corrected.papers().remove("XML14");
		corrected.papers().remove("XML15");
		importOk(ClaimXml.envelope(facility, List.of(corrected)));
		assertThat(all(Appointment.class, "Appointment?supporting-info=" + enc)).isEmpty();
		assertThat(all(CarePlan.class, "CarePlan?encounter=" + enc)).isEmpty();
		assertThat(all(Composition.class, "Composition?encounter=" + enc)).hasSize(1);
	}

	@Test
	void theGeneratorWritesPapersThatLoad() {
		var data = new vn.ehealth.fhir.synth.SyntheticData(4750, List.of(15, 30),
				vn.ehealth.fhir.synth.SyntheticData.DEFAULT_CARE_START, vn.ehealth.fhir.synth.SyntheticData.DEFAULT_AS_OF);
		List<ClaimXml.Episode> episodes = new java.util.ArrayList<>();
		episodes.addAll(ClaimXml.episodes(data, 15, 4));
		episodes.addAll(ClaimXml.episodes(data, 30, 4));
		assertThat(episodes).anyMatch(e -> !e.papers().isEmpty());
		for (ClaimXml.Episode episode : episodes) {
			Bundle response = importOk(ClaimXml.envelope(episode.facility(), List.of(episode)));
			assertThat(response.getEntry()).hasSize(1);
		}
	}

	// ------------------------------------------------------------------ helpers

	/** The record summary (XML8), a pregnancy leave (XML10) and a sick leave (XML11) certificate of the episode. */
	static void withSummaryAndLeaveCertificates(ClaimXml.Episode episode) {
		String maLk = episode.maLk();
		episode.paper("XML8").add(ClaimXml.row("MA_LK", maLk, "MA_LOAI_KCB", "03", "NGAY_VAO", "202603100815", "NGAY_RA", "202603141000",
				"CHAN_DOAN_VAO", "Viêm phổi", "CHAN_DOAN_RV", "Viêm phổi thùy dưới phải", "QT_BENHLY", "Sốt 3 ngày, ho đờm",
				"TOMTAT_KQ", "X-quang: mờ đáy phổi phải", "PP_DIEUTRI", "Kháng sinh", "KET_QUA_DTRI", "2", "NGAY_CT", "20260315"));
		episode.paper("XML10").add(ClaimXml.row("MA_LK", maLk, "SO_SERI", "DT-1", "SO_NGAY", "10", "CHAN_DOAN_RV", "Dọa sảy thai",
				"TU_NGAY", "20260314", "DEN_NGAY", "20260323", "TEN_BS", "BS. Lê Văn Cường", "MA_BS", "0199887766", "NGAY_CT", "20260314"));
		episode.paper("XML11").add(ClaimXml.row("MA_LK", maLk, "SO_CT", "CT07-1", "SO_SERI", "S-1", "MA_BHXH", "0123456789",
				"CHAN_DOAN_RV", "Viêm phổi", "PP_DIEUTRI", "Nội khoa", "SO_NGAY_NGHI", "5", "TU_NGAY", "20260315", "DEN_NGAY", "20260319",
				"MA_BS", "0199887766", "NGAY_CT", "20260314", "MAU_SO", "CT07"));
	}

	static ClaimXml.Episode withPapers(String facility) {
		ClaimXml.Episode episode = ClaimXmlImportTest.episode(facility, Fixtures.cccd("001085"), "BN-" + Fixtures.uniqueValue().substring(0, 8));
		String maLk = episode.maLk();
		episode.xml1().put("MA_LOAI_RV", "2");
		episode.xml1().put("MA_NOI_DEN", "01001");
		episode.paper("XML7").add(ClaimXml.row("MA_LK", maLk, "SO_LUU_TRU", "LT-1", "MA_YTE", episode.xml1().get("MA_BN"),
				"MA_KHOA_RV", "K02", "NGAY_VAO", "202603100815", "NGAY_RA", "202603141000", "MA_DINH_CHI_THAI", "0",
				"CHAN_DOAN_RV", "Viêm phổi thùy dưới phải", "PP_DIEUTRI", "Kháng sinh tĩnh mạch", "MA_BS", "0112233445",
				"TEN_BS", "BS. Trần Thị Bình", "NGAY_CT", "20260314", "SO_NGAY_NGHI", "5", "NGOAITRU_TUNGAY", "20260315",
				"NGOAITRU_DENNGAY", "20260319"));
		episode.paper("XML13").add(ClaimXml.row("MA_LK", maLk, "SO_HOSO", "HS-1", "SO_CHUYENTUYEN", "CT-1",
				"GIAY_CHUYEN_TUYEN", "GCT-2026-001", "MA_CSKCB", facility, "MA_NOI_DI", facility, "MA_NOI_DEN", "01001",
				"NGAY_RA", "202603141000", "DAU_HIEU_LS", "Sốt cao, khó thở", "QT_BENHLY", "Viêm phổi không đáp ứng điều trị",
				"TOMTAT_KQ", "X-quang: mờ đáy phổi phải", "MA_BENH_CHINH", "J18.9", "MA_BENH_KT", "I10", "MA_LOAI_RV", "2",
				"MA_LYDO_CT", "1", "HUONG_DIEU_TRI", "Tiếp tục kháng sinh tại tuyến trên", "PHUONGTIEN_VC", "Xe cứu thương",
				"MA_BAC_SI", "000123/HNO-CCHN"));
		episode.paper("XML14").add(ClaimXml.row("MA_LK", maLk, "SO_GIAYHEN_KL", "HK-1", "MA_CSKCB", facility,
				"NGAY_HEN_KL", "202603210830", "CHAN_DOAN_RV", "Viêm phổi", "MA_BENH_CHINH", "J18.9", "MA_DOITUONG_KCB", "1",
				"MA_BAC_SI", "000123/HNO-CCHN", "NGAY_CT", "20260314"));
		episode.paper("XML15").add(ClaimXml.row("MA_LK", maLk, "MA_BN", episode.xml1().get("MA_BN"), "PHANLOAI_LAO_VITRI", "1",
				"PHANLOAI_LAO_TS", "1", "PHANLOAI_LAO_HIV", "2", "PHANLOAI_LAO_VK", "1", "LOAI_DTRI_LAO", "1",
				"PHACDO_DTRI_LAO", "1", "NGAYBD_DTRI_LAO", "20260310", "MA_CSKCB", facility));
		return episode;
	}

	private static String field(String name) {
		return "https://vietfhir.org/fhir/StructureDefinition/qd4750-" + name.toLowerCase().replace('_', '-');
	}

	private static String kept(org.hl7.fhir.r4.model.Extension extension) {
		return extension == null ? null : extension.getValue().primitiveValue();
	}

	private static Bundle importOk(String xml) {
		return ClaimXmlImportTest.importOk(http, xml);
	}

	private static <T extends IBaseResource> T one(Class<T> type, String query) {
		List<T> found = all(type, query);
		assertThat(found).as(query).hasSize(1);
		return found.get(0);
	}

	@SuppressWarnings("unchecked")
	private static <T extends IBaseResource> List<T> all(Class<T> type, String query) {
		Bundle bundle = http.get("/fhir/" + query.replace("|", "%7C"), "application/fhir+json").resource(Bundle.class);
		return bundle.getEntry().stream().map(e -> (T) e.getResource()).toList();
	}
}
