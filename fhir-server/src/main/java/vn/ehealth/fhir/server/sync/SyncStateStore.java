package vn.ehealth.fhir.server.sync;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The sync's memory on the target, one row per source in {@code vf_sync_state}: the high-water mark
 * (the source export's transactionTime of the last run that applied everything), the last run's
 * outcome, and a lease so that of several nodes on one database only one runs the sync at a time.
 */
class SyncStateStore {

	private final JdbcTemplate jdbc;

	SyncStateStore(DataSource dataSource) {
		this.jdbc = new JdbcTemplate(dataSource);
	}

	/** Takes the source's lease for this node; false while another node holds a live one. */
	boolean lease(String source, String node, Duration length) {
		jdbc.update("INSERT INTO vf_sync_state (source) VALUES (?) ON CONFLICT DO NOTHING", source);
		return jdbc.update(
						"UPDATE vf_sync_state SET lease_node = ?, lease_until = ?, last_started = now(), last_status = 'running', "
								+ "last_message = NULL WHERE source = ? AND (lease_until IS NULL OR lease_until < now() OR lease_node = ?)",
						node, Timestamp.from(Instant.now().plus(length)), source, node)
				== 1;
	}

	/** Extends the lease; false if this node no longer holds it. */
	boolean renew(String source, String node, Duration length) {
		return jdbc.update("UPDATE vf_sync_state SET lease_until = ? WHERE source = ? AND lease_node = ?",
						Timestamp.from(Instant.now().plus(length)), source, node)
				== 1;
	}

	Optional<Instant> highWaterMark(String source) {
		List<Timestamp> marks = jdbc.queryForList("SELECT high_water_mark FROM vf_sync_state WHERE source = ?", Timestamp.class, source);
		return marks.isEmpty() || marks.get(0) == null ? Optional.empty() : Optional.of(marks.get(0).toInstant());
	}

	/** Records a run that applied everything: the mark moves to its transactionTime; the lease is released. */
	void completed(String source, String node, ProvinceSync.Result result) {
		jdbc.update("UPDATE vf_sync_state SET high_water_mark = ?, last_finished = now(), last_status = 'completed', "
						+ "last_message = NULL, last_received = ?, last_changed = ?, last_deletions = ?, last_deleted = ?, "
						+ "lease_node = NULL, lease_until = NULL WHERE source = ? AND lease_node = ?",
				Timestamp.from(result.transactionTime()), result.received(), result.changed(), result.deletionsReceived(),
				result.deleted(), source, node);
	}

	/** Records a run that did not finish; the mark stays. */
	void failed(String source, String node, String message) {
		jdbc.update("UPDATE vf_sync_state SET last_finished = now(), last_status = 'failed', last_message = ?, "
						+ "lease_node = NULL, lease_until = NULL WHERE source = ? AND lease_node = ?",
				message, source, node);
	}

	/** The row as JSON-ready fields (for /admin/sync); empty before the first run. */
	Map<String, Object> describe(String source) {
		List<Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM vf_sync_state WHERE source = ?", source);
		Map<String, Object> state = new LinkedHashMap<>();
		state.put("source", source);
		if (!rows.isEmpty()) {
			rows.get(0).forEach((column, value) -> {
				if (!column.equals("source") && !column.startsWith("lease_") && value != null) {
					state.put(column, value instanceof Timestamp time ? time.toInstant().toString() : value);
				}
			});
		}
		return state;
	}
}
