package vn.ehealth.fhir.server.claimxml;

import java.math.BigDecimal;
import java.util.List;
import org.hl7.fhir.r4.model.Claim;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.SimpleQuantity;

/**
 * The episode's bill as a Claim in VN Core's shape (vn-core-claim: identifier slice MA_LK): one item
 * per XML2 drug and XML3 service or supply, with quantity, unit price and the hospital amount
 * THANH_TIEN_BV as net; the insurance shares of each row and the episode totals, which Claim has no
 * element for, are kept verbatim as their field extensions (ClaimResponse holds them once assessed).
 */
final class ClaimMapping {

	/** Amount fields of XML2/XML3 rows, kept on each item. */
	static final String[] ROW_AMOUNTS = {"THANH_TIEN_BH", "T_NGUONKHAC_NSNN", "T_NGUONKHAC_VTNN",
			"T_NGUONKHAC_VTTN", "T_NGUONKHAC_CL", "T_NGUONKHAC", "MUC_HUONG", "T_BNTT", "T_BNCCT", "T_BHTT", "TYLE_TT_BH",
			"TYLE_TT_DV", "T_TRANTT", "DON_GIA_BH", "PHAM_VI", "MA_NHOM", "MA_PTTT", "TT_THAU", "MA_HIEU_SP", "TAI_SU_DUNG",
			"TEN_VAT_TU"};
	/**
	 * A supply row (MA_VAT_TU) has no clinical record: the fields one would hold are kept on its item,
	 * so that XML3 can be written back whole ($claim-xml).
	 */
	static final String[] SUPPLY_KEPT = {"MA_DICH_VU", "TEN_DICH_VU", "NGAY_YL", "NGAY_TH_YL", "NGAY_KQ", "MA_KHOA", "MA_GIUONG",
			"MA_BAC_SI", "NGUOI_THUC_HIEN", "MA_BENH", "MA_BENH_YHCT", "VET_THUONG_TP", "MA_XANG_DAU", "GOI_VTYT", "MA_PTTT_QT", "PP_VO_CAM",
			"VI_TRI_TH_DVKT", "MA_MAY"};
	/** XML1 totals and settlement fields, kept on the Claim. */
	static final String[] TOTALS = {"T_THUOC", "T_VTYT", "T_TONGCHI_BH", "T_BNTT", "T_BNCCT", "T_BHTT",
			"T_NGUONKHAC", "T_BHTT_GDV", "NAM_QT", "THANG_QT", "MA_DOITUONG_KCB", "NGAY_TTOAN"};

	private ClaimMapping() {}

	static Claim claim(EpisodeContext context, Submission.Row xml1, List<Reference> coverages, List<Reference> diagnoses,
			boolean inpatient) {
		checkTotals(xml1);
		Claim claim = new Claim();
		claim.addIdentifier(context.episodeIdentifier());
		claim.addIdentifier(EncounterMapping.vnCoreMaLk(context));
		claim.setStatus(Claim.ClaimStatus.ACTIVE);
		claim.setType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/claim-type",
				inpatient ? "institutional" : "professional", null)));
		claim.setUse(Claim.Use.CLAIM);
		claim.setPatient(context.patient());
		DateTimeType start = ClaimValues.dateTime(xml1, "NGAY_VAO");
		DateTimeType end = ClaimValues.dateTime(xml1, "NGAY_RA");
		claim.setBillablePeriod(new Period().setStartElement(start).setEndElement(end));
		DateTimeType paid = ClaimValues.dateTime(xml1, "NGAY_TTOAN");
		claim.setCreatedElement(paid != null ? paid : end != null ? end : start);
		claim.setProvider(context.organization());
		claim.setPriority(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/processpriority", "normal", "Normal")));
		if (coverages.isEmpty()) {
			claim.addInsurance().setSequence(1).setFocal(true).setCoverage(new Reference().setDisplay("Không có thẻ BHYT / no card"));
		}
		for (int i = 0; i < coverages.size(); i++) {
			claim.addInsurance().setSequence(i + 1).setFocal(i == 0).setCoverage(coverages.get(i));
		}
		for (int i = 0; i < diagnoses.size(); i++) {
			claim.addDiagnosis().setSequence(i + 1).setDiagnosis(diagnoses.get(i));
		}
		for (Submission.Row row : context.episode().rows(ClaimTables.XML2)) {
			item(claim, context, row, ClaimCodes.concept("ma-thuoc", row.get("MA_THUOC"), row.get("TEN_THUOC")), "DON_GIA");
		}
		for (Submission.Row row : context.episode().rows(ClaimTables.XML3)) {
			CodeableConcept what = row.has("MA_VAT_TU")
					? ClaimCodes.concept("ma-vat-tu", row.get("MA_VAT_TU"), row.has("TEN_VAT_TU") ? row.get("TEN_VAT_TU") : row.get("TEN_DICH_VU"))
					: ClaimCodes.concept("ma-dich-vu", row.get("MA_DICH_VU"), row.get("TEN_DICH_VU"));
			Claim.ItemComponent item = item(claim, context, row, what, "DON_GIA_BV");
			if (row.has("MA_VAT_TU")) {
				ClaimCodes.keep(item, row, SUPPLY_KEPT);
			}
		}
		claim.setTotal(ClaimValues.vnd(ClaimValues.decimal(xml1, "T_TONGCHI_BV")));
		ClaimCodes.keep(claim, xml1, TOTALS);
		return claim;
	}

	private static Claim.ItemComponent item(Claim claim, EpisodeContext context, Submission.Row row, CodeableConcept what,
			String unitPriceField) {
		Claim.ItemComponent item = claim.addItem().setSequence(claim.getItem().size() + 1);
		if (what.isEmpty()) {
			what.setText("Không rõ / not stated");
		}
		item.setProductOrService(what);
		item.addEncounter(context.encounter());
		DateTimeType ordered = ClaimValues.dateTime(row, "NGAY_YL");
		if (ordered != null) {
			// Claim.item.serviced[x] is a date or a Period in R4: the day of the order (its time is on the clinical record)
			item.setServiced(new org.hl7.fhir.r4.model.DateType(ordered.getValueAsString().substring(0, 10)));
		}
		BigDecimal quantity = ClaimValues.decimal(row, "SO_LUONG");
		if (quantity != null) {
			item.setQuantity((SimpleQuantity) new SimpleQuantity().setValue(quantity).setUnit(row.get("DON_VI_TINH")));
		}
		item.setUnitPrice(ClaimValues.vnd(ClaimValues.decimal(row, unitPriceField)));
		item.setNet(ClaimValues.vnd(ClaimValues.decimal(row, "THANH_TIEN_BV")));
		ClaimCodes.keep(item, row, ROW_AMOUNTS);
		return item;
	}

	/** T_BHTT = T_TONGCHI_BH − T_BNCCT (QĐ 4750 Bảng 1 field 50), to the đồng. */
	private static void checkTotals(Submission.Row xml1) {
		BigDecimal insured = ClaimValues.decimal(xml1, "T_TONGCHI_BH");
		BigDecimal coPay = ClaimValues.decimal(xml1, "T_BNCCT");
		BigDecimal fund = ClaimValues.decimal(xml1, "T_BHTT");
		if (insured == null || coPay == null || fund == null) {
			return;
		}
		if (insured.subtract(coPay).subtract(fund).abs().compareTo(BigDecimal.ONE) > 0) {
			throw ClaimXmlRefusals.refused(xml1.path() + "/T_BHTT", "T_BHTT " + fund.toPlainString() + " khác T_TONGCHI_BH − T_BNCCT = "
					+ insured.subtract(coPay).toPlainString(), "T_BHTT " + fund.toPlainString()
					+ " does not equal T_TONGCHI_BH − T_BNCCT = " + insured.subtract(coPay).toPlainString());
		}
	}
}
