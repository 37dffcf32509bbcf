package vn.ehealth.fhir.server.bulk;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import vn.ehealth.fhir.server.storage.HapiTables.ExportByPatient;

/**
 * An export organised by patient (Bulk Data 3.0, {@code organizeOutputBy=Patient}): the files hold
 * one block per patient, a header Parameters resource naming the patient, then the Patient, then the
 * exported resources of its compartment. One query, ordered by patient, streamed like the export by
 * type (same rows, same lines, from {@link StoredResources#line}).
 *
 * <p>A resource that points to several patients goes in the block of one of them (the first stored)
 * so that no resource is written twice; the IG asks for a block per referenced resource, not for
 * copies. A resource that points to no patient is left out, as the IG allows ("MAY be omitted"); the
 * kick-off only accepts types of the Patient compartment with {@code organizeOutputBy}. A block is
 * split only when it alone fills a file: its header is repeated at the top of the next file and the
 * manifest names that file in {@code continuesInFile}.
 */
final class PatientBlocks {

	static final String ORGANIZED_BY = "Patient";

	private static final ObjectMapper JSON = new ObjectMapper();
	private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();
	private static final int FETCH_SIZE = 2_000;

	private final StoredResources resources;

	PatientBlocks(StoredResources resources) {
		this.resources = resources;
	}

	/**
	 * Writes the blocks of the export to its files.
	 *
	 * @param filtered per type, the ids a _typeFilter allows
	 * @param compartment the patients (RES_ID) of a Patient or Group export naming them; null: every patient
	 * @param exported told the type of each exported resource (progress, cancellation)
	 */
	void write(Connection connection, ExportRequest request, Map<String, Long[]> filtered, Long[] compartment,
			Elements elements, NdjsonFiles files, Consumer<String> exported) throws SQLException, IOException {
		List<Object> parameters = new ArrayList<>();
		String sql = query(request, filtered, compartment, parameters);
		files.startBlocks(NdjsonFiles.BY_PATIENT);
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			StoredResources.bind(connection, statement, parameters);
			statement.setFetchSize(FETCH_SIZE);
			StringBuilder line = new StringBuilder(4096);
			Block block = new Block(files);
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					String type = rows.getString(11);
					String json = resources.line(rows, type, "{\"resourceType\":\"" + type + "\"", tags(rows.getString(13)),
							elements, line);
					if (json != null) {
						block.write(rows.getString(12), json);
						exported.accept(type);
					}
				}
			}
		}
	}

	/**
	 * Each exported resource with its owner: a Patient owns itself; any other resource, the first
	 * stored patient it points to (HAPI's reference index HFJ_RES_LINK, as the export by type uses
	 * for the compartment). Ordered by owner, then the Patient first, then the types as asked.
	 */
	private static String query(ExportRequest request, Map<String, Long[]> filtered, Long[] compartment,
			List<Object> parameters) {
		List<String> owned = new ArrayList<>();
		if (request.types().contains("Patient")) {
			owned.add(ExportByPatient.PATIENTS_OWN_THEMSELVES + (compartment == null ? "" : ExportByPatient.AND_PATIENT_IN));
			if (compartment != null) {
				parameters.add(compartment);
			}
		}
		String[] others = request.types().stream().filter(t -> !t.equals("Patient")).toArray(String[]::new);
		if (others.length > 0) {
			owned.add(ExportByPatient.OWNED_BY_FIRST_PATIENT + (compartment == null ? "" : ExportByPatient.AND_OWNER_IN)
					+ ExportByPatient.GROUP_BY_SOURCE);
			parameters.add(others);
			if (compartment != null) {
				parameters.add(compartment);
			}
		}
		StringBuilder where = new StringBuilder(ExportByPatient.NOT_DELETED);
		request.narrowToPeriod(where, parameters);
		if (!filtered.isEmpty()) {
			where.append(ExportByPatient.AND_TYPE_FILTER_ALLOWS);
			parameters.add(filtered.keySet().toArray(String[]::new));
			parameters.add(filtered.values().stream().flatMap(Arrays::stream).toArray(Long[]::new));
		}
		parameters.add(request.types().toArray(String[]::new));
		return "WITH owned AS (" + String.join(" UNION ALL ", owned) + ")" + ExportByPatient.ROWS_OF_OWNED_WHERE + where
				+ ExportByPatient.ORDER_BY_OWNER;
	}

	/** The tags aggregated by the query: [kind, system, code, display, version, userSelected] each. */
	private static List<Tags.Tag> tags(String aggregated) throws IOException {
		if (aggregated == null) {
			return List.of();
		}
		List<Tags.Tag> tags = new ArrayList<>(2);
		for (JsonNode tag : JSON.readTree(aggregated)) {
			tags.add(new Tags.Tag(tag.get(0).asInt(), text(tag.get(1)), text(tag.get(2)), text(tag.get(3)), text(tag.get(4)),
					tag.get(5).isNull() ? null : tag.get(5).asBoolean()));
		}
		return tags;
	}

	private static String text(JsonNode node) {
		return node.isNull() ? null : node.asText();
	}

	/** The block being written: its header, and where a block starts or splits. */
	private static final class Block {
		private final NdjsonFiles files;
		private String patientId;
		private String header;
		private long linesHere;

		Block(NdjsonFiles files) {
			this.files = files;
		}

		void write(String owner, String json) throws IOException {
			if (!owner.equals(patientId)) {
				// a new block starts a new file when this one is full: blocks are not split when avoidable
				if (files.linesInFile() >= files.maxPerFile()) {
					files.nextFile(false);
				}
				patientId = owner;
				header = "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"header\",\"valueReference\":"
						+ "{\"reference\":\"Patient/" + new String(ESCAPE.quoteAsString(owner)) + "\"}}]}";
				startHere();
			} else if (linesHere >= files.maxPerFile()) {
				// the block alone fills a file: it goes on in the next, behind its header again
				files.nextFile(true);
				startHere();
			}
			files.write(json);
			linesHere++;
		}

		private void startHere() throws IOException {
			files.write(header);
			linesHere = 1;
		}
	}
}
