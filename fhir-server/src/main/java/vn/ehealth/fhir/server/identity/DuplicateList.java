package vn.ehealth.fhir.server.identity;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * The possible-duplicates review list ({@code vf_patient_duplicate}): pairs of current Patients whose
 * score is probable, found when either was created or changed, per province. A reviewer's "not a
 * duplicate" is kept and the pair is never suggested again; a merge closes the pair, its undo opens it again.
 */
final class DuplicateList {

	/** One pair, {@code a < b}. */
	record Pair(String a, String b, double score, String grade, String evidence, String province, String status,
			Timestamp found, String decidedBy) {}

	// an open pair gets the newer evidence; a decided one stays decided
	static final String SUGGEST = "INSERT INTO vf_patient_duplicate (patient_a, patient_b, score, grade, evidence, province)"
			+ " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (patient_a, patient_b) DO UPDATE SET score = EXCLUDED.score,"
			+ " grade = EXCLUDED.grade, evidence = EXCLUDED.evidence, province = EXCLUDED.province"
			+ " WHERE vf_patient_duplicate.status = 'open'";
	static final String DECIDE = "INSERT INTO vf_patient_duplicate (patient_a, patient_b, score, grade, evidence, status, decided, decided_by)"
			+ " VALUES (?, ?, 0, 'reviewed', '', ?, now(), ?) ON CONFLICT (patient_a, patient_b) DO UPDATE SET status = EXCLUDED.status,"
			+ " decided = now(), decided_by = EXCLUDED.decided_by";
	static final String CLOSE_MERGED = "UPDATE vf_patient_duplicate SET status = 'merged', decided = now()"
			+ " WHERE status = 'open' AND (patient_a = ? OR patient_b = ?)";
	// an undone merge: the pairs its merge closed are open again, unless the other Patient is gone since
	static final String REOPEN_MERGED = "UPDATE vf_patient_duplicate SET status = 'open', decided = NULL, decided_by = NULL"
			+ " WHERE status = 'merged' AND (patient_a = ? OR patient_b = ?) AND EXISTS (SELECT 1 FROM vf_patient_match m"
			+ " WHERE m.patient_id = CASE WHEN patient_a = ? THEN patient_b ELSE patient_a END)";
	static final String DROP_OPEN = "DELETE FROM vf_patient_duplicate WHERE status = 'open' AND (patient_a = ? OR patient_b = ?)";
	static final String LIST = "SELECT patient_a, patient_b, score, grade, evidence, province, status, found, decided_by"
			+ " FROM vf_patient_duplicate WHERE status = ? AND (CAST(? AS VARCHAR) IS NULL OR province = ?)"
			+ " ORDER BY score DESC, found, patient_a, patient_b LIMIT ?";

	private DuplicateList() {}

	static void suggest(Connection connection, String x, String y, MatchScore score, String province) throws SQLException {
		boolean ordered = x.compareTo(y) < 0;
		try (PreparedStatement insert = connection.prepareStatement(SUGGEST)) {
			insert.setString(1, ordered ? x : y);
			insert.setString(2, ordered ? y : x);
			insert.setBigDecimal(3, BigDecimal.valueOf(score.score()));
			insert.setString(4, score.grade());
			insert.setString(5, String.join("; ", score.evidence()));
			insert.setString(6, province);
			insert.executeUpdate();
		}
	}

	/** Records a reviewer's decision on a pair ({@code not-duplicate}), remembered from then on. */
	static void decide(Connection connection, String x, String y, String status, String reviewer) throws SQLException {
		boolean ordered = x.compareTo(y) < 0;
		try (PreparedStatement decide = connection.prepareStatement(DECIDE)) {
			decide.setString(1, ordered ? x : y);
			decide.setString(2, ordered ? y : x);
			decide.setString(3, status);
			decide.setString(4, reviewer);
			decide.executeUpdate();
		}
	}

	/** The Patient was merged into another (closes its open pairs) or deleted (drops them). */
	static void gone(Connection connection, String patientId, boolean merged) throws SQLException {
		try (PreparedStatement update = connection.prepareStatement(merged ? CLOSE_MERGED : DROP_OPEN)) {
			update.setString(1, patientId);
			update.setString(2, patientId);
			update.executeUpdate();
		}
	}

	/** The Patient's merge was undone: the pairs closed by it are back on the list, as before the merge. */
	static void unmerged(Connection connection, String patientId) throws SQLException {
		try (PreparedStatement update = connection.prepareStatement(REOPEN_MERGED)) {
			update.setString(1, patientId);
			update.setString(2, patientId);
			update.setString(3, patientId);
			update.executeUpdate();
		}
	}

	static List<Pair> list(Connection connection, String status, String province, int limit) throws SQLException {
		List<Pair> pairs = new ArrayList<>();
		try (PreparedStatement query = connection.prepareStatement(LIST)) {
			query.setString(1, status);
			query.setString(2, province);
			query.setString(3, province);
			query.setInt(4, limit);
			try (ResultSet rows = query.executeQuery()) {
				while (rows.next()) {
					pairs.add(new Pair(rows.getString(1), rows.getString(2), rows.getBigDecimal(3).doubleValue(),
							rows.getString(4), rows.getString(5), rows.getString(6), rows.getString(7),
							rows.getTimestamp(8), rows.getString(9)));
				}
			}
		}
		return pairs;
	}
}
