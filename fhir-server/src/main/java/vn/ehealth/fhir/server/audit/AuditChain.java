package vn.ehealth.fhir.server.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * <p>Each append chains from the newest record this server knows of (the one it appended last,
 * or read from the table), in one statement for a request's record: no lock and no read on the
 * database per append. The sequence number is the table's primary key, so of two concurrent
 * appends from different server instances on one database only one gets a number; the other
 * fails on the key, reads the newest record and chains from it, so they still form a single
 * chain. Within one server appends queue on a lock, so waiting requests do not each hold a
 * pooled connection; the records that queued while one statement ran go together in the next
 * (one round trip and one commit for all of them), and each request still answers only once its
 * own record is committed.
 */
class AuditChain {

	static final String GENESIS = "0".repeat(64);
	private static final TypeReference<TreeMap<String, Object>> RECORD = new TypeReference<>() {};
	/** PostgreSQL's unique_violation: another instance took the sequence number first. */
	private static final String UNIQUE_VIOLATION = "23505";
	/** Instances racing for numbers each win one in turn; this many losses in a row is a fault. */
	private static final int ATTEMPTS = 50;
	/** Records and their patients (parallel arrays), one statement: one round trip, committed on its own. */
	private static final String INSERT_BATCH =
			"WITH patients AS (INSERT INTO vf_audit_patient (patient, seq) SELECT * FROM unnest(?::varchar[], ?::bigint[])) "
					+ "INSERT INTO vf_audit_event (seq, recorded, record, prev_hash, hash) "
					+ "SELECT s, r::timestamptz, t, p, h FROM unnest(?::bigint[], ?::varchar[], ?::text[], ?::varchar[], ?::varchar[]) AS x(s, r, t, p, h)";
	private static final String INSERT =
			"INSERT INTO vf_audit_event (seq, recorded, record, prev_hash, hash) VALUES (?, ?, ?, ?, ?)";

	private final DataSource dataSource;
	private final ReentrantLock appending = new ReentrantLock(true);
	private final JdbcTemplate jdbc;
	private final ServerMetrics metrics;
	private final ObjectMapper json = new ObjectMapper();
	/** The newest record known to this server (guarded by {@link #appending}); null = read it from the table. */
	private Tip tip;
	/** Records handed in and not yet written; whoever holds {@link #appending} next writes them all. */
	private final Queue<Pending> waiting = new ConcurrentLinkedQueue<>();

	/** A request's record waiting for the chain; its outcome is set under {@link #appending}, read after. */
	private static final class Pending {
		final Map<String, Object> fields;
		final String[] patients;
		boolean done;
		long seq;
		RuntimeException failure;

		Pending(Map<String, Object> fields, String[] patients) {
			this.fields = fields;
			this.patients = patients;
		}
	}

	/** Outcome of {@link #verify()}: OK with the count, or the first sequence number that does not check. */
	record Verification(boolean intact, long count, Long firstBrokenSeq, String reason) {}

	/** A record's sequence number and hash: what the next record chains from. */
	private record Tip(long seq, String hash) {}

	/** The next record's stored form: sequence number, time, canonical text and hashes. */
	private record Row(long seq, Instant recorded, String canonical, String previous, String hash) {

		/** Binds seq, recorded, record, prev_hash and hash from parameter {@code first} on. */
		void bind(PreparedStatement insert, int first) throws SQLException {
			insert.setLong(first, seq);
			insert.setTimestamp(first + 1, Timestamp.from(recorded));
			insert.setString(first + 2, canonical);
			insert.setString(first + 3, previous);
			insert.setString(first + 4, hash);
		}
	}

	AuditChain(DataSource dataSource, ServerMetrics metrics) {
		this.metrics = metrics;
		this.dataSource = dataSource;
		this.jdbc = new JdbcTemplate(dataSource);
	}

	/**
	 * Appends one record; its {@code seq} and {@code recorded} are set here. Returns once the record
	 * is committed. Records that requests hand in while another append holds the chain are written
	 * together by whichever of them gets the chain next, in one statement and one commit (group
	 * commit): under concurrent requests each waits for one WAL flush, not for everyone's in turn.
	 *
	 * @param fields the record's content (strings, numbers and lists of strings), without seq and recorded
	 * @param patients the patients it concerns ({@code Patient/<id>}), for the access log
	 * @return the sequence number given
	 */
	long append(Map<String, Object> fields, Collection<String> patients) {
		Pending mine = new Pending(fields, patients.toArray(String[]::new));
		waiting.add(mine);
		appending.lock();
		try {
			if (!mine.done) {
				writeWaiting();
			}
		} finally {
			appending.unlock();
		}
		if (mine.failure != null) {
			throw mine.failure;
		}
		return mine.seq;
	}

	/** Writes every record waiting (this thread's among them) in one statement; holds {@link #appending}. */
	private void writeWaiting() {
		List<Pending> batch = new ArrayList<>();
		for (Pending next; (next = waiting.poll()) != null; ) {
			batch.add(next);
		}
		if (batch.isEmpty()) {
			return;
		}
		try {
			write(batch);
		} catch (RuntimeException e) {
			if (batch.size() == 1) {
				batch.get(0).failure = e;
			} else {
				// one record the table refuses (say, a value too long) must not fail the others' requests
				for (Pending one : batch) {
					try {
						write(List.of(one));
					} catch (RuntimeException alone) {
						one.failure = alone;
					}
				}
			}
		} finally {
			batch.forEach(p -> p.done = true);
		}
	}

	private void write(List<Pending> batch) {
		Tip written = append(last -> writeBatch(batch, last), batch.size());
		long first = written.seq() - batch.size() + 1;
		for (int i = 0; i < batch.size(); i++) {
			batch.get(i).seq = first + i;
		}
	}

	/** The records chained after {@code last}, with their patients, in one statement (committed on its own). */
	private Tip writeBatch(List<Pending> batch, Tip last) throws SQLException {
		int n = batch.size();
		Long[] seqs = new Long[n];
		String[] recorded = new String[n];
		String[] records = new String[n];
		String[] previous = new String[n];
		String[] hashes = new String[n];
		List<String> patients = new ArrayList<>();
		List<Long> patientSeqs = new ArrayList<>();
		Tip tip = last;
		for (int i = 0; i < n; i++) {
			Row row = row(batch.get(i).fields, tip);
			seqs[i] = row.seq();
			recorded[i] = row.recorded().toString();
			records[i] = row.canonical();
			previous[i] = row.previous();
			hashes[i] = row.hash();
			for (String patient : batch.get(i).patients) {
				patients.add(patient);
				patientSeqs.add(row.seq());
			}
			tip = new Tip(row.seq(), row.hash());
		}
		try (Connection connection = dataSource.getConnection();
				PreparedStatement insert = connection.prepareStatement(INSERT_BATCH)) {
			insert.setArray(1, connection.createArrayOf("varchar", patients.toArray(String[]::new)));
			insert.setArray(2, connection.createArrayOf("bigint", patientSeqs.toArray(Long[]::new)));
			insert.setArray(3, connection.createArrayOf("bigint", seqs));
			insert.setArray(4, connection.createArrayOf("varchar", recorded));
			insert.setArray(5, connection.createArrayOf("text", records));
			insert.setArray(6, connection.createArrayOf("varchar", previous));
			insert.setArray(7, connection.createArrayOf("varchar", hashes));
			insert.executeUpdate();
		}
		return tip;
	}

	/**
	 * Appends one record of bulk access (a completed export): the patients, chosen by a query, are
	 * indexed for the access log with one INSERT … SELECT, and the record carries their number as
	 * {@code patient_count} rather than the list. The query runs into a temporary table first, in
	 * the appending transaction.
	 */
	long append(Map<String, Object> fields, PatientSelection patients) {
		return append(last -> JdbcTransaction.run(dataSource, "Could not append to the audit trail", connection -> {
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
			Map<String, Object> record = new TreeMap<>(fields);
			// indexed first: the count goes into the record the hash covers
			try (PreparedStatement insert = connection.prepareStatement(
					"INSERT INTO vf_audit_patient (patient, seq) SELECT DISTINCT patient, ? FROM vf_audit_bulk_patient")) {
				insert.setLong(1, last.seq() + 1);
				record.put("patient_count", insert.executeUpdate());
			}
			Row row = row(record, last);
			try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
				row.bind(insert, 1);
				insert.executeUpdate();
			}
			return new Tip(row.seq(), row.hash());
		}), 1).seq();
	}

	@FunctionalInterface
	private interface Attempt {
		/** Writes the record after {@code last}; returns the new newest record. */
		Tip write(Tip last) throws SQLException;
	}

	/**
	 * Runs the attempt (writing {@code records} records) after the newest record known; when another
	 * instance took that number, reads the table and tries again. Returns the new newest record.
	 */
	private Tip append(Attempt attempt, int records) {
		appending.lock();
		try {
			for (int tries = 1; ; tries++) {
				Tip last = tip != null ? tip : newestInTable();
				try {
					tip = attempt.write(last);
					for (int i = 0; i < records; i++) {
						metrics.auditRecordWritten();
					}
					return tip;
				} catch (SQLException | RuntimeException e) {
					tip = null;
					if (tries >= ATTEMPTS || !takenByAnother(e)) {
						throw e instanceof RuntimeException r ? r
								: new IllegalStateException("Could not append to the audit trail: " + e.getMessage(), e);
					}
				}
			}
		} finally {
			appending.unlock();
		}
	}

	private Tip newestInTable() {
		List<Tip> newest = jdbc.query("SELECT seq, hash FROM vf_audit_event ORDER BY seq DESC LIMIT 1",
				(rows, i) -> new Tip(rows.getLong(1), rows.getString(2)));
		return newest.isEmpty() ? new Tip(0, GENESIS) : newest.get(0);
	}

	private static boolean takenByAnother(Throwable e) {
		for (Throwable cause = e; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
				return true;
			}
		}
		return false;
	}

	/** The record after {@code last}: its seq and time added, canonical text, hash chained from {@code last}. */
	private Row row(Map<String, Object> fields, Tip last) {
		long seq = last.seq() + 1;
		Instant recorded = Instant.now();
		Map<String, Object> record = new TreeMap<>(fields);
		record.put("seq", seq);
		record.put("recorded", recorded.toString());
		String canonical = canonical(record);
		return new Row(seq, recorded, canonical, last.hash(), hash(last.hash(), canonical));
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
