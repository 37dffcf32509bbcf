package vn.ehealth.fhir.server.claimxml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import vn.ehealth.fhir.profiles.identifier.IdentifierSystems;

/**
 * The papers of an episode: XML7 the discharge paper, XML8 the medical record summary, XML10 the
 * pregnancy-leave and XML11 the sick-leave certificates (Compositions, typed by the table and LOINC
 * where a document type fits), XML13 the referral (a ServiceRequest to the receiving facility), XML14 the follow-up appointment (an
 * Appointment), XML15 the tuberculosis treatment (a CarePlan per row). Fields that repeat XML1 (name,
 * birth date, card, dates) are XML1's and not mapped again; fields FHIR has no element for are kept
 * verbatim as {@code qd4750-*} extensions, as in the other tables.
 */
final class PaperMapping {

	static final String XML7 = "XML7";
	static final String XML8 = "XML8";
	static final String XML10 = "XML10";
	static final String XML11 = "XML11";
	static final String XML13 = "XML13";
	static final String XML14 = "XML14";
	static final String XML15 = "XML15";
	private static final String LOINC = "http://loinc.org";
	private static final String SNOMED = "http://snomed.info/sct";

	/** XML13's free-text fields, each a note marked with its field; the fields kept verbatim. */
	static final String[] REFERRAL_NOTES = {"DAU_HIEU_LS", "QT_BENHLY", "TOMTAT_KQ", "HUONG_DIEU_TRI", "CHAN_DOAN_RV", "PP_DIEUTRI",
			"PP_DIEU_TRI", "TEN_DICH_VU", "TEN_THUOC"};
	static final String[] REFERRAL_KEPT = {"SO_HOSO", "SO_CHUYENTUYEN", "MA_CSKCB", "MA_NOI_DI", "MA_LOAI_RV", "PHUONGTIEN_VC",
			"HOTEN_NGUOI_HT", "CHUCDANH_NGUOI_HT", "MA_TTDV", "MA_BENH_YHCT"};
	static final String[] FOLLOW_UP_KEPT = {"MA_CSKCB", "MA_DOITUONG_KCB", "MA_TTDV", "MA_BENH_YHCT"};
	/** XML15's classifications, each a coded extension; the fields kept verbatim. */
	static final String[] TUBERCULOSIS_CODED = {"PHANLOAI_LAO_VITRI", "PHANLOAI_LAO_TS", "PHANLOAI_LAO_HIV", "PHANLOAI_LAO_VK",
			"PHANLOAI_LAO_KT", "LOAI_DTRI_LAO", "KET_QUA_DTRI_LAO"};
	static final String[] TUBERCULOSIS_KEPT = {"MA_CSKCB", "NGAYKD_HIV", "BDDT_ARV", "NGAY_BAT_DAU_DT_CTX"};

	private PaperMapping() {}

	/** A section of a paper: the field whose text it holds, its title and LOINC section code. */
	record Section(String field, String title, String loinc, String display) {}

	/**
	 * A paper kept as a Composition: its LOINC document type where one fits, its free-text fields as
	 * sections, the rest kept verbatim. Signed by MA_BS / TEN_BS (a BHXH number, not a licence) or,
	 * when the paper names no signer, by the facility.
	 */
	record Paper(String table, String loinc, String loincDisplay, String title, List<Section> sections, String[] kept) {}

	private static final Section DIAGNOSIS = new Section("CHAN_DOAN_RV", "Chẩn đoán ra viện", "11535-2", "Hospital discharge Dx");
	private static final Section TREATMENT = new Section("PP_DIEUTRI", "Phương pháp điều trị", "18776-5", "Plan of care note");
	private static final Section NOTE = new Section("GHI_CHU", "Ghi chú", "48767-8", "Annotation comment");

	/** The papers mapped to a Composition, in the order their records are written. */
	static final List<String> COMPOSITIONS = List.of(XML7, XML8, XML10, XML11);

	static final Map<String, Paper> PAPERS = Map.of(
			XML7, new Paper(XML7, "18842-5", "Discharge summary", "Giấy ra viện", List.of(DIAGNOSIS, TREATMENT, NOTE),
					new String[] {"SO_LUU_TRU", "MA_YTE", "MA_KHOA_RV", "NGAY_VAO", "NGAY_RA", "MA_DINH_CHI_THAI", "NGUYENNHAN_DINHCHI",
							"THOIGIAN_DINHCHI", "TUOI_THAI", "MA_TTDV", "MA_CHA", "MA_ME", "MA_THE_TAM", "HO_TEN_CHA", "HO_TEN_ME",
							"SO_NGAY_NGHI", "NGOAITRU_TUNGAY", "NGOAITRU_DENNGAY"}),
			XML8, new Paper(XML8, "34133-9", "Summary of episode note", "Tóm tắt hồ sơ bệnh án", List.of(
					new Section("CHAN_DOAN_VAO", "Chẩn đoán vào viện", "46241-6", "Hospital admission diagnosis"), DIAGNOSIS,
					new Section("QT_BENHLY", "Quá trình bệnh lý và diễn biến lâm sàng", "8648-8", "Hospital course"),
					new Section("TOMTAT_KQ", "Tóm tắt kết quả cận lâm sàng", "30954-2", "Relevant diagnostic tests/laboratory data"),
					TREATMENT, NOTE),
					new String[] {"MA_LOAI_KCB", "HO_TEN_CHA", "HO_TEN_ME", "NGUOI_GIAM_HO", "DON_VI", "NGAY_VAO", "NGAY_RA", "NGAY_SINHCON",
							"NGAY_CONCHET", "SO_CONCHET", "KET_QUA_DTRI", "MA_TTDV", "MA_THE_TAM"}),
			XML10, new Paper(XML10, null, null, "Giấy chứng nhận nghỉ dưỡng thai", List.of(DIAGNOSIS),
					new String[] {"SO_SERI", "SO_CT", "SO_NGAY", "DON_VI", "TU_NGAY", "DEN_NGAY", "MA_TTDV"}),
			XML11, new Paper(XML11, null, null, "Giấy chứng nhận nghỉ việc hưởng BHXH", List.of(DIAGNOSIS, TREATMENT),
					new String[] {"SO_CT", "SO_SERI", "SO_KCB", "DON_VI", "MA_BHXH", "MA_THE_BHYT", "MA_DINH_CHI_THAI",
							"NGUYENNHAN_DINHCHI", "TUOI_THAI", "SO_NGAY_NGHI", "TU_NGAY", "DEN_NGAY", "HO_TEN_CHA", "HO_TEN_ME",
							"MA_TTDV", "MA_THE_TAM", "MAU_SO"}));

	/**
	 * XML7 (discharge paper), XML8 (medical record summary), XML10 (pregnancy leave), XML11 (sick
	 * leave): one Composition each, dated NGAY_CT (else NGAY_RA, else the episode's end).
	 */
	static Composition paper(EpisodeContext context, String table, Submission.Row row, DateTimeType discharged) {
		Paper kind = PAPERS.get(table);
		Composition paper = new Composition();
		paper.setIdentifier(context.rowIdentifier(table));
		paper.setStatus(Composition.CompositionStatus.FINAL);
		CodeableConcept type = new CodeableConcept().setText(kind.title());
		if (kind.loinc() != null) {
			type.addCoding(new Coding(LOINC, kind.loinc(), kind.loincDisplay()));
		}
		paper.setType(type.addCoding(new Coding(ClaimCodes.codeSystem("loaihoso"), table, kind.title())));
		paper.setTitle(kind.title());
		paper.setSubject(context.patient());
		paper.setEncounter(context.encounter());
		DateTimeType signed = row.has("NGAY_CT") ? ClaimValues.day(row, "NGAY_CT", row.get("NGAY_CT")) : null;
		DateTimeType end = ClaimValues.dateTime(row, "NGAY_RA");
		paper.setDateElement(signed != null ? signed : end != null ? end : discharged);
		// the head of department signs: named by BHXH number (MA_BS) and name, not by a practising licence
		paper.addAuthor(row.has("TEN_BS") || row.has("MA_BS")
				? new Reference().setDisplay(row.get("TEN_BS"))
						.setIdentifier(row.has("MA_BS") ? ClaimCodes.identifier(ClaimCodes.BHXH_NUMBER, row.get("MA_BS")) : null)
				: context.organization());
		paper.setCustodian(context.organization());
		for (Section section : kind.sections()) {
			if (row.has(section.field())) {
				section(paper, section.title(), section.loinc(), section.display(), row.get(section.field()))
						.addExtension(ClaimCodes.fieldExtension("FIELD"), new StringType(section.field()));
			}
		}
		ClaimCodes.keep(paper, row, kind.kept());
		if (!paper.hasSection()) {
			section(paper, kind.title(), kind.loinc(), kind.loincDisplay(), "Giấy không có nội dung chữ / the paper has no text");
		}
		return paper;
	}

	private static Composition.SectionComponent section(Composition paper, String title, String loinc, String display, String text) {
		Composition.SectionComponent section = paper.addSection().setTitle(title);
		if (loinc != null) {
			section.setCode(new CodeableConcept(new Coding(LOINC, loinc, display)));
		}
		section.getText().setStatus(Narrative.NarrativeStatus.GENERATED)
				.setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">" + escape(text) + "</div>");
		return section;
	}

	/** XML13: the referral, a completed order for the receiving facility (MA_NOI_DEN) to take the patient over. */
	static ServiceRequest referral(EpisodeContext context, Submission.Row row, DateTimeType discharged) {
		ServiceRequest referral = new ServiceRequest();
		referral.addIdentifier(context.rowIdentifier(XML13));
		if (row.has("GIAY_CHUYEN_TUYEN")) {
			referral.addIdentifier(ClaimCodes.identifier(context.system() + "/giay-chuyen-tuyen", row.get("GIAY_CHUYEN_TUYEN")));
		}
		referral.setStatus(ServiceRequest.ServiceRequestStatus.COMPLETED);
		referral.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
		referral.addCategory(new CodeableConcept(new Coding(SNOMED, "3457005", "Patient referral")).setText("Chuyển tuyến"));
		referral.setCode(new CodeableConcept(new Coding(SNOMED, "3457005", "Patient referral")).setText("Giấy chuyển tuyến"));
		referral.setSubject(context.patient());
		referral.setEncounter(context.encounter());
		DateTimeType end = ClaimValues.dateTime(row, "NGAY_RA");
		referral.setAuthoredOnElement(end != null ? end : discharged);
		Reference doctor = context.practitioner(row.get("MA_BAC_SI"));
		referral.setRequester(doctor != null ? doctor : context.organization());
		if (row.has("MA_NOI_DEN")) {
			referral.addPerformer(facility(row.get("MA_NOI_DEN")));
		}
		diagnoses(row).forEach(referral::addReasonCode);
		if (row.has("MA_LYDO_CT")) {
			referral.addReasonCode(ClaimCodes.concept("ma-lydo-ct", row.get("MA_LYDO_CT"), null));
		}
		for (String field : REFERRAL_NOTES) {
			note(referral.addNote(), row, field);
		}
		referral.getNote().removeIf(n -> !n.hasText());
		ClaimCodes.keep(referral, row, REFERRAL_KEPT);
		return referral;
	}

	/** XML14: the follow-up visit the facility booked. */
	static Appointment followUp(EpisodeContext context, Submission.Row row) {
		Appointment visit = new Appointment();
		visit.addIdentifier(context.rowIdentifier(XML14));
		if (row.has("SO_GIAYHEN_KL")) {
			visit.addIdentifier(ClaimCodes.identifier(context.system() + "/giay-hen-kham-lai", row.get("SO_GIAYHEN_KL")));
		}
		visit.setStatus(Appointment.AppointmentStatus.BOOKED);
		visit.setAppointmentType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v2-0276", "FOLLOWUP",
				"A follow up visit from a previous appointment")).setText("Hẹn khám lại"));
		DateTimeType when = ClaimValues.dateTime(row, "NGAY_HEN_KL");
		if (when == null) {
			throw ClaimXmlRefusals.refused(row.path() + "/NGAY_HEN_KL", "Thiếu thời điểm hẹn khám lại NGAY_HEN_KL",
					"NGAY_HEN_KL (the follow-up time) is missing");
		}
		// the paper gives a moment, not a length: start and end are that moment (a booked Appointment needs both, app-3)
		visit.setStartElement(new org.hl7.fhir.r4.model.InstantType(when.getValueAsString()));
		visit.setEndElement(new org.hl7.fhir.r4.model.InstantType(when.getValueAsString()));
		if (row.has("NGAY_CT")) {
			visit.setCreatedElement(ClaimValues.day(row, "NGAY_CT", row.get("NGAY_CT")));
		}
		visit.setDescription(row.get("CHAN_DOAN_RV"));
		diagnoses(row).forEach(visit::addReasonCode);
		visit.addSupportingInformation(context.encounter());
		visit.addParticipant().setActor(context.patient()).setStatus(Appointment.ParticipationStatus.ACCEPTED);
		Reference doctor = context.practitioner(row.get("MA_BAC_SI"));
		if (doctor != null) {
			visit.addParticipant().setActor(doctor).setStatus(Appointment.ParticipationStatus.ACCEPTED);
		}
		ClaimCodes.keep(visit, row, FOLLOW_UP_KEPT);
		return visit;
	}

	/** XML15: one tuberculosis treatment course, its classification and regimen as coded extensions and activity. */
	static CarePlan tuberculosis(EpisodeContext context, Submission.Row row, int n) {
		CarePlan plan = new CarePlan();
		plan.addIdentifier(context.rowIdentifier(XML15 + "/" + n));
		boolean ended = row.has("NGAYKT_DTRI_LAO");
		plan.setStatus(ended ? CarePlan.CarePlanStatus.COMPLETED : CarePlan.CarePlanStatus.ACTIVE);
		plan.setIntent(CarePlan.CarePlanIntent.PLAN);
		plan.addCategory(new CodeableConcept(new Coding(SNOMED, "56717001", "Tuberculosis")).setText("Điều trị lao"));
		plan.setTitle("Điều trị lao");
		plan.setSubject(context.patient());
		plan.setEncounter(context.encounter());
		Period period = new Period();
		if (row.has("NGAYBD_DTRI_LAO")) {
			period.setStartElement(ClaimValues.day(row, "NGAYBD_DTRI_LAO", row.get("NGAYBD_DTRI_LAO")));
		}
		if (ended) {
			period.setEndElement(ClaimValues.day(row, "NGAYKT_DTRI_LAO", row.get("NGAYKT_DTRI_LAO")));
		}
		plan.setPeriod(period.hasStart() || period.hasEnd() ? period : null);
		for (String field : TUBERCULOSIS_CODED) {
			if (row.has(field)) {
				plan.addExtension(ClaimCodes.fieldExtension(field), ClaimCodes.concept(field.toLowerCase(java.util.Locale.ROOT)
						.replace('_', '-'), row.get(field), null));
			}
		}
		if (row.has("PHACDO_DTRI_LAO")) {
			plan.addActivity().getDetail().setStatus(ended ? CarePlan.CarePlanActivityStatus.COMPLETED
							: CarePlan.CarePlanActivityStatus.INPROGRESS)
					.setCode(ClaimCodes.concept("phacdo-dtri-lao", row.get("PHACDO_DTRI_LAO"), null));
		}
		ClaimCodes.keep(plan, row, TUBERCULOSIS_KEPT);
		return plan;
	}

	private static List<CodeableConcept> diagnoses(Submission.Row row) {
		List<CodeableConcept> codes = new ArrayList<>();
		if (row.has("MA_BENH_CHINH")) {
			codes.add(EncounterMapping.icd10(row.get("MA_BENH_CHINH"), null));
		}
		EncounterMapping.codes(row.get("MA_BENH_KT")).forEach(code -> codes.add(EncounterMapping.icd10(code, null)));
		return codes;
	}

	private static void note(Annotation note, Submission.Row row, String field) {
		if (row.has(field)) {
			note.setText(row.get(field)).addExtension(ClaimCodes.fieldExtension("FIELD"), new StringType(field));
		}
	}

	private static Reference facility(String code) {
		return new Reference().setType("Organization").setIdentifier(ClaimCodes.identifier(IdentifierSystems.FACILITY_CODE, code));
	}

	private static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}
}
