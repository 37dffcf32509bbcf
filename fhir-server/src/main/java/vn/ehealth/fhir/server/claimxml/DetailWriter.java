package vn.ehealth.fhir.server.claimxml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Claim;
import org.hl7.fhir.r4.model.ClinicalImpression;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.ServiceRequest;
import vn.ehealth.fhir.terminology.VnCodeSystem;

/**
 * XML2–XML5 back from the records: the inverse of {@link RowMapping} and {@link ClaimMapping}'s items.
 * A row from claim XML is found again by its row key ({@code XML2/n}); the Claim's items are the XML2
 * rows then the XML3 rows in their order, so row n of a table joins its clinical record and its item
 * (a supply row has only the item). Records made in FHIR (no row key) follow, one row each.
 */
final class DetailWriter {

	private DetailWriter() {}

	/** XML2: a row per MedicationRequest, with the amounts of its Claim item. */
	static List<OutRow> drugs(EpisodeRecords.Episode episode) {
		List<Claim.ItemComponent> items = items(episode, "ma-thuoc");
		Map<Integer, MedicationRequest> numbered = new HashMap<>();
		List<MedicationRequest> others = new ArrayList<>();
		for (MedicationRequest request : episode.rows(MedicationRequest.class)) {
			Integer n = number(episode, request, ClaimTables.XML2);
			if (n != null) {
				numbered.put(n, request);
			} else {
				others.add(request);
			}
		}
		List<OutRow> rows = new ArrayList<>();
		int count = Math.max(items.size(), numbered.keySet().stream().mapToInt(i -> i).max().orElse(0));
		for (int n = 1; n <= count; n++) {
			OutRow row = new OutRow();
			MedicationRequest request = numbered.get(n);
			if (request != null) {
				medication(row, episode, request);
			}
			if (n <= items.size()) {
				item(row, items.get(n - 1), "ma-thuoc", "MA_THUOC", "TEN_THUOC", "DON_GIA");
			}
			rows.add(row);
		}
		others.forEach(request -> rows.add(medication(new OutRow(), episode, request)));
		return rows;
	}

	private static OutRow medication(OutRow row, EpisodeRecords.Episode episode, MedicationRequest request) {
		CodeableConcept drug = request.getMedicationCodeableConcept();
		row.put("MA_THUOC", OutRow.code(drug, "ma-thuoc")).put("TEN_THUOC", drug.getText()).kept(drug, RowMapping.DRUG_KEPT);
		row.put("NGAY_YL", ClaimValues.time(request.getAuthoredOnElement()));
		row.put("MA_BAC_SI", episode.licences().of(request.getRequester()));
		var dosage = request.getDosageInstructionFirstRep();
		row.put("LIEU_DUNG", dosage.getText()).put("CACH_DUNG", dosage.getPatientInstruction());
		row.put("DUONG_DUNG", OutRow.code(dosage.getRoute(), "duong-dung"));
		quantity(row, request.getDispenseRequest().getQuantity());
		return row.kept(request, RowMapping.MEDICATION_KEPT);
	}

	/** XML3: a row per service (ServiceRequest, its Procedure) or supply, with the amounts of its Claim item. */
	static List<OutRow> services(EpisodeRecords.Episode episode) {
		List<Claim.ItemComponent> items = items(episode, "ma-dich-vu", "ma-vat-tu");
		Map<Integer, ServiceRequest> orders = new HashMap<>();
		Map<Integer, Procedure> procedures = new HashMap<>();
		List<ServiceRequest> others = new ArrayList<>();
		for (ServiceRequest order : episode.rows(ServiceRequest.class)) {
			Integer n = number(episode, order, ClaimTables.XML3);
			if (n != null) {
				orders.put(n, order);
			} else if (episode.rowKey(order) == null && !PaperWriter.isReferral(order)) {
				others.add(order);
			}
		}
		for (Procedure procedure : episode.rows(Procedure.class)) {
			String key = episode.rowKey(procedure);
			if (key != null && key.matches("XML3/[0-9]+/procedure")) {
				procedures.put(Integer.valueOf(key.split("/")[1]), procedure);
			}
		}
		List<OutRow> rows = new ArrayList<>();
		int count = Math.max(items.size(), orders.keySet().stream().mapToInt(i -> i).max().orElse(0));
		for (int n = 1; n <= count; n++) {
			OutRow row = new OutRow();
			if (orders.containsKey(n)) {
				service(row, episode, orders.get(n));
			}
			if (procedures.containsKey(n)) {
				row.put("MA_PTTT_QT", OutRow.joined(procedures.get(n).getCode().getCoding().stream()
						.filter(c -> ClaimCodes.ICD9CM.equals(c.getSystem())).map(c -> c.getCode()).toList()));
			}
			if (n <= items.size()) {
				Claim.ItemComponent item = items.get(n - 1);
				boolean supply = OutRow.code(item.getProductOrService(), "ma-vat-tu") != null;
				if (supply) {
					row.put("MA_VAT_TU", OutRow.code(item.getProductOrService(), "ma-vat-tu")).kept(item, ClaimMapping.SUPPLY_KEPT);
					// TEN_VAT_TU is kept verbatim; without it the supply was named by TEN_DICH_VU
					row.putIfAbsent(OutRow.kept(item.getExtension(), "TEN_VAT_TU") != null ? "TEN_VAT_TU" : "TEN_DICH_VU",
							item.getProductOrService().getText());
				}
				item(row, item, "ma-dich-vu", "MA_DICH_VU", "TEN_DICH_VU", "DON_GIA_BV");
			}
			rows.add(row);
		}
		others.forEach(order -> rows.add(service(new OutRow(), episode, order)));
		return rows;
	}

	private static OutRow service(OutRow row, EpisodeRecords.Episode episode, ServiceRequest order) {
		row.put("MA_DICH_VU", OutRow.code(order.getCode(), "ma-dich-vu")).put("TEN_DICH_VU", order.getCode().getText());
		row.put("NGAY_YL", ClaimValues.time(order.getAuthoredOnElement()));
		row.put("NGAY_TH_YL", order.hasOccurrenceDateTimeType() ? ClaimValues.time(order.getOccurrenceDateTimeType()) : null);
		row.put("MA_BAC_SI", episode.licences().of(order.getRequester()));
		row.put("NGUOI_THUC_HIEN", order.hasPerformer() ? episode.licences().of(order.getPerformerFirstRep()) : null);
		quantity(row, order.hasQuantityQuantity() ? order.getQuantityQuantity() : null);
		row.put("MA_BENH", OutRow.joined(order.getReasonCode().stream().map(c -> OutRow.codeIn(c, VnCodeSystem.ICD10.url())).toList()));
		return row.kept(order, RowMapping.SERVICE_KEPT);
	}

	/** The item's own fields: code and name when the clinical record did not give them, quantity, prices, kept amounts. */
	private static void item(OutRow row, Claim.ItemComponent item, String list, String codeField, String nameField, String unitPriceField) {
		String code = OutRow.code(item.getProductOrService(), list);
		if (code != null) {
			row.putIfAbsent(codeField, code).putIfAbsent(nameField, item.getProductOrService().getText());
		}
		quantity(row, item.getQuantity());
		if (item.hasUnitPrice()) {
			row.put(unitPriceField, ClaimValues.number(item.getUnitPrice().getValue()));
		}
		if (item.hasNet()) {
			row.put("THANH_TIEN_BV", ClaimValues.number(item.getNet().getValue()));
		}
		row.kept(item, ClaimMapping.ROW_AMOUNTS);
	}

	/** XML4: a row per Observation; MA_DICH_VU and KET_LUAN as kept, else from the DiagnosticReport that groups it. */
	static List<OutRow> results(EpisodeRecords.Episode episode) {
		Map<String, DiagnosticReport> reportOf = new HashMap<>();
		for (DiagnosticReport report : episode.rows(DiagnosticReport.class)) {
			report.getResult().forEach(r -> reportOf.put(r.getReferenceElement().getIdPart(), report));
		}
		List<OutRow> rows = new ArrayList<>();
		for (Observation observation : episode.rows(Observation.class)) {
			if (!observation.hasValue()) {
				continue; // a panel or a note without a value has no XML4 row
			}
			OutRow row = new OutRow();
			row.put("MA_CHI_SO", OutRow.code(observation.getCode(), "ma-chi-so")).put("TEN_CHI_SO", observation.getCode().getText());
			if (observation.hasValueQuantity()) {
				Quantity value = observation.getValueQuantity();
				row.put("GIA_TRI", ClaimValues.number(value.getValue())).put("DON_VI_DO", value.getUnit());
			} else {
				row.put("GIA_TRI", observation.getValue().primitiveValue());
			}
			row.put("MO_TA", observation.getNote().stream().map(Annotation::getText).findFirst().orElse(null));
			row.kept(observation, "DON_VI_DO", "KET_LUAN", "MA_DICH_VU");
			DiagnosticReport report = reportOf.get(observation.getIdElement().getIdPart());
			if (report != null) {
				row.putIfAbsent("MA_DICH_VU", OutRow.code(report.getCode(), "ma-dich-vu"));
				if (episode.rowKey(observation) == null) {
					row.putIfAbsent("KET_LUAN", report.getConclusion());
				}
			}
			row.put("NGAY_KQ", observation.hasEffectiveDateTimeType() ? ClaimValues.time(observation.getEffectiveDateTimeType()) : null);
			row.put("MA_BS_DOC_KQ", observation.hasPerformer() ? episode.licences().of(observation.getPerformerFirstRep()) : null);
			rows.add(row);
		}
		return rows;
	}

	/** XML5: a row per ClinicalImpression. */
	static List<OutRow> course(EpisodeRecords.Episode episode) {
		List<OutRow> rows = new ArrayList<>();
		for (ClinicalImpression note : episode.rows(ClinicalImpression.class)) {
			OutRow row = new OutRow().put("DIEN_BIEN_LS", note.getDescription()).put("GIAI_DOAN_BENH", note.getSummary());
			for (Annotation annotation : note.getNote()) {
				String field = OutRow.kept(annotation.getExtension(), "FIELD");
				row.putIfAbsent(field != null ? field : "HOI_CHAN", annotation.getText());
			}
			row.put("THOI_DIEM_DBLS", note.hasEffectiveDateTimeType() ? ClaimValues.time(note.getEffectiveDateTimeType()) : null);
			row.put("NGUOI_THUC_HIEN", episode.licences().of(note.getAssessor()));
			rows.add(row);
		}
		return rows;
	}

	private static void quantity(OutRow row, Quantity quantity) {
		if (quantity != null && quantity.hasValue()) {
			row.putIfAbsent("SO_LUONG", ClaimValues.number(quantity.getValue())).putIfAbsent("DON_VI_TINH", quantity.getUnit());
		}
	}

	/** The Claim's items whose product is coded in one of {@code lists}, in item order. */
	private static List<Claim.ItemComponent> items(EpisodeRecords.Episode episode, String... lists) {
		if (episode.claim() == null) {
			return List.of();
		}
		return episode.claim().getItem().stream()
				.filter(item -> java.util.Arrays.stream(lists).anyMatch(list -> OutRow.code(item.getProductOrService(), list) != null))
				.toList();
	}

	/** n of a row keyed {@code table/n}, or null. */
	private static Integer number(EpisodeRecords.Episode episode, org.hl7.fhir.r4.model.Resource resource, String table) {
		String key = episode.rowKey(resource);
		return key != null && key.matches(table + "/[0-9]+") ? Integer.valueOf(key.substring(table.length() + 1)) : null;
	}
}
