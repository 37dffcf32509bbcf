package vn.ehealth.fhir.server.claimxml;

import java.util.LinkedHashSet;
import java.util.Set;

/** The practising licence numbers the rows name (MA_BAC_SI, NGUOI_THUC_HIEN, MA_BS_DOC_KQ; ';' between several; XML7's MA_BS is a BHXH number, not a licence). */
final class Licences {

	private record Field(String table, String name) {}

	private static final java.util.List<Field> FIELDS = java.util.List.of(
			new Field(ClaimTables.XML2, "MA_BAC_SI"), new Field(ClaimTables.XML3, "MA_BAC_SI"),
			new Field(ClaimTables.XML3, "NGUOI_THUC_HIEN"), new Field(ClaimTables.XML4, "MA_BS_DOC_KQ"),
			new Field(ClaimTables.XML5, "NGUOI_THUC_HIEN"), new Field(PaperMapping.XML13, "MA_BAC_SI"),
			new Field(PaperMapping.XML14, "MA_BAC_SI"));

	private Licences() {}

	static String first(String field) {
		if (field == null) {
			return null;
		}
		for (String part : field.split(";")) {
			if (!part.isBlank()) {
				return part.trim();
			}
		}
		return null;
	}

	/** Every first-named licence of the episode's rows, in order. */
	static Set<String> of(Submission.Episode episode) {
		Set<String> licences = new LinkedHashSet<>();
		for (Field field : FIELDS) {
			for (Submission.Row row : episode.rows(field.table())) {
				String licence = first(row.get(field.name()));
				if (licence != null) {
					licences.add(licence);
				}
			}
		}
		return licences;
	}
}
