package vn.ehealth.fhir.server.reporting;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The monthly roll-up (vf_report_rollup): per indicator, month, facility and province, the count (and
 * lengths of stay) in total and per value of each stratum. Its rows are the indicators' own population
 * SQL grouped by month, so they cannot disagree with the facts. A write's change is taken as a
 * difference: the contributions of the items it reaches (a Patient's encounters, diagnoses and death;
 * an Encounter, its diagnoses and its patient's death; …) read before its fact row changes count minus,
 * read after count plus. The differences of a transaction are summed in memory and added to the roll-up
 * once, just before it commits, in key order: one statement per transaction, its row locks held only
 * for the commit, and two transactions always lock shared rows in the same order (no deadlock).
 */
final class MonthlyRollup {

	static final String TABLE = "vf_report_rollup";
	private static final String COLUMNS = "indicator, month, facility, province, stratum, value, n, los_sum, los_n";
	private static final String ADD = "INSERT INTO " + TABLE + " (" + COLUMNS + ") SELECT * FROM unnest(?::varchar[], ?::date[],"
			+ " ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::bigint[], ?::bigint[], ?::bigint[])"
			+ " ON CONFLICT (indicator, month, facility, province, stratum, value) DO UPDATE SET n = " + TABLE + ".n + EXCLUDED.n,"
			+ " los_sum = " + TABLE + ".los_sum + EXCLUDED.los_sum, los_n = " + TABLE + ".los_n + EXCLUDED.los_n";

	private MonthlyRollup() {}

	/** One roll-up row's key; nulls (not recorded) sort first. */
	record Key(String indicator, LocalDate month, String facility, String province, String stratum, String value)
			implements Comparable<Key> {
		private static final Comparator<String> TEXT = Comparator.nullsFirst(Comparator.naturalOrder());
		private static final Comparator<Key> ORDER = Comparator.comparing(Key::indicator).thenComparing(Key::month)
				.thenComparing(Key::facility, TEXT).thenComparing(Key::province, TEXT).thenComparing(Key::stratum)
				.thenComparing(Key::value, TEXT);

		@Override
		public int compareTo(Key other) {
			return ORDER.compare(this, other);
		}
	}

	/** The strata the roll-up keeps for an indicator (its stratifiers' {@link Stratifier#rolledUpAs()}). */
	static List<Stratifier> strata(Indicator indicator) {
		Set<Stratifier> strata = new LinkedHashSet<>();
		for (Stratifier stratifier : indicator.stratifiers()) {
			if (stratifier.rolledUpAs() != null) {
				strata.add(stratifier.rolledUpAs());
			}
		}
		return List.copyOf(strata);
	}

	/** The roll-up rows the items a predicate selects add up to, in the roll-up's columns. */
	static String contributions(Indicator indicator, String items) {
		StringBuilder sql = new StringBuilder("SELECT '").append(indicator.id).append("'::varchar AS indicator,")
				.append(" date_trunc('month', d)::date AS month, facility::varchar, province::varchar, s.stratum, s.value,")
				.append(" count(*) AS n, coalesce(sum(los), 0) AS los_sum, count(los) AS los_n FROM (")
				.append(indicator.rowsOf(items)).append(") r CROSS JOIN LATERAL (VALUES (''::varchar, NULL::varchar)");
		for (Stratifier stratum : strata(indicator)) {
			sql.append(", ('").append(stratum.code).append("', (").append(stratum.sql).append(")::varchar)");
		}
		return sql.append(") s (stratum, value) GROUP BY 1, 2, 3, 4, 5, 6").toString();
	}

	/** The roll-up made again from all the facts (after their rebuild, or for a database that has none). */
	static void rebuild(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.executeUpdate("DELETE FROM " + TABLE);
			for (Indicator indicator : Indicator.values()) {
				statement.executeUpdate("INSERT INTO " + TABLE + " (" + COLUMNS + ") " + contributions(indicator, "true"));
			}
		}
	}

	/** A transaction's differences, summed per key until they are added. */
	static final class Delta {
		private final Map<Key, long[]> cells = new TreeMap<>();

		/** The contributions a query returns (in the roll-up's columns), times the sign. */
		void add(ResultSet rows, int sign) throws SQLException {
			while (rows.next()) {
				Date month = rows.getDate(2);
				Key key = new Key(rows.getString(1), month.toLocalDate(), rows.getString(3), rows.getString(4),
						rows.getString(5), rows.getString(6));
				long[] cell = cells.computeIfAbsent(key, k -> new long[3]);
				cell[0] += sign * rows.getLong(7);
				cell[1] += sign * rows.getLong(8);
				cell[2] += sign * rows.getLong(9);
			}
		}

		/** The non-zero differences added to the roll-up in key order, in one statement; then empty. */
		void addTo(Connection connection) throws SQLException {
			cells.values().removeIf(cell -> cell[0] == 0 && cell[1] == 0 && cell[2] == 0);
			if (cells.isEmpty()) {
				return;
			}
			// one array per column, each of its own element type: a single Object[][] of mixed array
			// types made every store a type check the JIT kept recompiling this method for
			int size = cells.size();
			String[] indicators = new String[size];
			Date[] months = new Date[size];
			String[] facilities = new String[size];
			String[] provinces = new String[size];
			String[] strata = new String[size];
			String[] values = new String[size];
			Long[] counts = new Long[size];
			Long[] losSums = new Long[size];
			Long[] losCounts = new Long[size];
			int i = 0;
			for (Map.Entry<Key, long[]> entry : cells.entrySet()) {
				Key key = entry.getKey();
				long[] cell = entry.getValue();
				indicators[i] = key.indicator();
				months[i] = Date.valueOf(key.month());
				facilities[i] = key.facility();
				provinces[i] = key.province();
				strata[i] = key.stratum();
				values[i] = key.value();
				counts[i] = cell[0];
				losSums[i] = cell[1];
				losCounts[i] = cell[2];
				i++;
			}
			try (PreparedStatement add = connection.prepareStatement(ADD)) {
				add.setArray(1, connection.createArrayOf("varchar", indicators));
				add.setArray(2, connection.createArrayOf("date", months));
				add.setArray(3, connection.createArrayOf("varchar", facilities));
				add.setArray(4, connection.createArrayOf("varchar", provinces));
				add.setArray(5, connection.createArrayOf("varchar", strata));
				add.setArray(6, connection.createArrayOf("varchar", values));
				add.setArray(7, connection.createArrayOf("bigint", counts));
				add.setArray(8, connection.createArrayOf("bigint", losSums));
				add.setArray(9, connection.createArrayOf("bigint", losCounts));
				add.executeUpdate();
			}
			cells.clear();
		}
	}

	/**
	 * The items one resource's fact row reaches, per indicator a predicate with its parameters; read
	 * the same way before and after the row changes.
	 */
	static final class Reach {
		/** Each indicator's contributions per predicate, built once: every write reads one or more. */
		private static final java.util.Map<String, String> CONTRIBUTIONS = new java.util.concurrent.ConcurrentHashMap<>();

		private final List<String> parts = new ArrayList<>();
		private final List<Object> parameters = new ArrayList<>();
		private boolean nothingBefore;

		private Reach add(Indicator indicator, String items, Object parameter) {
			parts.add(CONTRIBUTIONS.computeIfAbsent(indicator.id + "\n" + items, key -> contributions(indicator, items)));
			parameters.add(parameter);
			return this;
		}

		private Reach encounters(String items, Object parameter) {
			for (Indicator indicator : List.of(Indicator.ENCOUNTERS, Indicator.ADMISSIONS, Indicator.DISCHARGES,
					Indicator.LENGTH_OF_STAY)) {
				add(indicator, items, parameter);
			}
			return this;
		}

		/**
		 * What a resource's new facts can change: the kind's own items and those that join its row.
		 * Called before the fact row is written (it reads the row's previous patient or facility code,
		 * unless the resource is {@code created}: then it has no row yet).
		 */
		static Reach of(Connection connection, FactRows.Kind kind, String id, Object resource, boolean created)
				throws SQLException {
			Reach reach = new Reach();
			// a new Condition's items are its own row only: none before it is written
			reach.nothingBefore = created && kind == FactRows.Kind.CONDITION;
			switch (kind) {
				case PATIENT -> reach.encounters("e.patient_id = ?", id).add(Indicator.MORBIDITY, "c.patient_id = ?", id)
						.add(Indicator.DEATHS, "p.patient_id = ?", id);
				case ENCOUNTER -> reach.encounters("e.encounter_id = ?", id).add(Indicator.MORBIDITY, "c.encounter_id = ?", id)
						// a death is the patient's: the one the encounter had, and the one it has now
						.add(Indicator.DEATHS, "p.patient_id = ANY (?)", patients(connection, kind, id, created,
								resource instanceof org.hl7.fhir.r4.model.Encounter e ? Facts.idPart(e.getSubject()) : null));
				case CONDITION -> reach.add(Indicator.MORBIDITY, "c.condition_id = ?", id);
				case DEATH_CAUSE -> {
					// most Observations are no cause of death, before or after: they reach nothing
					Facts.DeathCauseFact fact = resource instanceof org.hl7.fhir.r4.model.Observation o ? Facts.deathCause(o) : null;
					String[] patients = patients(connection, kind, id, created, fact == null ? null : fact.patient());
					if (patients.length > 0) {
						reach.add(Indicator.DEATHS, "p.patient_id = ANY (?)", patients);
					}
				}
				case FACILITY -> {
					// the roll-up knows a facility by its code: a new name changes nothing
					String code = resource instanceof org.hl7.fhir.r4.model.Organization o && Facts.facility(o) != null
							? Facts.facility(o).code() : null;
					String before = created ? null : previous(connection, "SELECT code FROM vf_report_facility"
							+ " WHERE organization_id = ?", id);
					if (!java.util.Objects.equals(code, before)) {
						reach.encounters("e.organization_id = ?", id).add(Indicator.MORBIDITY, "e.organization_id = ?", id)
								.add(Indicator.DEATHS, "p.patient_id IN (SELECT patient_id FROM vf_report_encounter"
										+ " WHERE organization_id = ? AND disposition = 'exp')", id);
					}
				}
				default -> throw new IllegalArgumentException(kind.name());
			}
			return reach;
		}

		/** The items' contributions before the fact row changes, taken from the delta. */
		void readBefore(Connection connection, Delta delta) throws SQLException {
			if (!nothingBefore) {
				read(connection, delta, -1);
			}
		}

		/** The items' contributions after the fact row changed, added to the delta. */
		void readAfter(Connection connection, Delta delta) throws SQLException {
			read(connection, delta, 1);
		}

		/** The items' contributions, with the sign, into the delta (one query). */
		private void read(Connection connection, Delta delta, int sign) throws SQLException {
			if (parts.isEmpty()) {
				return;
			}
			try (PreparedStatement query = connection.prepareStatement(String.join(" UNION ALL ", parts))) {
				for (int i = 0; i < parameters.size(); i++) {
					if (parameters.get(i) instanceof String[] values) {
						query.setArray(i + 1, connection.createArrayOf("varchar", values));
					} else {
						query.setString(i + 1, (String) parameters.get(i));
					}
				}
				try (ResultSet rows = query.executeQuery()) {
					delta.add(rows, sign);
				}
			}
		}

		/** The patient of the resource's fact row as it was (none for a created resource) and as it is now. */
		private static String[] patients(Connection connection, FactRows.Kind kind, String id, boolean created, String now)
				throws SQLException {
			String before = created ? null : previous(connection, "SELECT patient_id FROM " + kind.table + " WHERE " + kind.key + " = ?", id);
			return new LinkedHashSet<>(java.util.Arrays.asList(before, now)).stream().filter(java.util.Objects::nonNull)
					.toArray(String[]::new);
		}

		private static String previous(Connection connection, String sql, String id) throws SQLException {
			try (PreparedStatement query = connection.prepareStatement(sql)) {
				query.setString(1, id);
				try (ResultSet rows = query.executeQuery()) {
					return rows.next() ? rows.getString(1) : null;
				}
			}
		}
	}
}
