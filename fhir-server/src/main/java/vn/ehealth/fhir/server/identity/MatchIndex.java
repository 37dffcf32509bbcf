package vn.ehealth.fhir.server.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Patient;

/**
 * The tables {@code $match} and the duplicate check read: each current Patient's normalised features
 * ({@code vf_patient_match}) and blocking keys ({@code vf_patient_match_key}). Rows are written on the
 * connection given, which for a write is the Patient's own transaction ({@link MatchIndexHooks}).
 * A Patient merged into another (a {@code replaced-by} link) or deleted has no rows: it is never a
 * candidate again.
 */
final class MatchIndex {

	/** A stored Patient that shares at least one blocking key with the one looked up. */
	record Candidate(String patientId, PersonFeatures features, String province) {}

	static final String REMOVE_KEYS = "DELETE FROM vf_patient_match_key WHERE patient_id = ?";
	static final String REMOVE_FEATURES = "DELETE FROM vf_patient_match WHERE patient_id = ?";
	static final String PUT_FEATURES = "INSERT INTO vf_patient_match (patient_id, province, features) VALUES (?, ?, ?) "
			+ "ON CONFLICT (patient_id) DO UPDATE SET province = EXCLUDED.province, features = EXCLUDED.features";
	static final String PUT_KEY = "INSERT INTO vf_patient_match_key (match_key, patient_id) VALUES (?, ?) ON CONFLICT DO NOTHING";
	// the Patients sharing most keys first; each key is one index range, so the cost follows the
	// size of the blocks, not of the population
	static final String CANDIDATES = "SELECT m.patient_id, m.features, m.province FROM vf_patient_match m JOIN ("
			+ " SELECT patient_id, count(*) AS shared FROM vf_patient_match_key WHERE match_key = ANY (?) AND patient_id <> ?"
			+ " GROUP BY patient_id ORDER BY shared DESC, patient_id LIMIT ?) k ON k.patient_id = m.patient_id"
			+ " ORDER BY k.shared DESC, m.patient_id";

	private static final ObjectMapper JSON = new ObjectMapper();

	private MatchIndex() {}

	/** Whether the Patient has been merged into another (HAPI's $merge adds this link to the source). */
	static boolean mergedAway(Patient patient) {
		return patient.getLink().stream().anyMatch(l -> l.getType() == Patient.LinkType.REPLACEDBY);
	}

	/** Stores the Patient's rows (replacing earlier ones), or removes them when it is merged away. */
	static PersonFeatures put(Connection connection, String patientId, Patient patient) throws SQLException {
		remove(connection, patientId);
		if (mergedAway(patient)) {
			return null;
		}
		PersonFeatures features = PersonFeatures.of(patient);
		try (PreparedStatement put = connection.prepareStatement(PUT_FEATURES)) {
			put.setString(1, patientId);
			put.setString(2, features.province());
			put.setString(3, json(features));
			put.executeUpdate();
		}
		try (PreparedStatement key = connection.prepareStatement(PUT_KEY)) {
			for (String k : features.keys()) {
				key.setString(1, k.length() > 200 ? k.substring(0, 200) : k);
				key.setString(2, patientId);
				key.addBatch();
			}
			key.executeBatch();
		}
		return features;
	}

	static void remove(Connection connection, String patientId) throws SQLException {
		for (String sql : List.of(REMOVE_KEYS, REMOVE_FEATURES)) {
			try (PreparedStatement remove = connection.prepareStatement(sql)) {
				remove.setString(1, patientId);
				remove.executeUpdate();
			}
		}
	}

	/** At most {@code cap} stored Patients sharing a key with these features, other than {@code self}. */
	static List<Candidate> candidates(Connection connection, Set<String> keys, String self, int cap) throws SQLException {
		List<Candidate> found = new ArrayList<>();
		if (keys.isEmpty()) {
			return found;
		}
		try (PreparedStatement query = connection.prepareStatement(CANDIDATES)) {
			query.setArray(1, connection.createArrayOf("varchar", keys.toArray()));
			query.setString(2, self == null ? "" : self);
			query.setInt(3, cap);
			try (ResultSet rows = query.executeQuery()) {
				while (rows.next()) {
					found.add(new Candidate(rows.getString(1), features(rows.getString(2)), rows.getString(3)));
				}
			}
		}
		return found;
	}

	private static String json(PersonFeatures features) {
		try {
			return JSON.writeValueAsString(features);
		} catch (JsonProcessingException e) {
			throw new IllegalStateException(e);
		}
	}

	private static PersonFeatures features(String json) {
		try {
			return JSON.readValue(json, PersonFeatures.class);
		} catch (JsonProcessingException e) {
			throw new IllegalStateException("vf_patient_match holds unreadable features: " + e.getMessage(), e);
		}
	}
}
