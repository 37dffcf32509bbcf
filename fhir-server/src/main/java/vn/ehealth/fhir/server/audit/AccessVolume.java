package vn.ehealth.fhir.server.audit;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How many distinct patients each client accessed per day, for inspections (Official letter
 * 6827/BYT-KCB: periodic checks on how personal data is used) and for the per-client daily limit. Two
 * tables next to the audit trail: {@code vf_audit_volume} (day, client, patient: one row the first time
 * a client sees a patient that day) and {@code vf_audit_volume_day} (day, client: the count, and the
 * requests refused for the limit). The row of a client's day is locked while its count changes, so
 * concurrent requests, and several server nodes on one database, never count past the limit.
 *
 * <p>Cheap on the read path: a patient already counted today is known from memory and costs nothing;
 * only a client's first access of a patient on a day writes (one call of the database function
 * {@code vf_audit_volume_admit}: one round trip, committed with it). The working
 * tables are not hash-chained; each access and each refusal is also in the audit trail, which is.
 */
class AccessVolume {

	/** Beyond this many remembered (client, patient) pairs a day, the database answers instead of memory. */
	private static final int MAX_REMEMBERED = 500_000;

	/** What {@link #admit} decided; {@code patients} is the client's distinct count for the day. */
	record Admission(boolean admitted, int patients) {}

	/** One line of the volume report. */
	record DayVolume(LocalDate day, String clientId, int patients, int refused, Instant firstRefused) {}

	private final DataSource dataSource;
	private final JdbcTemplate jdbc;
	private final ZoneId zone;
	private volatile LocalDate rememberedDay;
	private volatile Set<String> remembered = ConcurrentHashMap.newKeySet();

	AccessVolume(DataSource dataSource, ZoneId zone) {
		this.dataSource = dataSource;
		this.jdbc = new JdbcTemplate(dataSource);
		this.zone = zone;
	}

	ZoneId zone() {
		return zone;
	}

	LocalDate today() {
		return LocalDate.now(zone);
	}

	/**
	 * Counts the patients as accessed by the client today, unless the new ones would take its count past
	 * {@code limit} (0 = no limit): then nothing is counted, the refusal is, and the answer says no.
	 */
	Admission admit(String clientId, Collection<String> patients, int limit) {
		LocalDate day = today();
		Set<String> known = rememberedFor(day);
		List<String> unknown = new ArrayList<>();
		for (String patient : new HashSet<>(patients)) {
			if (!known.contains(clientId + "|" + patient)) {
				unknown.add(patient);
			}
		}
		if (unknown.isEmpty()) {
			return new Admission(true, -1);
		}
		return jdbc.execute((ConnectionCallback<Admission>) connection -> admitInDatabase(connection, day, clientId, unknown, limit, known));
	}

	/**
	 * The same for a set of patients chosen by a query (an export's compartment), in one SQL pass:
	 * the patients new to the client today are inserted with one INSERT … SELECT, and taken back
	 * (savepoint) with the refusal counted if they would take it past {@code limit} (0 = no limit).
	 * The same rules as {@code vf_audit_volume_admit} (V9), which takes its patients as an array: an
	 * export's compartment may hold a province's patients, so they stay a query here.
	 */
	Admission admit(String clientId, PatientSelection patients, int limit) {
		LocalDate day = today();
		return JdbcTransaction.run(dataSource, "Could not count the patients accessed", connection -> {
			Date sqlDay = Date.valueOf(day);
			int count = lockDay(connection, sqlDay, clientId);
			Savepoint beforeInsert = connection.setSavepoint();
			int fresh;
			try (PreparedStatement insert = connection.prepareStatement(
					"INSERT INTO vf_audit_volume (day, client_id, patient) SELECT ?, ?, s.patient FROM ("
							+ patients.sql() + ") s(patient) ON CONFLICT DO NOTHING")) {
				insert.setDate(1, sqlDay);
				insert.setString(2, clientId);
				patients.bind(connection, insert, 3);
				fresh = insert.executeUpdate();
			}
			if (limit > 0 && count + fresh > limit) {
				connection.rollback(beforeInsert);
				refuse(connection, sqlDay, clientId);
				return new Admission(false, count);
			}
			addToDay(connection, sqlDay, clientId, fresh);
			return new Admission(true, count + fresh);
		});
	}

	/**
	 * One call of {@code vf_audit_volume_admit} (V9): the day row locked, the new patients counted or
	 * the refusal recorded, committed with the call (autocommit): one round trip for a first access.
	 */
	private Admission admitInDatabase(
			Connection connection, LocalDate day, String clientId, List<String> unknown, int limit, Set<String> known)
			throws SQLException {
		try (PreparedStatement call = connection.prepareStatement(
				"SELECT admitted, day_count, counted FROM vf_audit_volume_admit(?, ?, ?, ?, ?)")) {
			call.setDate(1, Date.valueOf(day));
			call.setString(2, clientId);
			call.setArray(3, connection.createArrayOf("varchar", unknown.toArray()));
			call.setInt(4, limit);
			call.setTimestamp(5, Timestamp.from(Instant.now()));
			try (ResultSet row = call.executeQuery()) {
				row.next();
				remember(known, clientId, List.of((String[]) row.getArray(3).getArray()));
				return new Admission(row.getBoolean(1), row.getInt(2));
			}
		}
	}

	/** Creates the client's day row if needed and locks it; returns its count so far. */
	private static int lockDay(Connection connection, Date sqlDay, String clientId) throws SQLException {
		try (PreparedStatement insert = connection.prepareStatement(
				"INSERT INTO vf_audit_volume_day (day, client_id, patients, refused) VALUES (?, ?, 0, 0) ON CONFLICT DO NOTHING")) {
			insert.setDate(1, sqlDay);
			insert.setString(2, clientId);
			insert.executeUpdate();
		}
		try (PreparedStatement lock = connection.prepareStatement(
				"SELECT patients FROM vf_audit_volume_day WHERE day = ? AND client_id = ? FOR UPDATE")) {
			lock.setDate(1, sqlDay);
			lock.setString(2, clientId);
			try (ResultSet rows = lock.executeQuery()) {
				rows.next();
				return rows.getInt(1);
			}
		}
	}

	private static void refuse(Connection connection, Date sqlDay, String clientId) throws SQLException {
		try (PreparedStatement refuse = connection.prepareStatement(
				"UPDATE vf_audit_volume_day SET refused = refused + 1, first_refused = COALESCE(first_refused, ?) "
						+ "WHERE day = ? AND client_id = ?")) {
			refuse.setTimestamp(1, Timestamp.from(Instant.now()));
			refuse.setDate(2, sqlDay);
			refuse.setString(3, clientId);
			refuse.executeUpdate();
		}
	}

	private static void addToDay(Connection connection, Date sqlDay, String clientId, int fresh) throws SQLException {
		try (PreparedStatement update = connection.prepareStatement(
				"UPDATE vf_audit_volume_day SET patients = patients + ? WHERE day = ? AND client_id = ?")) {
			update.setInt(1, fresh);
			update.setDate(2, sqlDay);
			update.setString(3, clientId);
			update.executeUpdate();
		}
	}

	private Set<String> rememberedFor(LocalDate day) {
		if (!day.equals(rememberedDay)) {
			synchronized (this) {
				if (!day.equals(rememberedDay)) {
					remembered = ConcurrentHashMap.newKeySet();
					rememberedDay = day;
				}
			}
		}
		return remembered;
	}

	private static void remember(Set<String> known, String clientId, Collection<String> patients) {
		for (String patient : patients) {
			if (known.size() >= MAX_REMEMBERED) {
				return;
			}
			known.add(clientId + "|" + patient);
		}
	}

	/** Each client's day from {@code from} to {@code to} (inclusive), optionally one client, by day then client. */
	List<DayVolume> report(LocalDate from, LocalDate to, String clientId) {
		String sql = "SELECT day, client_id, patients, refused, first_refused FROM vf_audit_volume_day "
				+ "WHERE day BETWEEN ? AND ?" + (clientId != null ? " AND client_id = ?" : "") + " ORDER BY day, client_id";
		Object[] args = clientId != null
				? new Object[] {Date.valueOf(from), Date.valueOf(to), clientId}
				: new Object[] {Date.valueOf(from), Date.valueOf(to)};
		return jdbc.query(sql, (rows, i) -> new DayVolume(
				rows.getDate(1).toLocalDate(),
				rows.getString(2),
				rows.getInt(3),
				rows.getInt(4),
				rows.getTimestamp(5) == null ? null : rows.getTimestamp(5).toInstant()), args);
	}
}
