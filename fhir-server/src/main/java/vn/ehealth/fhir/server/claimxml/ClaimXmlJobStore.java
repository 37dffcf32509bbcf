package vn.ehealth.fhir.server.claimxml;

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
 * Claim XML jobs ({@code vf_claim_xml_job}), their bodies until they end ({@code vf_claim_xml_job_input})
 * and their refused episodes ({@code vf_claim_xml_error}).
 */
final class ClaimXmlJobStore {

	enum Status { RUNNING, COMPLETED, FAILED, CANCELLED }

	record Job(String id, Status status, String node, String clientId, String request, int files, int filesDone,
			int episodesStored, int episodesRefused, Instant createdAt, String message, String manifest) {}

	/** Where a running job stands at its last finished file: what a resumed run starts from. */
	record Resume(String request, String access, int files, int filesDone, int stored, int refused, int errorsDone,
			String types, boolean zip, byte[] body) {}

	private final JdbcTemplate jdbc;

	ClaimXmlJobStore(DataSource dataSource) {
		this.jdbc = new JdbcTemplate(dataSource);
	}

	/** The job and its body (kept until the job ends, so another run can resume it). */
	void create(String id, String node, String clientId, String access, String request, int files, boolean zip, byte[] body) {
		jdbc.update("INSERT INTO vf_claim_xml_job_input (job_id, zip, body) VALUES (?, ?, ?)", id, zip, body);
		jdbc.update("INSERT INTO vf_claim_xml_job (id, status, node, client_id, access, request, files, created_at, heartbeat_at) "
				+ "VALUES (?, 'running', ?, ?, ?, ?, ?, now(), now())", id, node, clientId, access, request, files);
	}

	/** The running job {@code node} owns, with its body; empty when it is not (or no longer) this node's. */
	Optional<Resume> resume(String id, String node) {
		return jdbc.query("SELECT j.*, i.zip, i.body FROM vf_claim_xml_job j JOIN vf_claim_xml_job_input i ON i.job_id = j.id "
				+ "WHERE j.id = ? AND j.status = 'running' AND j.node = ?", (rs, n) -> new Resume(rs.getString("request"),
						rs.getString("access"), rs.getInt("files"), rs.getInt("files_done"), rs.getInt("episodes_stored"),
						rs.getInt("episodes_refused"), rs.getInt("errors_done"), rs.getString("types"), rs.getBoolean("zip"),
						rs.getBytes("body")), id, node).stream().findFirst();
	}

	/**
	 * Makes {@code node} the owner of running jobs: at start-up its own (their runs ended with the
	 * process), and any other node's whose heartbeat is older than {@code stale} (that node stopped).
	 * The jobs' ids, oldest first.
	 */
	List<String> takeOver(String node, boolean ownToo, Duration stale) {
		return jdbc.queryForList("UPDATE vf_claim_xml_job SET node = ?, heartbeat_at = now() WHERE status = 'running' "
				+ "AND ((? AND node = ?) OR (node <> ? AND heartbeat_at < now() - make_interval(secs => ?))) RETURNING id, created_at",
				node, ownToo, node, node, (double) stale.toSeconds()).stream()
				.sorted(java.util.Comparator.comparing(row -> (Timestamp) row.get("created_at")))
				.map(row -> (String) row.get("id")).toList();
	}

	/** The run goes on: false when the job is no longer running on {@code node} (cancelled, or taken over). */
	boolean heartbeat(String id, String node) {
		return jdbc.update("UPDATE vf_claim_xml_job SET heartbeat_at = now() WHERE id = ? AND status = 'running' AND node = ?",
				id, node) == 1;
	}

	/** Errors recorded after the last finished file (a resumed run reads that file again and records them again). */
	void dropErrorsAfter(String id, int errorsDone) {
		jdbc.update("DELETE FROM vf_claim_xml_error WHERE job_id = ? AND seq > ?", id, errorsDone);
	}

	Optional<Job> find(String id) {
		return jdbc.query("SELECT * FROM vf_claim_xml_job WHERE id = ?", ClaimXmlJobStore::row, id).stream().findFirst();
	}

	/**
	 * Moves the counters on at a file boundary; false when the job is no longer running on {@code node}
	 * (cancelled, or taken over): the runner stops.
	 */
	boolean progress(String id, String node, int filesDone, int stored, int refused, int errorsDone, String types) {
		return jdbc.update("UPDATE vf_claim_xml_job SET files_done = ?, episodes_stored = ?, episodes_refused = ?, "
				+ "errors_done = ?, types = ?, heartbeat_at = now() WHERE id = ? AND status = 'running' AND node = ?",
				filesDone, stored, refused, errorsDone, types, id, node) == 1;
	}

	void addError(String id, int seq, String outcome) {
		jdbc.update("INSERT INTO vf_claim_xml_error (job_id, seq, outcome) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", id, seq, outcome);
	}

	void forEachError(String id, Consumer<String> consumer) {
		jdbc.query("SELECT outcome FROM vf_claim_xml_error WHERE job_id = ? ORDER BY seq", rows -> {
			consumer.accept(rows.getString(1));
		}, id);
	}

	/** Ends the job (if still {@code node}'s) and lets its body go. */
	void finish(String id, String node, Status status, String message, String manifest) {
		int changed = jdbc.update("UPDATE vf_claim_xml_job SET status = ?, finished_at = now(), message = ?, manifest = ? "
				+ "WHERE id = ? AND status = 'running' AND node = ?", status.name().toLowerCase(java.util.Locale.ROOT), message,
				manifest, id, node);
		if (changed == 1) {
			jdbc.update("DELETE FROM vf_claim_xml_job_input WHERE job_id = ?", id);
		}
	}

	/** Cancels a running job, or deletes a finished one (its errors go); false if already so. */
	boolean cancel(String id) {
		int changed = jdbc.update("UPDATE vf_claim_xml_job SET status = 'cancelled', finished_at = now(), manifest = NULL "
				+ "WHERE id = ? AND status <> 'cancelled'", id);
		if (changed == 1) {
			jdbc.update("DELETE FROM vf_claim_xml_error WHERE job_id = ?", id);
			jdbc.update("DELETE FROM vf_claim_xml_job_input WHERE job_id = ?", id);
		}
		return changed == 1;
	}

	/** Removes jobs finished before {@code before}, with their errors. */
	void deleteFinishedBefore(Instant before) {
		Timestamp cutoff = Timestamp.from(before);
		jdbc.update("DELETE FROM vf_claim_xml_error WHERE job_id IN (SELECT id FROM vf_claim_xml_job WHERE status <> 'running' AND finished_at < ?)", cutoff);
		jdbc.update("DELETE FROM vf_claim_xml_job_input WHERE job_id IN (SELECT id FROM vf_claim_xml_job WHERE status <> 'running')");
		jdbc.update("DELETE FROM vf_claim_xml_job WHERE status <> 'running' AND finished_at < ?", cutoff);
	}

	private static Job row(ResultSet rs, int n) throws SQLException {
		return new Job(rs.getString("id"), Status.valueOf(rs.getString("status").toUpperCase(java.util.Locale.ROOT)),
				rs.getString("node"), rs.getString("client_id"), rs.getString("request"), rs.getInt("files"),
				rs.getInt("files_done"), rs.getInt("episodes_stored"), rs.getInt("episodes_refused"),
				rs.getTimestamp("created_at").toInstant(), rs.getString("message"), rs.getString("manifest"));
	}

}
