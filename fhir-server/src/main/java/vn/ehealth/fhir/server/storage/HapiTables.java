package vn.ehealth.fhir.server.storage;

import java.util.Map;
import java.util.Set;

/**
 * The one owner of HAPI's own tables: every SQL text this server runs against HAPI FHIR JPA's
 * schema (HFJ_*, NPM_PACKAGE_VER*, TRM_CONCEPT) is here, and {@link #NAMES} lists every table and
 * column those texts name. The features that read HAPI's tables directly for speed (Bulk Data
 * export, {@code $everything} and the patient summary, the full-text index rebuild) take their
 * queries and query pieces from here and only put them together; HAPI's DAOs remain the way to
 * write.
 *
 * <p>The texts are compile-time constants (joined by the compiler, not per query or per row), and
 * use the aliases given beside them: {@code r} = HFJ_RESOURCE, {@code v} = its current HFJ_RES_VER
 * row, {@code l} = HFJ_RES_LINK, {@code t} = HFJ_RES_TAG (or HFJ_SPIDX_TOKEN), {@code d} =
 * HFJ_TAG_DEF.
 *
 * <p>After a HAPI upgrade (or when adding a query here), two tests say whether these names still hold:
 * <ul>
 * <li>{@code HapiTablesTest} (fhir-server, seconds): {@link #NAMES} against the new HAPI's JPA entity
 * annotations ({@code @Table}, {@code @Column}, {@code @JoinColumn} in ca.uhn.fhir.jpa.model.entity
 * and ca.uhn.fhir.jpa.entity); every upper-case name in the SQL here is listed in {@link #NAMES}; no
 * other main source names a HAPI table in a string.
 * {@code mvn -B -o -pl fhir-server -am test -Dtest=HapiTablesTest -Dsurefire.failIfNoSpecifiedTests=false}
 * <li>{@code HapiSchemaTest} (tests, foundation): {@link #NAMES} against the schema HAPI created in
 * the real server's PostgreSQL (information_schema).
 * {@code mvn -B -o -pl tests -am verify -Dtest=HapiSchemaTest -Dsurefire.failIfNoSpecifiedTests=false}
 * </ul>
 * If either fails, HAPI's schema moved under us: fix the SQL here, and only here; then run the tests of
 * the features above (BulkExport*, BulkDataConformanceTest, EverythingAndLookupTest,
 * SummaryOperationTest, ScaleOutTest for the full-text rebuild).
 */
public final class HapiTables {

	private HapiTables() {}

	/** Every table of HAPI's schema the texts below name, with the columns of it they name. */
	public static final Map<String, Set<String>> NAMES = Map.of(
			"HFJ_RESOURCE", Set.of("RES_ID", "RES_TYPE", "FHIR_ID", "RES_VER", "RES_UPDATED", "RES_DELETED_AT", "HAS_TAGS"),
			"HFJ_RES_VER", Set.of("RES_ID", "RES_VER", "RES_ENCODING", "RES_TEXT_VC", "RES_TEXT", "SOURCE_URI", "REQUEST_ID"),
			"HFJ_RES_LINK", Set.of("SRC_RESOURCE_ID", "SOURCE_RESOURCE_TYPE", "TARGET_RESOURCE_ID", "TARGET_RESOURCE_TYPE",
					"SRC_PATH"),
			"HFJ_RES_TAG", Set.of("PID", "RES_ID", "RES_TYPE", "TAG_ID"),
			"HFJ_TAG_DEF", Set.of("TAG_ID", "TAG_TYPE", "TAG_SYSTEM", "TAG_CODE", "TAG_DISPLAY", "TAG_VERSION",
					"TAG_USER_SELECTED"),
			"HFJ_SPIDX_TOKEN", Set.of("RES_ID", "HASH_SYS_AND_VALUE", "HASH_VALUE"),
			"NPM_PACKAGE_VER", Set.of("BINARY_RES_ID"),
			"NPM_PACKAGE_VER_RES", Set.of("BINARY_RES_ID"),
			"TRM_CONCEPT", Set.of());

	// ---- conditions on r (HFJ_RESOURCE), to append to a WHERE

	public static final String AND_NOT_DELETED = " AND r.RES_DELETED_AT IS NULL";
	public static final String AND_TYPE_IN = " AND r.RES_TYPE = ANY(?)";
	public static final String AND_ID_IN = " AND r.RES_ID = ANY(?)";
	public static final String AND_UPDATED_AFTER = " AND r.RES_UPDATED > ?";
	public static final String AND_UPDATED_UNTIL = " AND r.RES_UPDATED <= ?";
	public static final String ORDER_BY_ID = " ORDER BY r.RES_ID";

	/**
	 * Rows of r that are not HAPI's own package storage: HAPI keeps each package it installs (the
	 * guide), and each resource in it, as a Binary (NPM_PACKAGE_VER, NPM_PACKAGE_VER_RES).
	 * Server-internal, not data: neither exported nor, through the export, synced.
	 */
	public static final String NOT_PACKAGE_STORAGE = "(r.RES_TYPE <> 'Binary'"
			+ " OR (NOT EXISTS (SELECT 1 FROM NPM_PACKAGE_VER pv WHERE pv.BINARY_RES_ID = r.RES_ID)"
			+ " AND NOT EXISTS (SELECT 1 FROM NPM_PACKAGE_VER_RES pr WHERE pr.BINARY_RES_ID = r.RES_ID)))";

	// ---- a resource's current version: JSON without id and meta, meta in columns (see StoredResourceText)

	/** r joined to its current version v. */
	static final String CURRENT_VERSION =
			" FROM HFJ_RESOURCE r JOIN HFJ_RES_VER v ON v.RES_ID = r.RES_ID AND v.RES_VER = r.RES_VER";

	/** The tag rows of resources, to be narrowed with a WHERE on t.RES_ID: RES_ID, then {@link StoredResourceText#addTag}'s fields. */
	static final String SELECT_TAGS =
			"SELECT t.RES_ID, d.TAG_TYPE, d.TAG_SYSTEM, d.TAG_CODE, d.TAG_DISPLAY, d.TAG_VERSION, d.TAG_USER_SELECTED"
					+ " FROM HFJ_RES_TAG t JOIN HFJ_TAG_DEF d ON d.TAG_ID = t.TAG_ID";
	private static final String TAGS_ORDER = " ORDER BY t.RES_ID, t.PID";
	/** {@link #SELECT_TAGS} of the resources with these RES_IDs (a bigint array). */
	public static final String TAGS_OF_IDS = SELECT_TAGS + " WHERE t.RES_ID = ANY(?)" + TAGS_ORDER;
	/** {@link #SELECT_TAGS} of all resources of one type, in RES_ID order. */
	public static final String TAGS_OF_TYPE = SELECT_TAGS + " WHERE t.RES_TYPE = ?" + TAGS_ORDER;
	/** Whether any resource of one type has a tag row. */
	public static final String ANY_TAG_OF_TYPE = "SELECT 1 FROM HFJ_RES_TAG WHERE RES_TYPE = ? LIMIT 1";
	private static final String TAGS_OF_ROWS = SELECT_TAGS + " WHERE t.RES_ID IN (SELECT r.RES_ID FROM HFJ_RESOURCE r WHERE ";
	private static final String TAGS_OF_ROWS_END = ")" + TAGS_ORDER;

	/** {@link #SELECT_TAGS} of the rows of r these conditions (on r, from this class) name, in RES_ID order. */
	public static String tagsOfRows(String conditions) {
		return TAGS_OF_ROWS + conditions + TAGS_OF_ROWS_END;
	}

	/** The patients' record ({@code $everything}, {@code $summary}): see summary.PatientRecordStore. */
	public static final class PatientRecord {

		private PatientRecord() {}

		/** The columns a resource is read from, in this order. */
		static final String COLUMNS = "r.RES_ID, r.RES_TYPE, r.FHIR_ID, r.RES_VER, r.RES_UPDATED, r.HAS_TAGS,"
				+ " v.RES_ENCODING, v.RES_TEXT_VC, v.RES_TEXT, v.SOURCE_URI, v.REQUEST_ID";

		/** RES_ID and RES_DELETED_AT of the Patient with this FHIR_ID. */
		public static final String PATIENT_BY_ID =
				"SELECT RES_ID, RES_DELETED_AT FROM HFJ_RESOURCE WHERE RES_TYPE = 'Patient' AND FHIR_ID = ?";

		private static final String PATIENTS_BY_TOKEN =
				"SELECT DISTINCT t.RES_ID FROM HFJ_SPIDX_TOKEN t JOIN HFJ_RESOURCE r ON r.RES_ID = t.RES_ID WHERE t.";
		private static final String PATIENTS_BY_TOKEN_END = " = ? AND r.RES_TYPE = 'Patient' AND r.RES_DELETED_AT IS NULL LIMIT ?";
		/** The current patients whose token index has this HAPI hash of system and value, at most ? of them. */
		public static final String PATIENTS_BY_SYSTEM_AND_VALUE_HASH =
				PATIENTS_BY_TOKEN + "HASH_SYS_AND_VALUE" + PATIENTS_BY_TOKEN_END;
		/** The current patients whose token index has this HAPI hash of the value alone, at most ? of them. */
		public static final String PATIENTS_BY_VALUE_HASH = PATIENTS_BY_TOKEN + "HASH_VALUE" + PATIENTS_BY_TOKEN_END;

		/**
		 * {@link #COLUMNS} of the patient (bigint) and, at most ? of each type (the newest), the current
		 * resources whose link to the patient (its RES_ID again) has one of these paths (varchar array).
		 */
		public static final String PATIENT_AND_COMPARTMENT = "SELECT " + COLUMNS + " FROM (SELECT k.id,"
				+ " ROW_NUMBER() OVER (PARTITION BY k.t ORDER BY k.id DESC) AS n FROM (SELECT ?::bigint AS id, 'Patient' AS t UNION"
				+ " SELECT l.SRC_RESOURCE_ID, l.SOURCE_RESOURCE_TYPE FROM HFJ_RES_LINK l"
				+ " WHERE l.TARGET_RESOURCE_ID = ? AND l.SRC_PATH = ANY(?)) k) w"
				+ " JOIN HFJ_RESOURCE r ON r.RES_ID = w.id"
				+ " JOIN HFJ_RES_VER v ON v.RES_ID = r.RES_ID AND v.RES_VER = r.RES_VER"
				+ " WHERE w.n <= ? AND r.RES_DELETED_AT IS NULL ORDER BY r.RES_ID";

		/** {@link #COLUMNS} of the current resources with these types and ids (two varchar arrays, pairwise). */
		public static final String BY_TYPE_AND_ID = "SELECT " + COLUMNS + CURRENT_VERSION
				+ " JOIN unnest(?::varchar[], ?::varchar[]) AS k(t, i) ON r.RES_TYPE = k.t AND r.FHIR_ID = k.i"
				+ " WHERE r.RES_DELETED_AT IS NULL ORDER BY r.RES_ID";

		/** {@link #COLUMNS} of the current resources with these RES_IDs (a bigint array). */
		public static final String BY_IDS = "SELECT " + COLUMNS + CURRENT_VERSION + " WHERE r.RES_ID = ANY(?) AND r.RES_DELETED_AT IS NULL";

		/**
		 * RES_ID, RES_TYPE, FHIR_ID and "in the compartment" of the patient (bigint), the current
		 * resources linking to it (its RES_ID again) by these paths (varchar array), and what those link
		 * to of these types (varchar array); to be narrowed with conditions on r, then {@link #ORDER_BY_ID}.
		 */
		public static final String EVERYTHING_KEYS =
				"WITH c AS (SELECT ?::bigint AS id UNION SELECT l.SRC_RESOURCE_ID FROM HFJ_RES_LINK l"
						+ " WHERE l.TARGET_RESOURCE_ID = ? AND l.SRC_PATH = ANY(?)),"
						+ " s AS (SELECT DISTINCT l.TARGET_RESOURCE_ID AS id FROM HFJ_RES_LINK l"
						+ " WHERE l.SRC_RESOURCE_ID IN (SELECT id FROM c) AND l.TARGET_RESOURCE_TYPE = ANY(?)),"
						+ " k AS (SELECT id, bool_or(m) AS m FROM (SELECT id, true AS m FROM c UNION ALL SELECT id, false FROM s) u GROUP BY id)"
						+ " SELECT r.RES_ID, r.RES_TYPE, r.FHIR_ID, k.m FROM k JOIN HFJ_RESOURCE r ON r.RES_ID = k.id"
						+ " WHERE r.RES_DELETED_AT IS NULL";
	}

	/** Bulk Data export: see bulk.StoredResources, bulk.ExportRunner, bulk.ExportPatients. */
	public static final class Export {

		private Export() {}

		/** Current rows of r of one type (?), to be narrowed with conditions on r. */
		public static final String CURRENT_OF_TYPE = "r.RES_TYPE = ? AND r.RES_DELETED_AT IS NULL";

		/** r's RES_ID is among the resources of one type (?) that reference a Patient; to be closed with ")". */
		public static final String AND_REFERENCES_A_PATIENT = " AND r.RES_ID IN (SELECT l.SRC_RESOURCE_ID FROM HFJ_RES_LINK l"
				+ " WHERE l.SOURCE_RESOURCE_TYPE = ? AND l.TARGET_RESOURCE_TYPE = 'Patient'";
		/** Narrows links (l) to these target patients (a bigint array of RES_IDs). */
		public static final String AND_LINK_TARGET_IN = " AND l.TARGET_RESOURCE_ID = ANY(?)";

		/** The rows StoredResources reads, current version joined; to be followed by conditions on r and {@link #ORDER_BY_ID}. */
		public static final String ROWS_WHERE = "SELECT r.RES_ID, r.FHIR_ID, r.RES_VER, r.RES_UPDATED, r.HAS_TAGS, v.RES_ENCODING, v.RES_TEXT_VC,"
				+ " v.RES_TEXT, v.SOURCE_URI, v.REQUEST_ID"
				+ CURRENT_VERSION
				+ " WHERE ";

		/** RES_IDs of the current Patients with these FHIR_IDs (a varchar array). */
		public static final String EXISTING_PATIENTS =
				"SELECT RES_ID FROM HFJ_RESOURCE WHERE RES_TYPE = 'Patient' AND FHIR_ID = ANY(?) AND RES_DELETED_AT IS NULL";

		/** RES_TYPE and count of the current, exported rows of these types; narrowed by conditions on r, then {@link #GROUP_BY_TYPE}. */
		public static final String COUNT_BY_TYPE = "SELECT r.RES_TYPE, count(*) FROM HFJ_RESOURCE r"
				+ " WHERE r.RES_DELETED_AT IS NULL AND r.RES_TYPE = ANY(?) AND " + NOT_PACKAGE_STORAGE;
		public static final String GROUP_BY_TYPE = " GROUP BY r.RES_TYPE";

		private static final String DELETED = "SELECT RES_TYPE, FHIR_ID FROM HFJ_RESOURCE WHERE RES_DELETED_AT IS NOT NULL AND RES_UPDATED > ?"
				+ " AND RES_TYPE = ANY(?)";
		/** RES_TYPE and FHIR_ID of the resources of these types (varchar array) deleted after ?. */
		public static final String DELETED_SINCE = DELETED + " ORDER BY RES_ID";
		/** RES_TYPE and FHIR_ID of the resources of these types (varchar array) deleted after ? and by ?. */
		public static final String DELETED_BETWEEN = DELETED + " AND RES_UPDATED <= ?" + " ORDER BY RES_ID";

		/** RES_IDs of r that are Patients; to be narrowed with conditions on r. */
		public static final String PATIENT_IDS = "SELECT r.RES_ID FROM HFJ_RESOURCE r WHERE r.RES_TYPE = 'Patient'";

		/** The Patients (RES_IDs) the current resources of these types (varchar array) reference; to be narrowed with conditions on r and l. */
		public static final String PATIENTS_REFERENCED = "SELECT l.TARGET_RESOURCE_ID FROM HFJ_RES_LINK l"
				+ " JOIN HFJ_RESOURCE r ON r.RES_ID = l.SRC_RESOURCE_ID"
				+ " WHERE l.SOURCE_RESOURCE_TYPE = ANY(?) AND l.TARGET_RESOURCE_TYPE = 'Patient'";

		/** "Patient/" + FHIR_ID of the current patients among the RES_IDs the query that follows selects; to be closed with ")". */
		public static final String PATIENT_REFERENCES_AMONG = "SELECT 'Patient/' || p.FHIR_ID FROM HFJ_RESOURCE p"
				+ " WHERE p.RES_TYPE = 'Patient' AND p.RES_DELETED_AT IS NULL AND p.RES_ID IN (";
	}

	/** Bulk Data export organised by patient: see bulk.PatientBlocks. */
	public static final class ExportByPatient {

		private ExportByPatient() {}

		/** Each Patient owns itself: (RES_ID, owner_id); optionally narrowed with {@link #AND_PATIENT_IN}. */
		public static final String PATIENTS_OWN_THEMSELVES =
				"SELECT r.RES_ID, r.RES_ID AS owner_id FROM HFJ_RESOURCE r WHERE r.RES_TYPE = 'Patient'";
		public static final String AND_PATIENT_IN = " AND r.RES_ID = ANY(?)";

		/** A resource of these types (varchar array) is owned by the first stored Patient it references; narrowed with
		 * {@link #AND_OWNER_IN}, then closed with {@link #GROUP_BY_SOURCE}. */
		public static final String OWNED_BY_FIRST_PATIENT = "SELECT l.SRC_RESOURCE_ID, min(l.TARGET_RESOURCE_ID) FROM HFJ_RES_LINK l"
				+ " WHERE l.SOURCE_RESOURCE_TYPE = ANY(?) AND l.TARGET_RESOURCE_TYPE = 'Patient'";
		public static final String AND_OWNER_IN = " AND l.TARGET_RESOURCE_ID = ANY(?)";
		public static final String GROUP_BY_SOURCE = " GROUP BY l.SRC_RESOURCE_ID";

		/** The rows of a CTE {@code owned(RES_ID, owner_id)}, current version, tags aggregated as JSON, the owner's FHIR_ID;
		 * to be followed by conditions on r and {@link #ORDER_BY_OWNER}. */
		public static final String ROWS_OF_OWNED_WHERE =
				" SELECT r.RES_ID, r.FHIR_ID, r.RES_VER, r.RES_UPDATED, r.HAS_TAGS, v.RES_ENCODING, v.RES_TEXT_VC,"
				+ " v.RES_TEXT, v.SOURCE_URI, v.REQUEST_ID, r.RES_TYPE, p.FHIR_ID,"
				+ " CASE WHEN r.HAS_TAGS THEN (SELECT json_agg(json_build_array(d.TAG_TYPE, d.TAG_SYSTEM, d.TAG_CODE,"
				+ " d.TAG_DISPLAY, d.TAG_VERSION, d.TAG_USER_SELECTED) ORDER BY t.PID)"
				+ " FROM HFJ_RES_TAG t JOIN HFJ_TAG_DEF d ON d.TAG_ID = t.TAG_ID WHERE t.RES_ID = r.RES_ID)::text END"
				+ " FROM owned o JOIN HFJ_RESOURCE r ON r.RES_ID = o.RES_ID"
				+ " JOIN HFJ_RES_VER v ON v.RES_ID = r.RES_ID AND v.RES_VER = r.RES_VER"
				+ " JOIN HFJ_RESOURCE p ON p.RES_ID = o.owner_id"
				+ " WHERE ";
		/** By owner, the Patient first, then the types in the order of the array ?. */
		public static final String ORDER_BY_OWNER =
				" ORDER BY o.owner_id, r.RES_TYPE <> 'Patient', array_position(?, r.RES_TYPE::text), r.RES_ID";
		/** Conditions on r for the same filters as the export by type. */
		public static final String NOT_DELETED = "r.RES_DELETED_AT IS NULL";
		/** Ids are unique across types: r is not of the filtered types (varchar array) or among the allowed ids (bigint array). */
		public static final String AND_TYPE_FILTER_ALLOWS = " AND (r.RES_TYPE <> ALL(?) OR r.RES_ID = ANY(?))";
	}

	/** The full-text index's rebuild and checkpoint: see search.FullTextIndexRebuild, search.FullTextIndexCheckpoint. */
	public static final class FullTextIndex {

		private FullTextIndex() {}

		public static final String COUNT_CURRENT = "SELECT count(*) FROM HFJ_RESOURCE WHERE RES_DELETED_AT IS NULL";
		public static final String COUNT_CHANGED_SINCE = "SELECT count(*) FROM HFJ_RESOURCE WHERE RES_UPDATED > ?";
		public static final String COUNT_CONCEPTS = "SELECT count(*) FROM TRM_CONCEPT";
		/** The next at most ? current RES_IDs after ?. */
		public static final String CURRENT_IDS_AFTER =
				"SELECT RES_ID FROM HFJ_RESOURCE WHERE RES_ID > ? AND RES_DELETED_AT IS NULL ORDER BY RES_ID LIMIT ?";
		/** The next at most ? RES_IDs after ? changed (deleted ones too) after ?. */
		public static final String CHANGED_IDS_AFTER =
				"SELECT RES_ID FROM HFJ_RESOURCE WHERE RES_ID > ? AND RES_UPDATED > ? ORDER BY RES_ID LIMIT ?";
	}
}
