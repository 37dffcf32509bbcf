package vn.ehealth.fhir.server.reporting;

import java.util.List;
import java.util.Optional;

/**
 * The six indicators of Circular 38/2024/TT-BYT's statistics, each a Measure of the guide
 * (https://vietfhir.org/fhir/Measure/&lt;id&gt;) and the SQL that lists its population in a period
 * from the fact tables, one row per counted item with the columns the stratifiers group by:
 * {@code d} (the day that puts it in the period), {@code facility}, {@code province}, {@code age}
 * (whole years on that day), {@code sex}, {@code occupation}, {@code ethnicity}, {@code cls},
 * {@code outcome}, {@code icd}, {@code role}, {@code los}.
 */
enum Indicator {

	ENCOUNTERS("vn-encounters", "Lượt khám chữa bệnh", "Encounters", (items, period) -> encounters("e.start_date", "", items, period),
			List.of(Stratifier.ENCOUNTER_CLASS)),
	ADMISSIONS("vn-admissions", "Lượt vào viện nội trú", "Inpatient admissions",
			(items, period) -> encounters("e.start_date", " AND e.class = 'IMP'", items, period),
			List.of(Stratifier.ENCOUNTER_CLASS)),
	DISCHARGES("vn-discharges", "Lượt ra viện nội trú", "Inpatient discharges",
			(items, period) -> encounters("e.end_date", " AND e.class = 'IMP'", items, period),
			List.of(Stratifier.ENCOUNTER_CLASS, Stratifier.OUTCOME)),
	MORBIDITY("vn-morbidity", "Chẩn đoán theo ICD-10 (bệnh tật)", "Diagnoses by ICD-10 (morbidity)",
			(items, period) -> "SELECT c.recorded_date AS d, f.code AS facility, p.province, " + age("c.recorded_date")
					+ ", p.sex, p.occupation, p.ethnicity, e.class AS cls, NULL AS outcome, c.icd_code AS icd,"
					// Encounter.diagnosis rank 1 names the main diagnosis; without one, the encounter's first reason
					+ " CASE WHEN e.encounter_id IS NULL OR e.primary_condition = c.condition_id"
					+ " OR (e.primary_condition IS NULL AND e.primary_reason = c.icd_code) THEN 'primary' ELSE 'secondary' END AS role,"
					+ " NULL::int AS los FROM vf_report_condition c"
					+ " LEFT JOIN vf_report_encounter e ON e.encounter_id = c.encounter_id"
					+ " LEFT JOIN vf_report_patient p ON p.patient_id = c.patient_id"
					+ " LEFT JOIN vf_report_facility f ON f.organization_id = e.organization_id"
					+ " WHERE " + items + " AND " + days("c.recorded_date", period),
			List.of(Stratifier.ENCOUNTER_CLASS, Stratifier.ICD10_CHAPTER, Stratifier.ICD10_BLOCK, Stratifier.ICD10_CODE,
					Stratifier.DIAGNOSIS_ROLE)),
	DEATHS("vn-deaths", "Tử vong", "Deaths",
			// the day of death: Patient.deceasedDateTime, else the end of the first stay discharged as died;
			// the cause: the death notice's (Observation 69453-9), else that stay's main reason
			(items, period) -> "SELECT x.d, f.code AS facility, x.province, date_part('year', age(x.d, x.birth_date))::int AS age,"
					+ " x.sex, x.occupation, x.ethnicity,"
					+ " x.cls, NULL AS outcome, COALESCE((SELECT min(dc.icd_code) FROM vf_report_death_cause dc"
					+ " WHERE dc.patient_id = x.patient_id), x.primary_reason) AS icd, NULL AS role, NULL::int AS los FROM ("
					+ "SELECT p.*, COALESCE(p.deceased_date, died.end_date) AS d, died.organization_id, died.class AS cls,"
					+ " died.primary_reason FROM vf_report_patient p LEFT JOIN LATERAL (SELECT * FROM vf_report_encounter e"
					+ " WHERE e.patient_id = p.patient_id AND e.disposition = 'exp' ORDER BY e.end_date LIMIT 1) died ON true"
					+ " WHERE " + items + " AND (p.deceased_date " + (period ? "BETWEEN ? AND ?" : "IS NOT NULL")
					+ " OR (p.deceased_date IS NULL AND EXISTS (SELECT 1 FROM"
					+ " vf_report_encounter e WHERE e.patient_id = p.patient_id AND e.disposition = 'exp')))) x"
					+ " LEFT JOIN vf_report_facility f ON f.organization_id = x.organization_id"
					+ " WHERE " + days("x.d", period),
			List.of(Stratifier.ENCOUNTER_CLASS, Stratifier.ICD10_CHAPTER, Stratifier.ICD10_BLOCK, Stratifier.ICD10_CODE)),
	LENGTH_OF_STAY("vn-length-of-stay", "Số ngày điều trị nội trú bình quân", "Mean length of inpatient stay",
			(items, period) -> encounters("e.end_date", " AND e.class = 'IMP' AND e.los_days IS NOT NULL", items, period),
			List.of(Stratifier.ENCOUNTER_CLASS, Stratifier.OUTCOME));

	static final String CANONICAL_BASE = "https://vietfhir.org/fhir/Measure/";

	final String id;
	final String titleVi;
	final String titleEn;
	/** Takes the period's first and last day, twice for {@link #DEATHS}. */
	final String population;
	private final Rows rows;
	private final List<Stratifier> own;

	Indicator(String id, String titleVi, String titleEn, Rows rows, List<Stratifier> own) {
		this.id = id;
		this.titleVi = titleVi;
		this.titleEn = titleEn;
		this.rows = rows;
		this.population = rows.sql("true", true);
		this.own = own;
	}

	/**
	 * The population SQL: the rows an item predicate selects (over the aliases {@code e}, {@code c},
	 * {@code p} of the indicator's tables) and, for a period, only those whose day falls in it (its first
	 * and last day bound as parameters), else every one that has a day at all.
	 */
	@FunctionalInterface
	interface Rows {
		String sql(String items, boolean period);
	}

	/** The population of the items a predicate selects, whatever their day (the monthly roll-up's input). */
	String rowsOf(String items) {
		return rows.sql(items, false);
	}

	String url() {
		return CANONICAL_BASE + id;
	}

	/** Whether the indicator's score is a mean length of stay rather than the count alone. */
	boolean scoresLengthOfStay() {
		return this == LENGTH_OF_STAY;
	}

	/** How many times the population SQL takes the period. */
	int periodBindings() {
		return this == DEATHS ? 2 : 1;
	}

	/** The stratifiers every indicator has, then its own. */
	List<Stratifier> stratifiers() {
		List<Stratifier> all = new java.util.ArrayList<>(Stratifier.COMMON);
		all.addAll(own);
		return List.copyOf(all);
	}

	static Optional<Indicator> byId(String id) {
		for (Indicator indicator : values()) {
			if (indicator.id.equals(id)) {
				return Optional.of(indicator);
			}
		}
		return Optional.empty();
	}

	private static String encounters(String day, String condition, String items, boolean period) {
		return "SELECT " + day + " AS d, f.code AS facility, p.province, " + age(day)
				+ ", p.sex, p.occupation, p.ethnicity, e.class AS cls, e.disposition AS outcome, e.primary_reason AS icd,"
				+ " NULL AS role, e.los_days AS los FROM vf_report_encounter e"
				+ " LEFT JOIN vf_report_patient p ON p.patient_id = e.patient_id"
				+ " LEFT JOIN vf_report_facility f ON f.organization_id = e.organization_id"
				+ " WHERE " + items + " AND " + days(day, period) + condition;
	}

	private static String days(String day, boolean period) {
		return period ? day + " BETWEEN ? AND ?" : day + " IS NOT NULL";
	}

	/** Age in whole years on the day, from the patient's birth date. */
	private static String age(String day) {
		return "date_part('year', age(" + day + ", p.birth_date))::int AS age";
	}
}
