package vn.ehealth.fhir.server.claimxml;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.ClinicalImpression;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.SimpleQuantity;
import org.hl7.fhir.r4.model.StringType;
import vn.ehealth.fhir.profiles.Canonicals;
import vn.ehealth.fhir.profiles.identifier.IdentifierSystems;

/**
 * The detail tables as clinical records: XML2 drugs as MedicationRequests, XML3 services as
 * ServiceRequests (with a Procedure where an ICD-9-CM code says one was performed), XML4 values as
 * Observations grouped in a DiagnosticReport per ordering service, XML5 course notes as
 * ClinicalImpressions. Supplies (XML3 rows with MA_VAT_TU) are billed only: they become Claim items.
 */
final class RowMapping {

	private static final Pattern NUMBER = Pattern.compile("-?[0-9]+([.,][0-9]+)?");

	/** A row's record and the identifier its conditional update matches on. */
	record Mapped(Resource resource, Identifier key) {}

	/** XML2 fields describing the drug, kept on its code; the rest kept on the MedicationRequest. */
	static final String[] DRUG_KEPT = {"HAM_LUONG", "DANG_BAO_CHE", "SO_DANG_KY", "MA_PP_CHEBIEN"};
	static final String[] MEDICATION_KEPT = {"NGAY_TH_YL", "MA_KHOA", "MA_DICH_VU", "MA_CSKCB_THUOC", "NGUON_CTRA", "VET_THUONG_TP"};
	/** XML3 fields kept on the ServiceRequest. */
	static final String[] SERVICE_KEPT = {"MA_KHOA", "MA_GIUONG", "NGAY_KQ", "PP_VO_CAM", "VI_TRI_TH_DVKT", "MA_MAY",
			"MA_BENH_YHCT", "MA_XANG_DAU", "GOI_VTYT", "VET_THUONG_TP"};

	private RowMapping() {}

	static MedicationRequest medication(EpisodeContext context, Submission.Row row, int n, DateTimeType fallbackTime) {
		MedicationRequest request = new MedicationRequest();
		request.getMeta().addProfile(Canonicals.MEDICATION_REQUEST);
		request.addIdentifier(context.rowIdentifier(ClaimTables.XML2 + "/" + n));
		request.setStatus(MedicationRequest.MedicationRequestStatus.COMPLETED);
		request.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
		CodeableConcept drug = ClaimCodes.concept("ma-thuoc", row.get("MA_THUOC"), row.get("TEN_THUOC"));
		ClaimCodes.keep(drug, row, DRUG_KEPT);
		request.setMedication(drug);
		request.setSubject(context.patient());
		request.setEncounter(context.encounter());
		DateTimeType ordered = ClaimValues.dateTime(row, "NGAY_YL");
		request.setAuthoredOnElement(ordered != null ? ordered : fallbackTime);
		request.setRequester(requester(context, row.get("MA_BAC_SI")));
		var dosage = request.addDosageInstruction().setText(row.get("LIEU_DUNG")).setPatientInstruction(row.get("CACH_DUNG"));
		if (row.has("DUONG_DUNG")) {
			dosage.setRoute(ClaimCodes.concept("duong-dung", row.get("DUONG_DUNG"), null));
		}
		BigDecimal quantity = ClaimValues.decimal(row, "SO_LUONG");
		if (quantity != null) {
			request.getDispenseRequest().setQuantity((SimpleQuantity) new SimpleQuantity().setValue(quantity).setUnit(row.get("DON_VI_TINH")));
		}
		ClaimCodes.keep(request, row, MEDICATION_KEPT);
		return request;
	}

	/**
	 * vn-medication-request wants the prescriber's role at the facility. The directory's role when it
	 * has one; else a reference by the practising licence number alone (the role is not on file).
	 */
	private static Reference requester(EpisodeContext context, String licences) {
		Reference role = context.role(licences);
		if (role != null) {
			return role;
		}
		String licence = Licences.first(licences);
		if (licence == null) {
			return new Reference().setDisplay("Không rõ người kê đơn / prescriber not stated");
		}
		return new Reference().setType("PractitionerRole")
				.setIdentifier(ClaimCodes.identifier(IdentifierSystems.PRACTICE_LICENCE, licence))
				.setDisplay("CCHN " + licence);
	}

	/** An XML3 service: the order, and the procedure when MA_PTTT_QT names one (ICD-9-CM). Supplies give none. */
	static List<Mapped> service(EpisodeContext context, Submission.Row row, int n) {
		List<Mapped> mapped = new ArrayList<>();
		if (row.has("MA_VAT_TU") || !row.has("MA_DICH_VU")) {
			return mapped;
		}
		ServiceRequest order = new ServiceRequest();
		Identifier key = context.rowIdentifier(ClaimTables.XML3 + "/" + n);
		order.addIdentifier(key);
		order.setStatus(ServiceRequest.ServiceRequestStatus.COMPLETED);
		order.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
		order.setCode(ClaimCodes.concept("ma-dich-vu", row.get("MA_DICH_VU"), row.get("TEN_DICH_VU")));
		order.setSubject(context.patient());
		order.setEncounter(context.encounter());
		order.setAuthoredOnElement(ClaimValues.dateTime(row, "NGAY_YL"));
		order.setOccurrence(ClaimValues.dateTime(row, "NGAY_TH_YL"));
		order.setRequester(context.practitioner(row.get("MA_BAC_SI")));
		Reference performer = context.practitioner(row.get("NGUOI_THUC_HIEN"));
		if (performer != null) {
			order.addPerformer(performer);
		}
		BigDecimal quantity = ClaimValues.decimal(row, "SO_LUONG");
		if (quantity != null) {
			order.setQuantity(new Quantity().setValue(quantity).setUnit(row.get("DON_VI_TINH")));
		}
		for (String code : EncounterMapping.codes(row.get("MA_BENH"))) {
			order.addReasonCode(EncounterMapping.icd10(code, null));
		}
		ClaimCodes.keep(order, row, SERVICE_KEPT);
		mapped.add(new Mapped(order, key));
		if (row.has("MA_PTTT_QT")) {
			mapped.add(procedure(context, row, n));
		}
		return mapped;
	}

	private static Mapped procedure(EpisodeContext context, Submission.Row row, int n) {
		Procedure procedure = new Procedure();
		procedure.getMeta().addProfile(Canonicals.PROCEDURE);
		Identifier key = context.rowIdentifier(ClaimTables.XML3 + "/" + n + "/procedure");
		procedure.addIdentifier(key);
		procedure.setStatus(Procedure.ProcedureStatus.COMPLETED);
		CodeableConcept code = new CodeableConcept().setText(row.get("TEN_DICH_VU"));
		for (String icd9 : EncounterMapping.codes(row.get("MA_PTTT_QT"))) {
			code.addCoding(new Coding(ClaimCodes.ICD9CM, icd9, null));
		}
		procedure.setCode(code);
		procedure.setSubject(context.patient());
		procedure.setEncounter(context.encounter());
		DateTimeType performed = ClaimValues.dateTime(row, "NGAY_TH_YL");
		procedure.setPerformed(performed != null ? performed : ClaimValues.dateTime(row, "NGAY_YL"));
		Reference performer = context.practitioner(row.get("NGUOI_THUC_HIEN"));
		if (performer != null) {
			procedure.addPerformer().setActor(performer);
		}
		return new Mapped(procedure, key);
	}

	/** XML4: one Observation per value, one DiagnosticReport per ordering service (MA_DICH_VU) with its conclusion. */
	static List<Mapped> results(EpisodeContext context, List<Submission.Row> rows, Map<String, String> serviceNames,
			java.util.function.BiFunction<Resource, Identifier, Reference> store) {
		Map<String, DiagnosticReport> reports = new LinkedHashMap<>();
		Map<String, Identifier> reportKeys = new LinkedHashMap<>();
		for (int i = 0; i < rows.size(); i++) {
			Submission.Row row = rows.get(i);
			Observation observation = observation(context, row, i + 1);
			Reference stored = store.apply(observation, observation.getIdentifierFirstRep());
			String service = row.has("MA_DICH_VU") ? row.get("MA_DICH_VU") : "?";
			DiagnosticReport report = reports.computeIfAbsent(service, s -> report(context, row, serviceNames.get(s)));
			reportKeys.computeIfAbsent(service, s -> context.rowIdentifier(ClaimTables.XML4 + "/" + s));
			report.addResult(stored);
			if (row.has("KET_LUAN") && !(report.hasConclusion() && report.getConclusion().contains(row.get("KET_LUAN")))) {
				report.setConclusion(report.hasConclusion() ? report.getConclusion() + "; " + row.get("KET_LUAN") : row.get("KET_LUAN"));
			}
		}
		List<Mapped> mapped = new ArrayList<>();
		reports.forEach((service, report) -> {
			report.addIdentifier(reportKeys.get(service));
			mapped.add(new Mapped(report, reportKeys.get(service)));
		});
		return mapped;
	}

	private static Observation observation(EpisodeContext context, Submission.Row row, int n) {
		Observation observation = new Observation();
		observation.getMeta().addProfile(Canonicals.OBSERVATION);
		observation.addIdentifier(context.rowIdentifier(ClaimTables.XML4 + "/" + n));
		observation.setStatus(Observation.ObservationStatus.FINAL);
		observation.addCategory(new CodeableConcept(new Coding(
				"http://terminology.hl7.org/CodeSystem/observation-category", "laboratory", "Laboratory")));
		observation.setCode(ClaimCodes.concept("ma-chi-so", row.get("MA_CHI_SO"), row.get("TEN_CHI_SO")));
		observation.setSubject(context.patient());
		observation.setEncounter(context.encounter());
		observation.setEffective(ClaimValues.dateTime(row, "NGAY_KQ"));
		Reference reader = context.practitioner(row.get("MA_BS_DOC_KQ"));
		if (reader != null) {
			observation.addPerformer(reader);
		}
		String value = row.get("GIA_TRI");
		if (value != null && NUMBER.matcher(value).matches()) {
			observation.setValue(new Quantity().setValue(new BigDecimal(value.replace(',', '.'))).setUnit(row.get("DON_VI_DO")));
		} else if (value != null) {
			observation.setValue(new StringType(value));
			ClaimCodes.keep(observation, row, "DON_VI_DO");
		}
		if (row.has("MO_TA")) {
			observation.addNote(new Annotation().setText(row.get("MO_TA")));
		}
		ClaimCodes.keep(observation, row, "KET_LUAN", "MA_DICH_VU");
		return observation;
	}

	private static DiagnosticReport report(EpisodeContext context, Submission.Row first, String serviceName) {
		DiagnosticReport report = new DiagnosticReport();
		report.getMeta().addProfile(Canonicals.DIAGNOSTIC_REPORT);
		report.setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL);
		report.setCode(ClaimCodes.concept("ma-dich-vu", first.get("MA_DICH_VU"), serviceName));
		if (!report.getCode().hasText() && !report.getCode().hasCoding()) {
			report.getCode().setText("Kết quả cận lâm sàng");
		}
		report.setSubject(context.patient());
		report.setEncounter(context.encounter());
		report.setEffective(ClaimValues.dateTime(first, "NGAY_KQ"));
		Reference reader = context.practitioner(first.get("MA_BS_DOC_KQ"));
		if (reader != null) {
			report.addPerformer(reader);
		}
		return report;
	}

	/** XML5: the clinical course at one moment, by the person who wrote it. */
	static ClinicalImpression courseNote(EpisodeContext context, Submission.Row row, int n) {
		ClinicalImpression note = new ClinicalImpression();
		note.addIdentifier(context.rowIdentifier(ClaimTables.XML5 + "/" + n));
		note.setStatus(ClinicalImpression.ClinicalImpressionStatus.COMPLETED);
		note.setCode(new CodeableConcept().setText("Diễn biến lâm sàng"));
		note.setSubject(context.patient());
		note.setEncounter(context.encounter());
		note.setEffective(ClaimValues.dateTime(row, "THOI_DIEM_DBLS"));
		note.setDescription(row.get("DIEN_BIEN_LS"));
		note.setSummary(row.get("GIAI_DOAN_BENH"));
		note.setAssessor(context.practitioner(row.get("NGUOI_THUC_HIEN")));
		for (String field : new String[] {"HOI_CHAN", "PHAU_THUAT"}) {
			if (row.has(field)) {
				Annotation annotation = note.addNote().setText(row.get(field));
				annotation.addExtension(ClaimCodes.fieldExtension("FIELD"), new StringType(field));
			}
		}
		return note;
	}
}
