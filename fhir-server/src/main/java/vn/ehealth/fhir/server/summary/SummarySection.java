package vn.ehealth.fhir.server.summary;

/**
 * The sections of a patient summary, in the order of the IPS Composition
 * (https://hl7.org/fhir/uv/ips/StructureDefinition-Composition-uv-ips.html), each with its LOINC
 * code and its titles in Vietnamese and English. The first three are required by IPS and by
 * vn-patient-summary (rule vn-ps-2); the others appear only when the patient has data for them.
 */
enum SummarySection {
	PROBLEMS("11450-4", "Problem list - Reported", true,
			"Danh sách vấn đề sức khỏe", "Problem list"),
	ALLERGIES("48765-2", "Allergies and adverse reactions Document", true,
			"Dị ứng và phản ứng bất lợi", "Allergies and intolerances"),
	MEDICATIONS("10160-0", "History of Medication use Narrative", true,
			"Thuốc đang dùng", "Medication summary"),
	IMMUNIZATIONS("11369-6", "History of Immunization Narrative", false,
			"Tiêm chủng", "Immunizations"),
	PROCEDURES("47519-4", "History of Procedures Document", false,
			"Thủ thuật, phẫu thuật", "History of procedures"),
	RESULTS("30954-2", "Relevant diagnostic tests/laboratory data Narrative", false,
			"Kết quả xét nghiệm", "Results"),
	VITAL_SIGNS("8716-3", "Vital signs", false,
			"Dấu hiệu sinh tồn", "Vital signs"),
	PAST_ILLNESS("11348-0", "History of Past illness Narrative", false,
			"Tiền sử bệnh", "History of past illness"),
	PLAN_OF_CARE("18776-5", "Plan of care note", false,
			"Kế hoạch chăm sóc", "Plan of care");

	final String loinc;
	final String loincDisplay;
	final boolean required;
	private final String titleVi;
	private final String titleEn;

	SummarySection(String loinc, String loincDisplay, boolean required, String titleVi, String titleEn) {
		this.loinc = loinc;
		this.loincDisplay = loincDisplay;
		this.required = required;
		this.titleVi = titleVi;
		this.titleEn = titleEn;
	}

	String title(boolean english) {
		return english ? titleEn : titleVi;
	}
}
