package vn.ehealth.fhir.synth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import vn.ehealth.fhir.terminology.VnCodeSystem;
import vn.ehealth.fhir.terminology.VnTerminology;

/**
 * The clinical vocabulary of the care history: ICD-10 codes of the guide's vn-icd10 code system
 * (checked at start-up, displays taken from it), medicines with ATC codes, laboratory tests and
 * vital signs with LOINC codes and UCUM units, vaccines with CVX codes, procedures with ICD-9-CM
 * codes as claim data carries them (MA_PTTT_QT).
 */
final class Clinical {

	static final String LOINC = "http://loinc.org";
	static final String UCUM = "http://unitsofmeasure.org";
	static final String ATC = "http://www.whocc.no/atc";
	static final String CVX = "http://hl7.org/fhir/sid/cvx";
	static final String ICD9CM = "http://hl7.org/fhir/sid/icd-9-cm";
	static final String SNOMED = "http://snomed.info/sct";

	private Clinical() {}

	/** A vn-icd10 coding with the code system's own display; fails fast on a code the guide does not ship. */
	static CodeableConcept icd10(String code) {
		String display = VnTerminology.display(VnCodeSystem.ICD10, code)
				.orElseThrow(() -> new IllegalStateException("ICD-10 " + code + " is not in vn-icd10"));
		return new CodeableConcept(new Coding(VnCodeSystem.ICD10.url(), code, display)).setText(display);
	}

	// ------------------------------------------------------------------ medicines

	/**
	 * A medicine as prescribed in Vietnam.
	 *
	 * @param atc WHO ATC code
	 * @param name Vietnamese name, strength and form as the prescription writes it
	 * @param instruction the dosage text
	 * @param perDay units a day (0 for "when needed")
	 * @param unit the dispensing unit (viên, gói, bình, lọ …)
	 * @param route SNOMED CT route
	 */
	record Drug(String atc, String name, String instruction, double perDay, String unit, String route) {}

	static final String ORAL = "26643006";
	static final String IV = "47625008";
	static final String IM = "78421000";
	static final String INHALED = "447694001";
	static final String EYE = "54485002";
	static final String SUBCUT = "34206005";

	static final Map<String, String> ROUTES = Map.of(
			ORAL, "Oral route", IV, "Intravenous route", IM, "Intramuscular route",
			INHALED, "Respiratory tract route", EYE, "Ophthalmic route", SUBCUT, "Subcutaneous route");
	static final Map<String, String> ROUTES_VI = Map.of(
			ORAL, "Uống", IV, "Tiêm truyền tĩnh mạch", IM, "Tiêm bắp", INHALED, "Hít qua đường hô hấp", EYE, "Nhỏ mắt", SUBCUT, "Tiêm dưới da");

	static final Map<String, Drug> DRUGS = new LinkedHashMap<>();

	private static void drug(String key, String atc, String name, String instruction, double perDay, String unit, String route) {
		DRUGS.put(key, new Drug(atc, name, instruction, perDay, unit, route));
	}

	static {
		drug("amlodipine", "C08CA01", "Amlodipin 5 mg (viên nén)", "Uống 1 viên mỗi sáng sau ăn", 1, "viên", ORAL);
		drug("losartan", "C09CA01", "Losartan 50 mg (viên nén bao phim)", "Uống 1 viên mỗi sáng", 1, "viên", ORAL);
		drug("enalapril", "C09AA02", "Enalapril 5 mg (viên nén)", "Uống 1 viên sáng, 1 viên chiều", 2, "viên", ORAL);
		drug("bisoprolol", "C07AB07", "Bisoprolol 2,5 mg (viên nén)", "Uống 1 viên mỗi sáng", 1, "viên", ORAL);
		drug("hctz", "C03AA03", "Hydroclorothiazid 25 mg (viên nén)", "Uống 1 viên mỗi sáng", 1, "viên", ORAL);
		drug("metformin", "A10BA02", "Metformin 850 mg (viên nén bao phim)", "Uống 1 viên sau ăn sáng, 1 viên sau ăn tối", 2, "viên", ORAL);
		drug("gliclazide", "A10BB09", "Gliclazid 30 mg (viên giải phóng có kiểm soát)", "Uống 1 viên trước ăn sáng", 1, "viên", ORAL);
		drug("atorvastatin", "C10AA05", "Atorvastatin 20 mg (viên nén bao phim)", "Uống 1 viên buổi tối", 1, "viên", ORAL);
		drug("aspirin", "B01AC06", "Aspirin 81 mg (viên bao tan trong ruột)", "Uống 1 viên sau ăn trưa", 1, "viên", ORAL);
		drug("furosemide", "C03CA01", "Furosemid 40 mg (viên nén)", "Uống 1 viên mỗi sáng", 1, "viên", ORAL);
		drug("spironolactone", "C03DA01", "Spironolacton 25 mg (viên nén)", "Uống 1 viên mỗi sáng", 1, "viên", ORAL);
		drug("salbutamol", "R03AC02", "Salbutamol 100 mcg/liều (bình xịt định liều)", "Xịt 2 nhát khi khó thở, tối đa 4 lần/ngày", 0, "bình", INHALED);
		drug("budesonide-formoterol", "R03AK07", "Budesonid/Formoterol 160/4,5 mcg (bình hít)", "Hít 1 nhát sáng, 1 nhát tối", 0, "bình", INHALED);
		drug("tiotropium", "R03BB04", "Tiotropium 2,5 mcg/nhát (bình xịt)", "Xịt 2 nhát mỗi sáng", 0, "bình", INHALED);
		drug("tenofovir", "J05AF07", "Tenofovir disoproxil fumarat 300 mg (viên nén)", "Uống 1 viên mỗi tối", 1, "viên", ORAL);
		drug("entecavir", "J05AF10", "Entecavir 0,5 mg (viên nén)", "Uống 1 viên lúc đói", 1, "viên", ORAL);
		drug("rhze", "J04AM06", "Rifampicin/Isoniazid/Pyrazinamid/Ethambutol 150/75/400/275 mg (viên phối hợp)", "Uống 4 viên lúc đói buổi sáng", 4, "viên", ORAL);
		drug("rh", "J04AM02", "Rifampicin/Isoniazid 150/75 mg (viên phối hợp)", "Uống 4 viên lúc đói buổi sáng", 4, "viên", ORAL);
		drug("paracetamol", "N02BE01", "Paracetamol 500 mg (viên nén)", "Uống 1 viên khi sốt trên 38,5°C hoặc đau, cách nhau ít nhất 4–6 giờ", 3, "viên", ORAL);
		drug("paracetamol-syrup", "N02BE01", "Paracetamol 250 mg (gói bột pha hỗn dịch)", "Uống 1 gói khi sốt trên 38,5°C, cách nhau 4–6 giờ", 3, "gói", ORAL);
		drug("amoxicillin", "J01CA04", "Amoxicilin 500 mg (viên nang)", "Uống 1 viên sáng, trưa, tối", 3, "viên", ORAL);
		drug("amoxiclav", "J01CR02", "Amoxicilin/Acid clavulanic 875/125 mg (viên nén bao phim)", "Uống 1 viên sáng, 1 viên tối sau ăn", 2, "viên", ORAL);
		drug("cefuroxime", "J01DC02", "Cefuroxim 500 mg (viên nén bao phim)", "Uống 1 viên sáng, 1 viên tối sau ăn", 2, "viên", ORAL);
		drug("azithromycin", "J01FA10", "Azithromycin 500 mg (viên nén)", "Uống 1 viên mỗi ngày, trước ăn 1 giờ", 1, "viên", ORAL);
		drug("ciprofloxacin", "J01MA02", "Ciprofloxacin 500 mg (viên nén bao phim)", "Uống 1 viên sáng, 1 viên tối", 2, "viên", ORAL);
		drug("omeprazole", "A02BC01", "Omeprazol 20 mg (viên nang)", "Uống 1 viên trước ăn sáng 30 phút", 1, "viên", ORAL);
		drug("esomeprazole", "A02BC05", "Esomeprazol 40 mg (viên nén)", "Uống 1 viên trước ăn sáng 30 phút", 1, "viên", ORAL);
		drug("domperidone", "A03FA03", "Domperidon 10 mg (viên nén)", "Uống 1 viên trước mỗi bữa ăn", 3, "viên", ORAL);
		drug("ors", "A07CA", "Oresol 245 (gói bột pha dung dịch uống)", "Pha 1 gói với 200 ml nước sôi để nguội, uống sau mỗi lần đi ngoài", 3, "gói", ORAL);
		drug("diosmectite", "A07BC05", "Diosmectit 3 g (gói)", "Uống 1 gói, 3 lần/ngày", 3, "gói", ORAL);
		drug("cetirizine", "R06AE07", "Cetirizin 10 mg (viên nén)", "Uống 1 viên buổi tối", 1, "viên", ORAL);
		drug("loratadine", "R06AX13", "Loratadin 10 mg (viên nén)", "Uống 1 viên mỗi ngày", 1, "viên", ORAL);
		drug("meloxicam", "M01AC06", "Meloxicam 7,5 mg (viên nén)", "Uống 1 viên sau ăn", 1, "viên", ORAL);
		drug("diclofenac", "M01AB05", "Diclofenac 50 mg (viên nén bao tan trong ruột)", "Uống 1 viên sáng, 1 viên tối sau ăn", 2, "viên", ORAL);
		drug("allopurinol", "M04AA01", "Allopurinol 300 mg (viên nén)", "Uống 1 viên sau ăn sáng", 1, "viên", ORAL);
		drug("colchicine", "M04AC01", "Colchicin 1 mg (viên nén)", "Uống 1 viên sáng, 1 viên tối trong đợt gút cấp", 2, "viên", ORAL);
		drug("levothyroxine", "H03AA01", "Levothyroxin 50 mcg (viên nén)", "Uống 1 viên lúc đói buổi sáng", 1, "viên", ORAL);
		drug("iron", "B03AA07", "Sắt (II) sulfat 325 mg (viên nén)", "Uống 1 viên sau ăn sáng", 1, "viên", ORAL);
		drug("folic", "B03BB01", "Acid folic 5 mg (viên nén)", "Uống 1 viên mỗi ngày", 1, "viên", ORAL);
		drug("calcium", "A12AX", "Calci carbonat 1250 mg + Vitamin D3 (viên nén)", "Uống 1 viên sau ăn sáng", 1, "viên", ORAL);
		drug("sertraline", "N06AB06", "Sertralin 50 mg (viên nén bao phim)", "Uống 1 viên buổi sáng", 1, "viên", ORAL);
		drug("valproate", "N03AG01", "Natri valproat 500 mg (viên nén bao tan trong ruột)", "Uống 1 viên sáng, 1 viên tối", 2, "viên", ORAL);
		drug("oseltamivir", "J05AH02", "Oseltamivir 75 mg (viên nang)", "Uống 1 viên sáng, 1 viên tối trong 5 ngày", 2, "viên", ORAL);
		drug("acyclovir", "J05AB01", "Aciclovir 800 mg (viên nén)", "Uống 1 viên, 5 lần/ngày", 5, "viên", ORAL);
		drug("tobramycin-eye", "S01AA12", "Tobramycin 0,3% (lọ nhỏ mắt 5 ml)", "Nhỏ mỗi mắt 1 giọt, 4 lần/ngày", 0, "lọ", EYE);
		drug("ceftriaxone", "J01DD04", "Ceftriaxon 1 g (lọ bột pha tiêm)", "Tiêm tĩnh mạch chậm 1 lọ mỗi 12 giờ", 2, "lọ", IV);
		drug("saline", "B05XA03", "Natri clorid 0,9% 500 ml (chai dịch truyền)", "Truyền tĩnh mạch 500 ml, 40 giọt/phút", 2, "chai", IV);
		drug("ringer", "B05BB01", "Ringer lactat 500 ml (chai dịch truyền)", "Truyền tĩnh mạch theo phác đồ sốt xuất huyết", 2, "chai", IV);
		drug("oxytocin", "H01BB02", "Oxytocin 5 IU/ml (ống tiêm)", "Tiêm bắp 1 ống ngay sau sổ thai", 1, "ống", IM);
		drug("capecitabine", "L01BC06", "Capecitabin 500 mg (viên nén bao phim)", "Uống 3 viên sáng, 3 viên tối sau ăn, 14 ngày mỗi đợt", 6, "viên", ORAL);
		drug("insulin", "A10AD01", "Insulin người hỗn hợp 30/70, 100 IU/ml (bút tiêm 3 ml)", "Tiêm dưới da 14 đơn vị trước ăn sáng, 10 đơn vị trước ăn tối", 0, "bút", SUBCUT);
	}

	// ------------------------------------------------------------------ observations

	/**
	 * A measured quantity.
	 *
	 * @param loinc LOINC code
	 * @param display LOINC long name
	 * @param text Vietnamese name
	 * @param ucum UCUM unit code
	 * @param unit unit as shown
	 * @param decimals decimals kept
	 * @param low lower reference limit (NaN for none)
	 * @param high upper reference limit (NaN for none)
	 */
	record Measure(String loinc, String display, String text, String ucum, String unit, int decimals, double low, double high) {}

	private static Measure measure(String loinc, String display, String text, String ucum, String unit, int decimals, double low, double high) {
		return new Measure(loinc, display, text, ucum, unit, decimals, low, high);
	}

	static final Measure HEART_RATE = measure("8867-4", "Heart rate", "Mạch", "/min", "lần/phút", 0, Double.NaN, Double.NaN);
	static final Measure RESP_RATE = measure("9279-1", "Respiratory rate", "Nhịp thở", "/min", "lần/phút", 0, Double.NaN, Double.NaN);
	static final Measure TEMPERATURE = measure("8310-5", "Body temperature", "Nhiệt độ", "Cel", "°C", 1, Double.NaN, Double.NaN);
	static final Measure WEIGHT = measure("29463-7", "Body weight", "Cân nặng", "kg", "kg", 1, Double.NaN, Double.NaN);
	static final Measure HEIGHT = measure("8302-2", "Body height", "Chiều cao", "cm", "cm", 0, Double.NaN, Double.NaN);
	static final Measure BMI = measure("39156-5", "Body mass index (BMI) [Ratio]", "Chỉ số khối cơ thể (BMI)", "kg/m2", "kg/m²", 1, Double.NaN, Double.NaN);
	static final Measure SPO2 = measure("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", "SpO2", "%", "%", 0, Double.NaN, Double.NaN);
	static final Measure SYSTOLIC = measure("8480-6", "Systolic blood pressure", "Huyết áp tâm thu", "mm[Hg]", "mmHg", 0, Double.NaN, Double.NaN);
	static final Measure DIASTOLIC = measure("8462-4", "Diastolic blood pressure", "Huyết áp tâm trương", "mm[Hg]", "mmHg", 0, Double.NaN, Double.NaN);

	static final Measure GLUCOSE = measure("14771-0", "Fasting glucose [Moles/volume] in Serum or Plasma", "Glucose máu lúc đói", "mmol/L", "mmol/L", 1, 3.9, 6.4);
	static final Measure HBA1C = measure("4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", "HbA1c", "%", "%", 1, 4.0, 6.4);
	static final Measure CHOLESTEROL = measure("14647-2", "Cholesterol [Moles/volume] in Serum or Plasma", "Cholesterol toàn phần", "mmol/L", "mmol/L", 1, 3.9, 5.2);
	static final Measure TRIGLYCERIDE = measure("14927-8", "Triglyceride [Moles/volume] in Serum or Plasma", "Triglycerid", "mmol/L", "mmol/L", 2, 0.46, 1.88);
	static final Measure LDL = measure("22748-8", "Cholesterol in LDL [Moles/volume] in Serum or Plasma", "LDL-cholesterol", "mmol/L", "mmol/L", 2, Double.NaN, 3.4);
	static final Measure HDL = measure("14646-4", "Cholesterol in HDL [Moles/volume] in Serum or Plasma", "HDL-cholesterol", "mmol/L", "mmol/L", 2, 0.9, Double.NaN);
	static final Measure CREATININE = measure("14682-9", "Creatinine [Moles/volume] in Serum or Plasma", "Creatinin", "umol/L", "µmol/L", 0, 53, 115);
	static final Measure ALT = measure("1742-6", "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma", "ALT (GPT)", "U/L", "U/L", 0, Double.NaN, 40);
	static final Measure AST = measure("1920-8", "Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma", "AST (GOT)", "U/L", "U/L", 0, Double.NaN, 40);
	static final Measure HEMOGLOBIN = measure("718-7", "Hemoglobin [Mass/volume] in Blood", "Huyết sắc tố (Hb)", "g/dL", "g/dL", 1, 12.0, 16.0);
	static final Measure WBC = measure("6690-2", "Leukocytes [#/volume] in Blood by Automated count", "Số lượng bạch cầu (WBC)", "10*3/uL", "G/L", 1, 4.0, 10.0);
	static final Measure PLATELETS = measure("777-3", "Platelets [#/volume] in Blood by Automated count", "Số lượng tiểu cầu (PLT)", "10*3/uL", "G/L", 0, 150, 400);
	static final Measure HEMATOCRIT = measure("4544-3", "Hematocrit [Volume Fraction] of Blood by Automated count", "Hematocrit (HCT)", "%", "%", 1, 36, 48);
	static final Measure TSH = measure("3016-3", "Thyrotropin [Units/volume] in Serum or Plasma", "TSH", "m[IU]/L", "mIU/L", 2, 0.4, 4.0);
	static final Measure HBV_DNA = measure("29615-2", "Hepatitis B virus DNA [#/volume] (viral load) in Serum or Plasma by NAA with probe detection", "HBV-DNA (tải lượng vi rút)", "[IU]/mL", "IU/mL", 0, Double.NaN, 20);

	/** Tests with a coded answer: LOINC, its name, Vietnamese name. */
	record Qualitative(String loinc, String display, String text) {}

	static final Qualitative HBSAG = new Qualitative("5196-1", "Hepatitis B virus surface Ag [Presence] in Serum or Plasma by Immunoassay", "HBsAg");
	static final Qualitative SPUTUM_AFB = new Qualitative("11545-1", "Microscopic observation [Identifier] in Sputum by Acid fast stain", "Soi đờm tìm AFB");
	static final Qualitative CAUSE_OF_DEATH = new Qualitative("69453-9", "Cause of death [US Standard Certificate of Death]", "Nguyên nhân tử vong");

	// ------------------------------------------------------------------ vaccines

	/** A vaccine: CVX code and display, Vietnamese name, route. */
	record Vaccine(String cvx, String display, String text, String route) {}

	static final Vaccine BCG = new Vaccine("19", "BCG", "Vắc xin phòng lao (BCG)", "372464004");
	static final Vaccine HEPB_BIRTH = new Vaccine("08", "Hep B, adolescent or pediatric", "Vắc xin viêm gan B liều sơ sinh", IM);
	static final Vaccine PENTAVALENT = new Vaccine("102", "DTP-Hib-Hep B", "Vắc xin 5 trong 1 (DPT-VGB-Hib)", IM);
	static final Vaccine BOPV = new Vaccine("178", "OPV bivalent", "Vắc xin bại liệt uống (bOPV)", ORAL);
	static final Vaccine IPV = new Vaccine("10", "IPV", "Vắc xin bại liệt tiêm (IPV)", IM);
	static final Vaccine MEASLES = new Vaccine("05", "measles", "Vắc xin sởi", "34206005");
	static final Vaccine MR = new Vaccine("04", "M/R", "Vắc xin sởi - rubella (MR)", "34206005");
	static final Vaccine DTP = new Vaccine("01", "DTP", "Vắc xin bạch hầu - ho gà - uốn ván (DPT) mũi nhắc", IM);
	static final Vaccine JE = new Vaccine("39", "Japanese encephalitis SC", "Vắc xin viêm não Nhật Bản", "34206005");
	static final Vaccine TETANUS = new Vaccine("35", "tetanus toxoid, adsorbed", "Vắc xin uốn ván (UV) cho phụ nữ có thai", IM);
	static final Vaccine INFLUENZA = new Vaccine("141", "Influenza, seasonal, injectable", "Vắc xin cúm mùa", IM);
	static final List<Vaccine> COVID = List.of(
			new Vaccine("210", "COVID-19 vaccine, vector-nr, rS-ChAdOx1, PF, 0.5 mL", "Vắc xin COVID-19 AstraZeneca", IM),
			new Vaccine("208", "COVID-19, mRNA, LNP-S, PF, 30 mcg/0.3 mL dose", "Vắc xin Comirnaty (Pfizer-BioNTech)", IM),
			new Vaccine("207", "COVID-19, mRNA, LNP-S, PF, 100 mcg/0.5mL dose or 50 mcg/0.25mL dose", "Vắc xin Spikevax (Moderna)", IM),
			new Vaccine("510", "COVID-19 IV Non-US Vaccine (BIBP, Sinopharm)", "Vắc xin Vero Cell (Sinopharm)", IM));

	static final Map<String, String> VACCINE_ROUTES = Map.of(
			"372464004", "Intradermal route", "34206005", "Subcutaneous route", IM, "Intramuscular route", ORAL, "Oral route");
	static final Map<String, String> VACCINE_ROUTES_VI = Map.of(
			"372464004", "Tiêm trong da", "34206005", "Tiêm dưới da", IM, "Tiêm bắp", ORAL, "Uống");

	// ------------------------------------------------------------------ procedures

	/** An ICD-9-CM procedure: code, display, Vietnamese name. */
	record Proc(String code, String display, String text) {}

	static final Proc APPENDECTOMY = new Proc("47.01", "Laparoscopic appendectomy", "Phẫu thuật nội soi cắt ruột thừa");
	static final Proc CHOLECYSTECTOMY = new Proc("51.23", "Laparoscopic cholecystectomy", "Phẫu thuật nội soi cắt túi mật");
	static final Proc VAGINAL_DELIVERY = new Proc("73.59", "Other manually assisted delivery", "Đỡ đẻ thường ngôi chỏm");
	static final Proc CAESAREAN = new Proc("74.1", "Low cervical cesarean section", "Phẫu thuật lấy thai");
	static final Proc PHACO = new Proc("13.41", "Phacoemulsification and aspiration of cataract", "Phẫu thuật phaco thay thủy tinh thể");
	static final Proc FEMUR_FIXATION = new Proc("79.35", "Open reduction of fracture with internal fixation, femur", "Kết hợp xương đùi");
	static final Proc SUTURE = new Proc("86.59", "Closure of skin and subcutaneous tissue of other sites", "Khâu vết thương phần mềm");
	static final Proc GASTROSCOPY = new Proc("44.13", "Other gastroscopy", "Nội soi dạ dày - tá tràng");
	static final Proc CHEMOTHERAPY = new Proc("99.25", "Injection or infusion of cancer chemotherapeutic substance", "Truyền hóa chất điều trị ung thư");
	static final Proc CORONARY_STENT = new Proc("36.07", "Insertion of drug-eluting coronary artery stent(s)", "Đặt stent động mạch vành");
	static final Proc OXYGEN = new Proc("93.96", "Other oxygen enrichment", "Thở oxy");
	static final Proc PHOTOTHERAPY = new Proc("99.83", "Other phototherapy", "Chiếu đèn điều trị vàng da sơ sinh");
	static final Proc INTUBATION = new Proc("96.04", "Insertion of endotracheal tube", "Đặt nội khí quản");
}
