package vn.ehealth.fhir.server.bulkimport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * $import jobs and their per-line errors, in two tables of our own next to HAPI's. The job row is
 * the single source of truth shared by every server node on the database: a job is claimed with
 * {@code FOR UPDATE SKIP LOCKED} so exactly one node runs it, and each stored chunk moves its
 * checkpoint (and heartbeat) forward only while that node still owns it.
 */
class ImportJobStore {

	private static final TypeReference<List<ImportJob.Input>> INPUTS = new TypeReference<>() {};

	private final JdbcTemplate jdbc;
	private final ObjectMapper json = new ObjectMapper();

	/** A line that was not imported: its input, 1-based line number, and the OperationOutcome (JSON) saying why. */
	record LineError(int input, long line, String outcome) {}

	ImportJobStore(DataSource dataSource) {
		this.jdbc = new JdbcTemplate(dataSource);
	}

	void create(ImportJob job) {
		jdbc.update(
				"INSERT INTO vf_bulk_import_job (id, status, uploaded, node, client_id, facility, purpose, request, inputs, created_at) "
						+ "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				job.id(), ImportJob.Status.QUEUED.code(), job.uploaded(), job.node(), job.clientId(), job.facility(),
				job.purpose(), job.request(), write(job.inputs()), Timestamp.from(job.createdAt()));
	}

	Optional<ImportJob> find(String id) {
		return jdbc.query("SELECT * FROM vf_bulk_import_job WHERE id = ?", this::row, id).stream().findFirst();
	}

	/**
	 * Takes the oldest queued job this node may run (URL jobs: any node; uploads: the node holding the
	 * file), or none. SKIP LOCKED: two nodes asking at once get different jobs, never the same one.
	 */
	Optional<ImportJob> claim(String node) {
		return jdbc.query(
						"UPDATE vf_bulk_import_job SET status = 'running', node = ?, attempts = attempts + 1, "
								+ "heartbeat_at = now(), started_at = COALESCE(started_at, now()) "
								+ "WHERE id = (SELECT id FROM vf_bulk_import_job WHERE status = 'queued' "
								+ "AND (uploaded = FALSE OR node = ?) ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED) "
								+ "RETURNING *",
						this::row, node, node)
				.stream()
				.findFirst();
	}

	/** Saves progress; false when the job is no longer this node's to run (cancelled, or taken over). */
	boolean checkpoint(String id, String node, Checkpoint checkpoint) {
		return jdbc.update(
						"UPDATE vf_bulk_import_job SET checkpoint = ?, heartbeat_at = now() "
								+ "WHERE id = ? AND status = 'running' AND node = ?",
						write(checkpoint), id, node)
				== 1;
	}

	/** Tells the other nodes this job's node is alive (while it downloads); false as for {@link #checkpoint}. */
	boolean heartbeat(String id, String node) {
		return jdbc.update(
						"UPDATE vf_bulk_import_job SET heartbeat_at = now() WHERE id = ? AND status = 'running' AND node = ?",
						id, node)
				== 1;
	}

	void setTransactionTime(String id, Instant time) {
		jdbc.update("UPDATE vf_bulk_import_job SET transaction_time = ? WHERE id = ?", Timestamp.from(time), id);
	}

	/** Starts the job's progress again from the first line (its inputs were fetched anew). */
	void resetProgress(String id) {
		jdbc.update("UPDATE vf_bulk_import_job SET checkpoint = NULL WHERE id = ?", id);
		jdbc.update("DELETE FROM vf_bulk_import_error WHERE job_id = ?", id);
	}

	/** Records failed lines; a line recorded before (a chunk redone after a restart) is kept once. */
	void addErrors(String jobId, List<LineError> errors) {
		if (errors.isEmpty()) {
			return;
		}
		jdbc.batchUpdate(
				"INSERT INTO vf_bulk_import_error (job_id, input_index, line, outcome) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
				errors,
				errors.size(),
				(statement, error) -> {
					statement.setString(1, jobId);
					statement.setInt(2, error.input());
					statement.setLong(3, error.line());
					statement.setString(4, error.outcome());
				});
	}

	long errorCount(String jobId) {
		Long count = jdbc.queryForObject("SELECT count(*) FROM vf_bulk_import_error WHERE job_id = ?", Long.class, jobId);
		return count == null ? 0 : count;
	}

	/** The job's errors in input and line order, one OperationOutcome (JSON) at a time. */
	void forEachError(String jobId, Consumer<LineError> consumer) {
		jdbc.query(
				"SELECT input_index, line, outcome FROM vf_bulk_import_error WHERE job_id = ? ORDER BY input_index, line",
				rows -> {
					consumer.accept(new LineError(rows.getInt(1), rows.getLong(2), rows.getString(3)));
				},
				jobId);
	}

	boolean complete(String id, String node, String manifest, String message) {
		return jdbc.update(
						"UPDATE vf_bulk_import_job SET status = 'completed', finished_at = now(), manifest = ?, message = ? "
								+ "WHERE id = ? AND status = 'running' AND node = ?",
						manifest, message, id, node)
				== 1;
	}

	boolean fail(String id, String node, int status, String message) {
		return jdbc.update(
						"UPDATE vf_bulk_import_job SET status = 'failed', finished_at = now(), failure_status = ?, message = ? "
								+ "WHERE id = ? AND status = 'running' AND node = ?",
						status, message, id, node)
				== 1;
	}

	/**
	 * Cancels a queued or running job, or marks a finished one deleted; its error lines go. False if it
	 * was already cancelled or deleted. A running job's node sees this at its next checkpoint and stops.
	 */
	boolean cancel(String id) {
		int changed = jdbc.update(
				"UPDATE vf_bulk_import_job SET status = 'cancelled', finished_at = now(), manifest = NULL "
						+ "WHERE id = ? AND status <> 'cancelled'",
				id);
		if (changed == 1) {
			jdbc.update("DELETE FROM vf_bulk_import_error WHERE job_id = ?", id);
		}
		return changed == 1;
	}

	/** Jobs this node was running when it stopped: queued again, to continue from their checkpoint. */
	int requeueInterrupted(String node, String message) {
		return jdbc.update(
				"UPDATE vf_bulk_import_job SET status = 'queued', message = ? WHERE status = 'running' AND node = ?",
				message, node);
	}

	/**
	 * Jobs whose node stopped reporting (it died): queued again. A URL job goes to any node; an upload
	 * waits for the node that holds its file.
	 */
	int requeueStale(Duration staleAfter, String message) {
		return jdbc.update(
				"UPDATE vf_bulk_import_job SET status = 'queued', message = ?, node = CASE WHEN uploaded THEN node ELSE NULL END "
						+ "WHERE status = 'running' AND heartbeat_at < ?",
				message, Timestamp.from(Instant.now().minus(staleAfter)));
	}

	/** Removes jobs finished longer ago than the retention, with their errors. */
	void deleteFinishedBefore(Instant before) {
		Timestamp cutoff = Timestamp.from(before);
		jdbc.update(
				"DELETE FROM vf_bulk_import_error WHERE job_id IN "
						+ "(SELECT id FROM vf_bulk_import_job WHERE status IN ('completed', 'failed', 'cancelled') AND finished_at < ?)",
				cutoff);
		jdbc.update(
				"DELETE FROM vf_bulk_import_job WHERE status IN ('completed', 'failed', 'cancelled') AND finished_at < ?",
				cutoff);
	}

	/** Ids of jobs that still need their files (queued or running). */
	List<String> activeIds() {
		return jdbc.queryForList("SELECT id FROM vf_bulk_import_job WHERE status IN ('queued', 'running')", String.class);
	}

	private ImportJob row(ResultSet rs, int rowNum) throws SQLException {
		String checkpoint = rs.getString("checkpoint");
		Number failure = (Number) rs.getObject("failure_status");
		return new ImportJob(
				rs.getString("id"),
				ImportJob.Status.of(rs.getString("status")),
				rs.getBoolean("uploaded"),
				rs.getString("node"),
				rs.getString("client_id"),
				rs.getString("facility"),
				rs.getString("purpose"),
				rs.getString("request"),
				read(rs.getString("inputs"), INPUTS),
				instant(rs, "created_at"),
				instant(rs, "started_at"),
				instant(rs, "finished_at"),
				instant(rs, "transaction_time"),
				checkpoint == null ? null : read(checkpoint, new TypeReference<Checkpoint>() {}),
				rs.getInt("attempts"),
				rs.getString("message"),
				failure == null ? null : failure.intValue(),
				rs.getString("manifest"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp value = rs.getTimestamp(column);
		return value == null ? null : value.toInstant();
	}

	private String write(Object value) {
		try {
			return json.writeValueAsString(value);
		} catch (JsonProcessingException e) {
			throw new IllegalStateException(e);
		}
	}

	private <T> T read(String text, TypeReference<T> type) {
		try {
			return json.readValue(text, type);
		} catch (JsonProcessingException e) {
			throw new IllegalStateException("Stored import job data does not parse: " + e.getMessage(), e);
		}
	}
}
