package vn.ehealth.fhir.server.claimxml;

import java.util.List;
import java.util.Map;

/**
 * A claim submission as read from XML, before any mapping: the sending facility and its episodes.
 *
 * @param facility MACSKCB of the envelope (or MA_CSKCB of XML1 for a bare table set)
 * @param episodes one per HOSO (MA_LK), in the order sent
 * @param signature what the check of the envelope's signature (CHUKYDONVI) found
 */
record Submission(String facility, List<Episode> episodes, EnvelopeSignature signature) {

	Submission(String facility, List<Episode> episodes) {
		this(facility, episodes, EnvelopeSignature.NOT_CHECKED);
	}

	Submission signed(EnvelopeSignature found) {
		return new Submission(facility, episodes, found);
	}

	/**
	 * One episode (HOSO): its tables by name, each a list of rows.
	 *
	 * @param path where it is in the request, e.g. {@code HOSO[2]}
	 */
	record Episode(String path, String maLk, Map<String, List<Row>> tables) {

		List<Row> rows(String table) {
			return tables.getOrDefault(table, List.of());
		}

		Row summary() {
			return rows(ClaimTables.XML1).get(0);
		}
	}

	/**
	 * One row of a table: its fields by name (trimmed text; empty fields left out).
	 *
	 * @param path e.g. {@code HOSO[1]/XML2/CHI_TIET_THUOC[3]}
	 */
	record Row(String path, Map<String, String> fields) {

		String get(String field) {
			return fields.get(field);
		}

		boolean has(String field) {
			return fields.containsKey(field);
		}
	}
}
