package vn.ehealth.fhir.server.claimxml;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Duration;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import vn.ehealth.fhir.profiles.Canonicals;
import vn.ehealth.fhir.profiles.identifier.IdentifierSystems;
import vn.ehealth.fhir.terminology.VnCodeSystem;
import vn.ehealth.fhir.terminology.VnTerminology;

/** XML1's episode fields as the Encounter, and its diagnoses as Conditions. */
final class EncounterMapping {

	private static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
	/** KET_QUA_DTRI, QĐ 4750 Bảng 1 field 40 (code 8 added by QĐ 4750). */
	static final Map<String, String> OUTCOMES = Map.of("1", "Khỏi", "2", "Đỡ", "3", "Không thay đổi", "4", "Nặng hơn",
			"5", "Tử vong", "6", "Tiên lượng nặng xin về", "7", "Chưa xác định", "8", "Tử vong ngoại viện");
	/** MA_LOAI_RV, QĐ 4750 Bảng 1 field 41. */
	static final Map<String, String> DISCHARGES = Map.of("1", "Ra viện", "2", "Chuyển tuyến theo yêu cầu chuyên môn",
			"3", "Trốn viện", "4", "Xin ra viện", "5", "Chuyển tuyến theo yêu cầu người bệnh");

	/**
	 * XML1 fields with no element of their own on the Encounter, kept verbatim; CHAN_DOAN_RV too, which
	 * is also the main Condition's text but would be lost without a main code, or taken for the code's name.
	 */
	static final String[] KEPT = {"MA_TAI_NAN", "PP_DIEU_TRI", "GHI_CHU", "CAN_NANG", "CAN_NANG_CON", "NGAY_TAI_KHAM", "NHOM_MAU",
			"MA_PTTT_QT", "CHAN_DOAN_RV"};

	private EncounterMapping() {}

	static Encounter encounter(EpisodeContext context, Submission.Row xml1) {
		Encounter encounter = new Encounter();
		encounter.getMeta().addProfile(Canonicals.ENCOUNTER);
		encounter.addIdentifier(context.episodeIdentifier());
		encounter.addIdentifier(vnCoreMaLk(context));
		if (xml1.has("MA_HSBA")) {
			encounter.addIdentifier(ClaimCodes.identifier(context.system() + "/ma-hsba", xml1.get("MA_HSBA")));
		}
		encounter.setStatus(xml1.has("NGAY_RA") ? Encounter.EncounterStatus.FINISHED : Encounter.EncounterStatus.INPROGRESS);
		String kind = xml1.get("MA_LOAI_KCB");
		encounter.setClass_(encounterClass(kind));
		if (kind != null) {
			encounter.addType(ClaimCodes.concept("ma-loai-kcb", kind, null));
		}
		encounter.setSubject(context.patient());
		encounter.setServiceProvider(context.organization());
		encounter.setPeriod(new Period().setStartElement(ClaimValues.dateTime(xml1, "NGAY_VAO"))
				.setEndElement(ClaimValues.dateTime(xml1, "NGAY_RA")));
		DateTimeType admitted = ClaimValues.dateTime(xml1, "NGAY_VAO_NOI_TRU");
		if (admitted != null) {
			encounter.addClassHistory().setClass_(new Coding(ACT_CODE, "IMP", "inpatient encounter"))
					.setPeriod(new Period().setStartElement(admitted).setEndElement(ClaimValues.dateTime(xml1, "NGAY_RA")));
		}
		BigDecimal days = ClaimValues.decimal(xml1, "SO_NGAY_DTRI");
		if (days != null) {
			encounter.setLength((Duration) new Duration().setValue(days).setUnit("ngày")
					.setSystem("http://unitsofmeasure.org").setCode("d"));
		}
		for (String reason : new String[] {"LY_DO_VV", "LY_DO_VNT", "CHAN_DOAN_VAO"}) {
			if (xml1.has(reason)) {
				CodeableConcept text = encounter.addReasonCode().setText(xml1.get(reason));
				// which field the reason came from, for writing XML1 back ($claim-xml)
				text.addExtension(ClaimCodes.fieldExtension("FIELD"), new org.hl7.fhir.r4.model.StringType(reason));
				if (reason.equals("LY_DO_VNT") && xml1.has("MA_LY_DO_VNT")) {
					text.addCoding(new Coding(ClaimCodes.codeSystem("ma-ly-do-vnt"), xml1.get("MA_LY_DO_VNT"), null));
				}
			}
		}
		if (xml1.has("MA_KHOA")) {
			encounter.addLocation().setLocation(new Reference()
					.setIdentifier(ClaimCodes.identifier(ClaimCodes.codeSystem("ma-khoa") + "/" + context.facility(), xml1.get("MA_KHOA")))
					.setDisplay("Khoa " + xml1.get("MA_KHOA")));
		}
		hospitalization(encounter, xml1);
		String outcome = xml1.get("KET_QUA_DTRI");
		if (outcome != null) {
			encounter.addExtension(ClaimCodes.fieldExtension("KET_QUA_DTRI"),
					ClaimCodes.concept("ket-qua-dtri", outcome, OUTCOMES.get(outcome)));
		}
		ClaimCodes.keep(encounter, xml1, KEPT);
		return encounter;
	}

	private static void hospitalization(Encounter encounter, Submission.Row xml1) {
		Encounter.EncounterHospitalizationComponent stay = encounter.getHospitalization();
		if (xml1.has("GIAY_CHUYEN_TUYEN")) {
			stay.setPreAdmissionIdentifier(new Identifier().setValue(xml1.get("GIAY_CHUYEN_TUYEN")));
		}
		if (xml1.has("MA_NOI_DI")) {
			stay.setOrigin(facility(xml1.get("MA_NOI_DI")));
		}
		if (xml1.has("MA_NOI_DEN")) {
			stay.setDestination(facility(xml1.get("MA_NOI_DEN")));
		}
		String discharge = xml1.get("MA_LOAI_RV");
		if (discharge != null) {
			stay.setDischargeDisposition(ClaimCodes.concept("ma-loai-rv", discharge, DISCHARGES.get(discharge)));
		}
		if (stay.isEmpty()) {
			encounter.setHospitalization(null);
		}
	}

	private static Reference facility(String code) {
		return new Reference().setType("Organization").setIdentifier(ClaimCodes.identifier(IdentifierSystems.FACILITY_CODE, code));
	}

	/** MA_LOAI_KCB (Bộ mã DMDC): 03 inpatient and 09 inpatient under 4 hours are IMP, 04 day care SS, the rest ambulatory. */
	private static Coding encounterClass(String kind) {
		String code = kind == null ? "AMB" : switch (kind) {
			case "03", "3", "09", "9" -> "IMP";
			case "04", "4" -> "SS";
			default -> "AMB";
		};
		return new Coding(ACT_CODE, code, switch (code) {
			case "IMP" -> "inpatient encounter";
			case "SS" -> "short stay";
			default -> "ambulatory";
		});
	}

	static Identifier vnCoreMaLk(EpisodeContext context) {
		Identifier identifier = ClaimCodes.identifier(ClaimCodes.VN_CORE_MA_LK, context.episode().maLk());
		identifier.getAssigner().setIdentifier(ClaimCodes.identifier(IdentifierSystems.FACILITY_CODE, context.facility()));
		return identifier;
	}

	/** A diagnosis of the episode, keyed for its conditional update. */
	record Diagnosis(Condition condition, Identifier key, boolean main) {}

	/** MA_BENH_CHINH (with CHAN_DOAN_RV as its text), each code of MA_BENH_KT, and the YHCT codes kept as they are. */
	static List<Diagnosis> diagnoses(EpisodeContext context, Submission.Row xml1) {
		List<Diagnosis> diagnoses = new ArrayList<>();
		if (xml1.has("MA_BENH_CHINH")) {
			diagnoses.add(diagnosis(context, xml1, icd10(xml1.get("MA_BENH_CHINH"), xml1.get("CHAN_DOAN_RV")), "MA_BENH_CHINH", true));
		}
		for (String code : codes(xml1.get("MA_BENH_KT"))) {
			diagnoses.add(diagnosis(context, xml1, icd10(code, null), "MA_BENH_KT/" + code, false));
		}
		for (String code : codes(xml1.get("MA_BENH_YHCT"))) {
			diagnoses.add(diagnosis(context, xml1, ClaimCodes.concept("ma-benh-yhct", code, null), "MA_BENH_YHCT/" + code, false));
		}
		return diagnoses;
	}

	private static Diagnosis diagnosis(EpisodeContext context, Submission.Row xml1, CodeableConcept code, String key, boolean main) {
		Condition condition = new Condition();
		condition.getMeta().addProfile(Canonicals.CONDITION);
		Identifier identifier = context.rowIdentifier(key);
		condition.addIdentifier(identifier);
		boolean cured = "1".equals(xml1.get("KET_QUA_DTRI"));
		condition.setClinicalStatus(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/condition-clinical",
				cured ? "resolved" : "active", cured ? "Resolved" : "Active")));
		condition.setVerificationStatus(new CodeableConcept(new Coding(
				"http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed", "Confirmed")));
		condition.addCategory(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/condition-category",
				"encounter-diagnosis", "Encounter Diagnosis")));
		condition.setCode(code);
		condition.setSubject(context.patient());
		condition.setEncounter(context.encounter());
		DateTimeType recorded = ClaimValues.dateTime(xml1, xml1.has("NGAY_RA") ? "NGAY_RA" : "NGAY_VAO");
		condition.setRecordedDateElement(recorded);
		return new Diagnosis(condition, identifier, main);
	}

	/** An ICD-10 code of the Ministry's list (vn-icd10), with its Vietnamese name when the list has it. */
	static CodeableConcept icd10(String code, String text) {
		String display = VnTerminology.display(VnCodeSystem.ICD10, code).orElse(null);
		return new CodeableConcept(new Coding(VnCodeSystem.ICD10.url(), code, display)).setText(text != null ? text : display);
	}

	static List<String> codes(String list) {
		if (list == null) {
			return List.of();
		}
		return java.util.Arrays.stream(list.split(";")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
	}
}
