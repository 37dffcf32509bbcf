package vn.ehealth.fhir.server.claimxml;

import java.util.ArrayList;
import java.util.List;
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
 * The papers of an episode: XML7 the discharge paper (a Composition, LOINC discharge summary), XML13
 * the referral (a ServiceRequest to the receiving facility), XML14 the follow-up appointment (an
 * Appointment), XML15 the tuberculosis treatment (a CarePlan per row). Fields that repeat XML1 (name,
 * birth date, card, dates) are XML1's and not mapped again; fields FHIR has no element for are kept
 * verbatim as {@code qd4750-*} extensions, as in the other tables.
 */
final class PaperMapping {

	static final String XML7 = "XML7";
	static final String XML13 = "XML13";
	static final String XML14 = "XML14";
	static final String XML15 = "XML15";
	private static final String LOINC = "http://loinc.org";
	private static final String SNOMED = "http://snomed.info/sct";

	private PaperMapping() {}

	/** XML7: the discharge paper, its free-text parts as sections. */
	static Composition dischargePaper(EpisodeContext context, Submission.Row row, DateTimeType discharged) {
		Composition paper = new Composition();
		paper.setIdentifier(context.rowIdentifier(XML7));
		paper.setStatus(Composition.CompositionStatus.FINAL);
		paper.setType(new CodeableConcept(new Coding(LOINC, "18842-5", "Discharge summary")).setText("Giấy ra viện"));
		paper.setTitle("Giấy ra viện");
		paper.setSubject(context.patient());
		paper.setEncounter(context.encounter());
		DateTimeType signed = row.has("NGAY_CT") ? ClaimValues.day(row, "NGAY_CT", row.get("NGAY_CT")) : null;
		DateTimeType end = ClaimValues.dateTime(row, "NGAY_RA");
		paper.setDateElement(signed != null ? signed : end != null ? end : discharged);
		// the head of department signs: named by BHXH number (MA_BS) and name, not by a practising licence
		paper.addAuthor(row.has("TEN_BS") || row.has("MA_BS")
				? new Reference().setDisplay(row.get("TEN_BS")).setIdentifier(row.has("MA_BS")
						? ClaimCodes.identifier(ClaimCodes.BHXH_NUMBER, row.get("MA_BS"))
						: null)
				: context.organization());
		paper.setCustodian(context.organization());
		section(paper, "CHAN_DOAN_RV", "Chẩn đoán ra viện", "11535-2", "Hospital discharge Dx", row);
		section(paper, "PP_DIEUTRI", "Phương pháp điều trị", "8648-8", "Hospital course", row);
		section(paper, "GHI_CHU", "Ghi chú", "48767-8", "Annotation comment", row);
		ClaimCodes.keep(paper, row, "SO_LUU_TRU", "MA_YTE", "MA_KHOA_RV", "NGAY_VAO", "MA_DINH_CHI_THAI", "NGUYENNHAN_DINHCHI",
				"THOIGIAN_DINHCHI", "TUOI_THAI", "MA_TTDV", "MA_CHA", "MA_ME", "MA_THE_TAM", "HO_TEN_CHA", "HO_TEN_ME",
				"SO_NGAY_NGHI", "NGOAITRU_TUNGAY", "NGOAITRU_DENNGAY");
		if (!paper.hasSection()) {
			section(paper, "Giấy ra viện", "18842-5", "Discharge summary", "Giấy ra viện không có nội dung chữ / the paper has no text");
		}
		return paper;
	}

	private static void section(Composition paper, String field, String title, String loinc, String display, Submission.Row row) {
		if (row.has(field)) {
			section(paper, title, loinc, display, row.get(field))
					.addExtension(ClaimCodes.fieldExtension("FIELD"), new StringType(field));
		}
	}

	private static Composition.SectionComponent section(Composition paper, String title, String loinc, String display, String text) {
		Composition.SectionComponent section = paper.addSection().setTitle(title)
				.setCode(new CodeableConcept(new Coding(LOINC, loinc, display)));
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
		for (String field : new String[] {"DAU_HIEU_LS", "QT_BENHLY", "TOMTAT_KQ", "HUONG_DIEU_TRI", "CHAN_DOAN_RV", "PP_DIEUTRI",
				"PP_DIEU_TRI", "TEN_DICH_VU", "TEN_THUOC"}) {
			note(referral.addNote(), row, field);
		}
		referral.getNote().removeIf(n -> !n.hasText());
		ClaimCodes.keep(referral, row, "SO_HOSO", "SO_CHUYENTUYEN", "MA_CSKCB", "MA_NOI_DI", "MA_LOAI_RV", "PHUONGTIEN_VC",
				"HOTEN_NGUOI_HT", "CHUCDANH_NGUOI_HT", "MA_TTDV", "MA_BENH_YHCT");
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
		ClaimCodes.keep(visit, row, "MA_CSKCB", "MA_DOITUONG_KCB", "MA_TTDV", "MA_BENH_YHCT");
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
		for (String field : new String[] {"PHANLOAI_LAO_VITRI", "PHANLOAI_LAO_TS", "PHANLOAI_LAO_HIV", "PHANLOAI_LAO_VK",
				"PHANLOAI_LAO_KT", "LOAI_DTRI_LAO", "KET_QUA_DTRI_LAO"}) {
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
		ClaimCodes.keep(plan, row, "MA_CSKCB", "NGAYKD_HIV", "BDDT_ARV", "NGAY_BAT_DAU_DT_CTX");
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
