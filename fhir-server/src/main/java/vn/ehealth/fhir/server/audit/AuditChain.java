package vn.ehealth.fhir.server.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import vn.ehealth.fhir.server.observability.ServerMetrics;
import vn.ehealth.fhir.server.signature.JsonCanonicalForm;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The audit trail: an append-only, hash-chained log in two tables of our own next to HAPI's
 * ({@code vf_audit_event}, and {@code vf_audit_patient} to find a patient's records). Not FHIR
 * resources on purpose: no /fhir interaction can change or delete them. Each record's
 * {@code hash = SHA-256(previous hash + canonical JSON of the record)}; the first record's
 * previous hash is 64 zeros. Circular 38/2024 (Thông tư 38/2024/TT-BYT) asks for integrity and
 * protection against forgery: a changed, removed or inserted row breaks the chain at that row.
 *
 * <p>Appends are serialised by a PostgreSQL advisory lock held for the appending transaction, so
 * concurrent requests, and several server instances on one database, still form a single chain.
 * Within one server they queue on a lock first, so waiting requests do not each hold a pooled
 * connection.
 */
class AuditChain {

	static final String GENESIS = "0".repeat(64);
	/** Key of the advisory lock that orders appends ("VFAUDIT" in ASCII). */
	private static final long LOCK_KEY = 0x5646415544495454L;
	private static final TypeReference<TreeMap<String, Object>> RECORD = new TypeReference<>() {};

	private final DataSource dataSource;
	private final ReentrantLock appending = new ReentrantLock(true);
	private final JdbcTemplate jdbc;
	private final ServerMetrics metrics;
	private final ObjectMapper json = new ObjectMapper();

	/** Outcome of {@link #verify()}: OK with the count, or the first sequence number that does not check. */
	record Verification(boolean intact, long count, Long firstBrokenSeq, String reason) {}

	AuditChain(DataSource dataSource, ServerMetrics metrics) {
		this.metrics = metrics;
		this.dataSource = dataSource;
		this.jdbc = new JdbcTemplate(dataSource);
	}

	/**
	 * Appends one record; its {@code seq} and {@code recorded} are set here.
	 *
	 * @param fields the record's content (strings, numbers and lists of strings), without seq and recorded
	 * @param patients the patients it concerns ({@code Patient/<id>}), for the access log
	 * @return the sequence number given
	 */
	long append(Map<String, Object> fields, Collection<String> patients) {
		return append(fields, null, (connection, seq) -> {
			if (!patients.isEmpty()) {
				try (PreparedStatement insert = connection.prepareStatement(
						"INSERT INTO vf_audit_patient (patient, seq) VALUES (?, ?)")) {
					for (String patient : patients) {
						insert.setString(1, patient);
						insert.setLong(2, seq);
						insert.addBatch();
					}
					insert.executeBatch();
				}
			}
			return patients.size();
		});
	}

	/**
	 * Appends one record of bulk access (a completed export): the patients, chosen by a query, are
	 * indexed for the access log with one INSERT … SELECT, and the record carries their number as
	 * {@code patient_count} rather than the list. The query runs into a temporary table before the
	 * append lock is taken, so the lock is held only for copying the ids.
	 */
	long append(Map<String, Object> fields, PatientSelection patients) {
		Map<String, Object> record = new TreeMap<>(fields);
		return append(record, connection -> {
			try (PreparedStatement create = connection.prepareStatement(
					"CREATE TEMPORARY TABLE vf_audit_bulk_patient (patient VARCHAR(200) NOT NULL) ON COMMIT DROP")) {
				create.execute();
			}
			// parameters are not allowed in CREATE TABLE AS: a plain INSERT … SELECT
			try (PreparedStatement select = connection.prepareStatement(
					"INSERT INTO vf_audit_bulk_patient (patient) SELECT s.patient FROM (" + patients.sql() + ") s(patient)")) {
				patients.bind(connection, select, 1);
				select.executeUpdate();
			}
		}, (connection, seq) -> {
			try (PreparedStatement insert = connection.prepareStatement(
					"INSERT INTO vf_audit_patient (patient, seq) SELECT DISTINCT patient, ? FROM vf_audit_bulk_patient")) {
				insert.setLong(1, seq);
				int count = insert.executeUpdate();
				record.put("patient_count", count);
				return count;
			}
		});
	}

	/** Work on the appending transaction: before the lock, and indexing the patients of record {@code seq}. */
	@FunctionalInterface
	private interface BeforeLock {
		void run(Connection connection) throws SQLException;
	}

	@FunctionalInterface
	private interface PatientIndex {
		int write(Connection connection, long seq) throws SQLException;
	}

	private long append(Map<String, Object> fields, BeforeLock beforeLock, PatientIndex index) {
		appending.lock();
		try {
			long appended = JdbcTransaction.run(dataSource, "Could not append to the audit trail", connection -> {
				if (beforeLock != null) {
					beforeLock.run(connection);
				}
				try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
					lock.setLong(1, LOCK_KEY);
					lock.execute();
				}
				long seq = 1;
				String previous = GENESIS;
				try (PreparedStatement last = connection.prepareStatement(
								"SELECT seq, hash FROM vf_audit_event ORDER BY seq DESC LIMIT 1");
						ResultSet rows = last.executeQuery()) {
					if (rows.next()) {
						seq = rows.getLong(1) + 1;
						previous = rows.getString(2);
					}
				}
				// indexed first: a bulk index puts its count into the record the hash covers
				index.write(connection, seq);
				Instant recorded = Instant.now();
				Map<String, Object> record = new TreeMap<>(fields);
				record.put("seq", seq);
				record.put("recorded", recorded.toString());
				String canonical = canonical(record);
				try (PreparedStatement insert = connection.prepareStatement(
						"INSERT INTO vf_audit_event (seq, recorded, record, prev_hash, hash) VALUES (?, ?, ?, ?, ?)")) {
					insert.setLong(1, seq);
					insert.setTimestamp(2, Timestamp.from(recorded));
					insert.setString(3, canonical);
					insert.setString(4, previous);
					insert.setString(5, hash(previous, canonical));
					insert.executeUpdate();
				}
				return seq;
			});
			metrics.auditRecordWritten();
			return appended;
		} finally {
			appending.unlock();
		}
	}

	/** The records concerning a patient ({@code Patient/<id>}), newest first. */
	List<Map<String, Object>> forPatient(String patient, int limit) {
		return jdbc.query(
				"SELECT e.record FROM vf_audit_event e JOIN vf_audit_patient p ON p.seq = e.seq "
						+ "WHERE p.patient = ? ORDER BY e.seq DESC LIMIT ?",
				(rows, i) -> parse(rows.getString(1)), patient, limit);
	}

	/** Recomputes the whole chain in sequence order; reports the first row that does not check. */
	Verification verify() {
		long[] state = {0, 0}; // count, expected next seq (0 = first row)
		String[] previous = {GENESIS};
		Verification[] broken = {null};
		jdbc.query("SELECT seq, record, prev_hash, hash FROM vf_audit_event ORDER BY seq", rows -> {
			if (broken[0] != null) {
				return;
			}
			long seq = rows.getLong(1);
			String record = rows.getString(2);
			String reason = null;
			if (state[1] != 0 && seq != state[1]) {
				reason = "record " + state[1] + " is missing";
				seq = state[1];
			} else if (state[1] == 0 && seq != 1) {
				reason = "records before " + seq + " are missing";
				seq = 1;
			} else if (!previous[0].equals(rows.getString(3))) {
				reason = "its previous hash is not the hash of record " + (seq - 1);
			} else if (!hash(previous[0], record).equals(rows.getString(4))) {
				reason = "its content does not match its hash";
			} else if (!(parse(record).get("seq") instanceof Number n) || n.longValue() != seq) {
				reason = "its sequence number was changed";
			}
			if (reason != null) {
				broken[0] = new Verification(false, state[0], seq, reason);
				return;
			}
			state[0]++;
			state[1] = seq + 1;
			previous[0] = rows.getString(4);
		});
		return broken[0] != null ? broken[0] : new Verification(true, state[0], null, null);
	}

	/** RFC 8785 (JCS), as for signed bundles: an auditor recomputes the chain with any JCS tool. */
	String canonical(Map<String, Object> record) {
		return JsonCanonicalForm.canonicalize(record);
	}

	Map<String, Object> parse(String record) {
		try {
			return json.readValue(record, RECORD);
		} catch (JsonProcessingException e) {
			// a tampered row that no longer parses: shown as such rather than failing the whole report
			Map<String, Object> unreadable = new TreeMap<>();
			unreadable.put("outcome_desc", "unreadable audit record");
			return unreadable;
		}
	}

	static String hash(String previous, String canonical) {
		try {
			MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
			sha256.update(previous.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(sha256.digest(canonical.getBytes(StandardCharsets.UTF_8)));
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	static List<String> sorted(Collection<String> values) {
		List<String> list = new ArrayList<>(values);
		list.sort(null);
		return list;
	}
}
