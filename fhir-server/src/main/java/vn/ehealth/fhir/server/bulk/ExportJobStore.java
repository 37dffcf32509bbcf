package vn.ehealth.fhir.server.bulk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * Export jobs in PostgreSQL (table vf_bulk_export_job), so that every node sees them, exactly one node
 * runs each (claimed with FOR UPDATE SKIP LOCKED), and a job survives the restart of the node that ran
 * it: its heartbeat stops, and after {@code staleAfter} another worker (or the same node, restarted)
 * claims it again and starts it over.
 */
class ExportJobStore {

	enum Status {
		QUEUED,
		RUNNING,
		COMPLETED,
		FAILED,
		/** Deleted by the client: files removed, polls answer 404. */
		CANCELLED,
		/** Past retention: files removed, polls answer 404. */
		EXPIRED
	}

	record Job(
			String id,
			Status status,
			ExportRequest request,
			Instant transactionTime,
			Instant created,
			Instant finished,
			String progress,
			String manifest,
			String error,
			int attempts) {

		boolean gone() {
			return status == Status.CANCELLED || status == Status.EXPIRED;
		}
	}

	private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule()).build();

	private final JdbcTemplate jdbc;

	ExportJobStore(DataSource dataSource) {
		this.jdbc = new JdbcTemplate(dataSource);
	}

	String create(ExportRequest request) {
		String id = UUID.randomUUID().toString();
		jdbc.update("INSERT INTO vf_bulk_export_job (id, status, client_id, request, progress) VALUES (?, ?, ?, ?, ?)",
				id, Status.QUEUED.name(), request.clientId(), write(request), "queued");
		return id;
	}

	Optional<Job> find(String id) {
		return jdbc.query("SELECT * FROM vf_bulk_export_job WHERE id = ?", JOB, id).stream().findFirst();
	}

	/**
	 * Takes the oldest queued job, or a running one whose node went silent, for this worker. The row
	 * lock with SKIP LOCKED makes two nodes asking at once take different jobs.
	 */
	Optional<Job> claim(Duration staleAfter) {
		List<Job> claimed = jdbc.query("UPDATE vf_bulk_export_job SET status = 'RUNNING', heartbeat = now(),"
				+ " attempts = attempts + 1, progress = 'starting'"
				+ " WHERE id = (SELECT id FROM vf_bulk_export_job"
				+ "   WHERE status = 'QUEUED' OR (status = 'RUNNING' AND heartbeat < now() - make_interval(secs => ?))"
				+ "   ORDER BY created LIMIT 1 FOR UPDATE SKIP LOCKED)"
				+ " RETURNING *", JOB, (double) staleAfter.toMillis() / 1000);
		return claimed.stream().findFirst();
	}

	/** Records progress and proves this worker is alive; false when the job was cancelled meanwhile. */
	boolean heartbeat(String id, String progress) {
		return jdbc.update("UPDATE vf_bulk_export_job SET heartbeat = now(), progress = ? WHERE id = ? AND status = 'RUNNING'",
				progress, id) == 1;
	}

	void started(String id, Instant transactionTime) {
		jdbc.update("UPDATE vf_bulk_export_job SET transaction_time = ? WHERE id = ? AND status = 'RUNNING'",
				Timestamp.from(transactionTime), id);
	}

	/** The manifest is written in the same statement that marks the job done: no half-finished state. */
	boolean completed(String id, String manifest, String progress) {
		return jdbc.update("UPDATE vf_bulk_export_job SET status = 'COMPLETED', manifest = ?, progress = ?, finished = now()"
				+ " WHERE id = ? AND status = 'RUNNING'", manifest, progress, id) == 1;
	}

	void failed(String id, String error) {
		jdbc.update("UPDATE vf_bulk_export_job SET status = 'FAILED', error = ?, finished = now()"
				+ " WHERE id = ? AND status = 'RUNNING'", error, id);
	}

	/** Marks the job cancelled whatever its state; true if it existed and was not gone already. */
	boolean cancel(String id) {
		return jdbc.update("UPDATE vf_bulk_export_job SET status = 'CANCELLED', finished = now(), manifest = NULL"
				+ " WHERE id = ? AND status NOT IN ('CANCELLED', 'EXPIRED')", id) == 1;
	}

	/** Finished jobs past retention, to expire. */
	List<String> finishedBefore(Instant cutoff) {
		return jdbc.queryForList("SELECT id FROM vf_bulk_export_job WHERE status IN ('COMPLETED', 'FAILED')"
				+ " AND finished < ?", String.class, Timestamp.from(cutoff));
	}

	void expired(String id) {
		jdbc.update("UPDATE vf_bulk_export_job SET status = 'EXPIRED', manifest = NULL WHERE id = ?", id);
	}

	private static String write(ExportRequest request) {
		try {
			return JSON.writeValueAsString(request);
		} catch (JsonProcessingException e) {
			throw new IllegalStateException(e);
		}
	}

	private static ExportRequest read(String json) {
		try {
			return JSON.readValue(json, ExportRequest.class);
		} catch (JsonProcessingException e) {
			throw new IllegalStateException("Unreadable export job request: " + e.getMessage(), e);
		}
	}

	private static Instant instant(Timestamp timestamp) {
		return timestamp == null ? null : timestamp.toInstant();
	}

	private static final RowMapper<Job> JOB = (rs, row) -> new Job(
			rs.getString("id"),
			Status.valueOf(rs.getString("status")),
			read(rs.getString("request")),
			instant(rs.getTimestamp("transaction_time")),
			instant(rs.getTimestamp("created")),
			instant(rs.getTimestamp("finished")),
			rs.getString("progress"),
			rs.getString("manifest"),
			rs.getString("error"),
			rs.getInt("attempts"));
}
