package vn.ehealth.fhir.server.reporting;

import java.util.List;
import java.util.Map;
import vn.ehealth.fhir.terminology.VnCodeSystem;
import vn.ehealth.fhir.terminology.VnTerminology;

/**
 * The stratifiers of the reports (codes fixed by the contract with the dashboard): the SQL value each
 * groups the population rows by, and the Vietnamese display of a value where the code has one. The
 * ICD-10 chapter and block are grouped by code in SQL and rolled up in Java ({@link Icd10Groups}).
 */
enum Stratifier {

	MONTH("month", "Tháng", "Month", "to_char(d, 'YYYY-MM')"),
	PROVINCE("province", "Tỉnh/thành phố", "Province", "province"),
	FACILITY("facility", "Cơ sở khám chữa bệnh", "Facility", "facility"),
	AGE_BAND("age-band", "Nhóm tuổi", "Age band", "CASE WHEN age IS NULL THEN NULL WHEN age < 5 THEN '0-4'"
			+ " WHEN age < 15 THEN '5-14' WHEN age < 25 THEN '15-24' WHEN age < 35 THEN '25-34' WHEN age < 45 THEN '35-44'"
			+ " WHEN age < 55 THEN '45-54' WHEN age < 65 THEN '55-64' ELSE '65+' END"),
	SEX("sex", "Giới tính", "Sex", "sex"),
	OCCUPATION("occupation", "Nghề nghiệp", "Occupation", "occupation"),
	ETHNICITY("ethnicity", "Dân tộc", "Ethnicity", "ethnicity"),
	ENCOUNTER_CLASS("encounter-class", "Loại hình khám chữa bệnh", "Encounter class", "cls"),
	OUTCOME("outcome", "Tình trạng ra viện", "Discharge outcome", "outcome"),
	ICD10_CHAPTER("icd10-chapter", "Chương ICD-10", "ICD-10 chapter", "icd"),
	ICD10_BLOCK("icd10-block", "Nhóm bệnh ICD-10", "ICD-10 block", "icd"),
	ICD10_CODE("icd10-code", "Mã ICD-10", "ICD-10 code", "icd"),
	DIAGNOSIS_ROLE("diagnosis-role", "Vai trò chẩn đoán", "Diagnosis role", "role");

	/** On every indicator. */
	static final List<Stratifier> COMMON = List.of(MONTH, PROVINCE, FACILITY, AGE_BAND, SEX, OCCUPATION, ETHNICITY);

	private static final Map<String, String> SEXES = Map.of("male", "Nam", "female", "Nữ", "other", "Khác", "unknown", "Không rõ");
	private static final Map<String, String> CLASSES = Map.of("AMB", "Ngoại trú", "IMP", "Nội trú", "EMER", "Cấp cứu");
	private static final Map<String, String> OUTCOMES = Map.of("home", "Ra viện về nhà", "other-hcf", "Chuyển tuyến",
			"exp", "Tử vong", "aadvice", "Trốn viện / xin về", "hosp", "Chuyển chăm sóc giảm nhẹ", "oth", "Khác");
	private static final Map<String, String> ROLES = Map.of("primary", "Bệnh chính", "secondary", "Bệnh kèm theo");

	final String code;
	final String nameVi;
	final String nameEn;
	final String sql;

	Stratifier(String code, String nameVi, String nameEn, String sql) {
		this.code = code;
		this.nameVi = nameVi;
		this.nameEn = nameEn;
		this.sql = sql;
	}

	/** The value a grouped SQL value stands for (ICD-10 codes rolled up to their chapter or block). */
	String value(String grouped) {
		if (grouped == null) {
			return null;
		}
		return switch (this) {
			case ICD10_CHAPTER -> Icd10Groups.chapter(grouped);
			case ICD10_BLOCK -> Icd10Groups.block(grouped);
			default -> grouped;
		};
	}

	/**
	 * The stratum the monthly roll-up keeps this stratifier's values under (the ICD-10 chapter and block
	 * are summed from the codes'); null for the month, province and facility, which are its key.
	 */
	Stratifier rolledUpAs() {
		return switch (this) {
			case MONTH, PROVINCE, FACILITY -> null;
			case ICD10_CHAPTER, ICD10_BLOCK -> ICD10_CODE;
			default -> this;
		};
	}

	/** The Vietnamese display of a value, or null. */
	String display(String value, FacilityNames facilities) {
		return switch (this) {
			case PROVINCE -> VnTerminology.display(VnCodeSystem.PROVINCE, value).orElse(null);
			case OCCUPATION -> VnTerminology.display(VnCodeSystem.OCCUPATION, value).orElse(null);
			case ETHNICITY -> VnTerminology.display(VnCodeSystem.ETHNICITY, value).orElse(null);
			case ICD10_CHAPTER, ICD10_BLOCK, ICD10_CODE -> Icd10Groups.display(value);
			case SEX -> SEXES.get(value);
			case ENCOUNTER_CLASS -> CLASSES.get(value);
			case OUTCOME -> OUTCOMES.get(value);
			case DIAGNOSIS_ROLE -> ROLES.get(value);
			case FACILITY -> facilities.name(value);
			default -> null;
		};
	}

	static Stratifier byCode(String code) {
		for (Stratifier stratifier : values()) {
			if (stratifier.code.equals(code)) {
				return stratifier;
			}
		}
		return null;
	}

	/** Facility names by code, for displays. */
	interface FacilityNames {
		String name(String code);
	}
}
