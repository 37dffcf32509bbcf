package vn.ehealth.fhir.server.claimxml;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/** Claim XML jobs ({@code vf_claim_xml_job}) and their refused episodes ({@code vf_claim_xml_error}). */
final class ClaimXmlJobStore {

	enum Status { RUNNING, COMPLETED, FAILED, CANCELLED }

	record Job(String id, Status status, String node, String clientId, String request, int files, int filesDone,
			int episodesStored, int episodesRefused, Instant createdAt, String message, String manifest) {}

	private final JdbcTemplate jdbc;

	ClaimXmlJobStore(DataSource dataSource) {
		this.jdbc = new JdbcTemplate(dataSource);
	}

	void create(String id, String node, String clientId, String request, int files) {
		jdbc.update("INSERT INTO vf_claim_xml_job (id, status, node, client_id, request, files, created_at) VALUES (?, 'running', ?, ?, ?, ?, ?)",
				id, node, clientId, request, files, Timestamp.from(Instant.now()));
	}

	Optional<Job> find(String id) {
		return jdbc.query("SELECT * FROM vf_claim_xml_job WHERE id = ?", ClaimXmlJobStore::row, id).stream().findFirst();
	}

	/** Moves the counters on; false when the job is no longer running (cancelled): the runner stops. */
	boolean progress(String id, int filesDone, int stored, int refused) {
		return jdbc.update("UPDATE vf_claim_xml_job SET files_done = ?, episodes_stored = ?, episodes_refused = ? "
				+ "WHERE id = ? AND status = 'running'", filesDone, stored, refused, id) == 1;
	}

	void addError(String id, int seq, String outcome) {
		jdbc.update("INSERT INTO vf_claim_xml_error (job_id, seq, outcome) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", id, seq, outcome);
	}

	void forEachError(String id, Consumer<String> consumer) {
		jdbc.query("SELECT outcome FROM vf_claim_xml_error WHERE job_id = ? ORDER BY seq", rows -> {
			consumer.accept(rows.getString(1));
		}, id);
	}

	void finish(String id, Status status, String message, String manifest) {
		jdbc.update("UPDATE vf_claim_xml_job SET status = ?, finished_at = now(), message = ?, manifest = ? "
				+ "WHERE id = ? AND status = 'running'", status.name().toLowerCase(java.util.Locale.ROOT), message, manifest, id);
	}

	/** Cancels a running job, or deletes a finished one (its errors go); false if already so. */
	boolean cancel(String id) {
		int changed = jdbc.update("UPDATE vf_claim_xml_job SET status = 'cancelled', finished_at = now(), manifest = NULL "
				+ "WHERE id = ? AND status <> 'cancelled'", id);
		if (changed == 1) {
			jdbc.update("DELETE FROM vf_claim_xml_error WHERE job_id = ?", id);
		}
		return changed == 1;
	}

	/**
	 * Jobs this node was running when it stopped: their bodies were in its memory, so they fail, saying
	 * to send again (which is safe: each episode replaces itself).
	 */
	void failInterrupted(String node) {
		jdbc.update("UPDATE vf_claim_xml_job SET status = 'failed', finished_at = now(), message = ? WHERE node = ? AND status = 'running'",
				"Máy chủ khởi động lại giữa chừng; hãy gửi lại (an toàn: hồ sơ đã lưu được thay bằng chính nó) / "
						+ "The server restarted during the job; send it again (safe: stored episodes replace themselves)", node);
	}

	/** Removes jobs finished before {@code before}, with their errors. */
	void deleteFinishedBefore(Instant before) {
		Timestamp cutoff = Timestamp.from(before);
		jdbc.update("DELETE FROM vf_claim_xml_error WHERE job_id IN (SELECT id FROM vf_claim_xml_job WHERE status <> 'running' AND finished_at < ?)", cutoff);
		jdbc.update("DELETE FROM vf_claim_xml_job WHERE status <> 'running' AND finished_at < ?", cutoff);
	}

	private static Job row(ResultSet rs, int n) throws SQLException {
		return new Job(rs.getString("id"), Status.valueOf(rs.getString("status").toUpperCase(java.util.Locale.ROOT)),
				rs.getString("node"), rs.getString("client_id"), rs.getString("request"), rs.getInt("files"),
				rs.getInt("files_done"), rs.getInt("episodes_stored"), rs.getInt("episodes_refused"),
				rs.getTimestamp("created_at").toInstant(), rs.getString("message"), rs.getString("manifest"));
	}

}
