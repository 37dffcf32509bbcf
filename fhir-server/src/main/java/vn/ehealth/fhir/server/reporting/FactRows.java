package vn.ehealth.fhir.server.reporting;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;

/**
 * Writes the fact row of one resource (insert or replace by id) or removes it, on the connection it is
 * given: the write's own transaction when called from the storage hooks, the rebuild's otherwise.
 */
final class FactRows {

	static final String PATIENT = "INSERT INTO vf_report_patient"
			+ " (patient_id, sex, birth_date, province, occupation, ethnicity, deceased_date) VALUES (?, ?, ?, ?, ?, ?, ?)"
			+ " ON CONFLICT (patient_id) DO UPDATE SET sex = EXCLUDED.sex, birth_date = EXCLUDED.birth_date,"
			+ " province = EXCLUDED.province, occupation = EXCLUDED.occupation, ethnicity = EXCLUDED.ethnicity,"
			+ " deceased_date = EXCLUDED.deceased_date";
	static final String ENCOUNTER = "INSERT INTO vf_report_encounter (encounter_id, patient_id, organization_id, class,"
			+ " start_date, end_date, los_days, disposition, primary_condition, primary_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
			+ " ON CONFLICT (encounter_id) DO UPDATE SET patient_id = EXCLUDED.patient_id, organization_id = EXCLUDED.organization_id,"
			+ " class = EXCLUDED.class, start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date, los_days = EXCLUDED.los_days,"
			+ " disposition = EXCLUDED.disposition, primary_condition = EXCLUDED.primary_condition,"
			+ " primary_reason = EXCLUDED.primary_reason";
	static final String CONDITION = "INSERT INTO vf_report_condition (condition_id, patient_id, encounter_id, recorded_date, icd_code)"
			+ " VALUES (?, ?, ?, ?, ?) ON CONFLICT (condition_id) DO UPDATE SET patient_id = EXCLUDED.patient_id,"
			+ " encounter_id = EXCLUDED.encounter_id, recorded_date = EXCLUDED.recorded_date, icd_code = EXCLUDED.icd_code";
	static final String FACILITY = "INSERT INTO vf_report_facility (organization_id, code, name) VALUES (?, ?, ?)"
			+ " ON CONFLICT (organization_id) DO UPDATE SET code = EXCLUDED.code, name = EXCLUDED.name";
	static final String DEATH_CAUSE = "INSERT INTO vf_report_death_cause (observation_id, patient_id, icd_code) VALUES (?, ?, ?)"
			+ " ON CONFLICT (observation_id) DO UPDATE SET patient_id = EXCLUDED.patient_id, icd_code = EXCLUDED.icd_code";

	/** The resource types that have facts, with their table and key column. */
	enum Kind {
		PATIENT("Patient", "vf_report_patient", "patient_id"),
		ENCOUNTER("Encounter", "vf_report_encounter", "encounter_id"),
		CONDITION("Condition", "vf_report_condition", "condition_id"),
		FACILITY("Organization", "vf_report_facility", "organization_id"),
		DEATH_CAUSE("Observation", "vf_report_death_cause", "observation_id");

		final String resourceType;
		final String table;
		final String key;

		Kind(String resourceType, String table, String key) {
			this.resourceType = resourceType;
			this.table = table;
			this.key = key;
		}

		static Kind of(IBaseResource resource) {
			for (Kind kind : values()) {
				if (kind.resourceType.equals(resource.fhirType())) {
					return kind;
				}
			}
			return null;
		}
	}

	private FactRows() {}

	/** Whether the resource has facts of its kind (a Condition with an ICD-10 code, a cause-of-death Observation…). */
	static boolean qualifies(IBaseResource resource) {
		if (resource instanceof Condition condition) {
			return Facts.condition(condition) != null;
		} else if (resource instanceof Organization organization) {
			return Facts.facility(organization) != null;
		} else if (resource instanceof Observation observation) {
			return Facts.deathCause(observation) != null;
		}
		return Kind.of(resource) != null;
	}

	/**
	 * The resource's facts written (replacing earlier ones); a resource that no longer qualifies loses
	 * its row, unless it is {@code created}: then it has none.
	 */
	static void write(Connection connection, IBaseResource resource, boolean created) throws SQLException {
		Kind kind = Kind.of(resource);
		if (kind == null) {
			return;
		}
		boolean written;
		if (resource instanceof Patient patient) {
			written = patient(connection, Facts.patient(patient));
		} else if (resource instanceof Encounter encounter) {
			written = encounter(connection, Facts.encounter(encounter));
		} else if (resource instanceof Condition condition) {
			written = condition(connection, Facts.condition(condition));
		} else if (resource instanceof Organization organization) {
			written = facility(connection, Facts.facility(organization));
		} else {
			written = deathCause(connection, Facts.deathCause((Observation) resource));
		}
		if (!written && !created) {
			remove(connection, kind, resource.getIdElement().getIdPart());
		}
	}

	static void remove(Connection connection, IBaseResource resource) throws SQLException {
		Kind kind = Kind.of(resource);
		if (kind != null) {
			remove(connection, kind, resource.getIdElement().getIdPart());
		}
	}

	private static void remove(Connection connection, Kind kind, String id) throws SQLException {
		try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + kind.table + " WHERE " + kind.key + " = ?")) {
			delete.setString(1, id);
			delete.executeUpdate();
		}
	}

	private static boolean patient(Connection connection, Facts.PatientFact fact) throws SQLException {
		try (PreparedStatement insert = connection.prepareStatement(PATIENT)) {
			insert.setString(1, fact.id());
			insert.setString(2, fact.sex());
			setDate(insert, 3, fact.birthDate());
			insert.setString(4, fact.province());
			insert.setString(5, fact.occupation());
			insert.setString(6, fact.ethnicity());
			setDate(insert, 7, fact.deceased());
			insert.executeUpdate();
		}
		return true;
	}

	private static boolean encounter(Connection connection, Facts.EncounterFact fact) throws SQLException {
		try (PreparedStatement insert = connection.prepareStatement(ENCOUNTER)) {
			insert.setString(1, fact.id());
			insert.setString(2, fact.patient());
			insert.setString(3, fact.organization());
			insert.setString(4, fact.classCode());
			setDate(insert, 5, fact.start());
			setDate(insert, 6, fact.end());
			if (fact.lengthOfStay() == null) {
				insert.setNull(7, Types.INTEGER);
			} else {
				insert.setInt(7, fact.lengthOfStay());
			}
			insert.setString(8, fact.disposition());
			insert.setString(9, fact.primaryCondition());
			insert.setString(10, fact.primaryReason());
			insert.executeUpdate();
		}
		return true;
	}

	private static boolean condition(Connection connection, Facts.ConditionFact fact) throws SQLException {
		if (fact == null) {
			return false;
		}
		try (PreparedStatement insert = connection.prepareStatement(CONDITION)) {
			insert.setString(1, fact.id());
			insert.setString(2, fact.patient());
			insert.setString(3, fact.encounter());
			setDate(insert, 4, fact.recorded());
			insert.setString(5, fact.icd());
			insert.executeUpdate();
		}
		return true;
	}

	private static boolean facility(Connection connection, Facts.FacilityFact fact) throws SQLException {
		if (fact == null) {
			return false;
		}
		try (PreparedStatement insert = connection.prepareStatement(FACILITY)) {
			insert.setString(1, fact.id());
			insert.setString(2, fact.code());
			insert.setString(3, fact.name());
			insert.executeUpdate();
		}
		return true;
	}

	private static boolean deathCause(Connection connection, Facts.DeathCauseFact fact) throws SQLException {
		if (fact == null) {
			return false;
		}
		try (PreparedStatement insert = connection.prepareStatement(DEATH_CAUSE)) {
			insert.setString(1, fact.id());
			insert.setString(2, fact.patient());
			insert.setString(3, fact.icd());
			insert.executeUpdate();
		}
		return true;
	}

	private static void setDate(PreparedStatement statement, int index, LocalDate date) throws SQLException {
		if (date == null) {
			statement.setNull(index, Types.DATE);
		} else {
			statement.setDate(index, Date.valueOf(date));
		}
	}
}
