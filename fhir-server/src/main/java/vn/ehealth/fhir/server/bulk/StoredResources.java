package vn.ehealth.fhir.server.bulk;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Resource;
import vn.ehealth.fhir.server.storage.HapiTables;
import vn.ehealth.fhir.server.storage.StoredResourceText;

/**
 * Reads current resources straight from HAPI's tables (HFJ_RESOURCE joined to the current row of
 * HFJ_RES_VER) with a streaming cursor, and gives each one as a line of JSON. HAPI stores the JSON
 * without id and meta (those live in columns and in HFJ_RES_TAG), so a line is the stored text with
 * id and meta spliced in after "resourceType": no parsing, no re-serialising. That is what makes the
 * export run near the database's own read rate; HAPI's batch export parses and re-encodes each one.
 *
 * <p>The few rows that do not fit the fast path (unusual text) go through HAPI's parser.
 */
class StoredResources {

	/** Receives one exported line (a whole resource as JSON, no newline). */
	@FunctionalInterface
	interface LineSink {
		void accept(String json) throws IOException;
	}

	/** Which rows of a type to read. */
	record Selection(
			String type, Instant since, Instant until, Long[] onlyIds, Long[] compartmentPatients, boolean patientCompartment) {}

	private static final int FETCH_SIZE = 2_000;
	private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();

	private final FhirContext fhirContext;

	StoredResources(FhirContext fhirContext) {
		this.fhirContext = fhirContext;
	}

	/**
	 * Streams the selected current (not deleted) resources of one type, in storage order, to the sink.
	 * Runs on the caller's connection, which must not be in auto-commit mode (PostgreSQL only streams
	 * with a cursor inside a transaction). Returns how many lines were written.
	 */
	long stream(Connection connection, Selection selection, Elements elements, LineSink sink)
			throws SQLException, IOException {
		// the rows asked for, as conditions on r (HFJ_RESOURCE): the same for the resources and their tags
		StringBuilder where = new StringBuilder(HapiTables.Export.CURRENT_OF_TYPE);
		List<Object> parameters = new ArrayList<>();
		parameters.add(selection.type());
		boolean narrowed = false;
		if (selection.type().equals("Binary")) {
			where.append(" AND ").append(HapiTables.NOT_PACKAGE_STORAGE);
			narrowed = true;
		}
		if (selection.since() != null) {
			where.append(HapiTables.AND_UPDATED_AFTER);
			parameters.add(Timestamp.from(selection.since()));
			narrowed = true;
		}
		if (selection.until() != null) {
			where.append(HapiTables.AND_UPDATED_UNTIL);
			parameters.add(Timestamp.from(selection.until()));
			narrowed = true;
		}
		if (selection.onlyIds() != null) {
			where.append(HapiTables.AND_ID_IN);
			parameters.add(selection.onlyIds());
			narrowed = true;
		}
		if (selection.patientCompartment()) {
			if (selection.type().equals("Patient")) {
				if (selection.compartmentPatients() != null) {
					where.append(HapiTables.AND_ID_IN);
					parameters.add(selection.compartmentPatients());
					narrowed = true;
				}
			} else {
				// a resource of the Patient compartment points to its patient; HAPI keeps every
				// reference in HFJ_RES_LINK, indexed by source
				where.append(HapiTables.Export.AND_REFERENCES_A_PATIENT);
				parameters.add(selection.type());
				if (selection.compartmentPatients() != null) {
					where.append(HapiTables.Export.AND_LINK_TARGET_IN);
					parameters.add(selection.compartmentPatients());
				}
				where.append(")");
				narrowed = true;
			}
		}
		String sql = HapiTables.Export.ROWS_WHERE + where + HapiTables.ORDER_BY_ID;

		// a narrowed export reads the tags of its own rows, not of the whole type
		try (Tags tags = Tags.open(connection, selection.type(), narrowed ? where.toString() : null, parameters);
				PreparedStatement statement = connection.prepareStatement(sql)) {
			bind(connection, statement, parameters);
			statement.setFetchSize(FETCH_SIZE);
			long count = 0;
			StringBuilder line = new StringBuilder(4096);
			String prefix = "{\"resourceType\":\"" + selection.type() + "\"";
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					long pid = rows.getLong(1);
					List<Tags.Tag> resourceTags = rows.getBoolean(5) ? tags.of(pid) : List.of();
					String json = line(rows, selection.type(), prefix, resourceTags, elements, line);
					if (json != null) {
						sink.accept(json);
						count++;
					}
				}
			}
			return count;
		}
	}

	static void bind(Connection connection, PreparedStatement statement, List<Object> parameters)
			throws SQLException {
		for (int i = 0; i < parameters.size(); i++) {
			Object value = parameters.get(i);
			if (value instanceof Long[] ids) {
				Array array = connection.createArrayOf("bigint", ids);
				statement.setArray(i + 1, array);
			} else {
				statement.setObject(i + 1, value);
			}
		}
	}

	/**
	 * One row as an export line. The row's columns 1 to 10 are those of {@link #stream}'s query
	 * (RES_ID, FHIR_ID, RES_VER, RES_UPDATED, HAS_TAGS, RES_ENCODING, RES_TEXT_VC, RES_TEXT, SOURCE_URI,
	 * REQUEST_ID); null when the row holds no text.
	 */
	String line(ResultSet rows, String type, String prefix, List<Tags.Tag> tags, Elements elements,
			StringBuilder line) throws SQLException {
		String id = rows.getString(2);
		long version = rows.getLong(3);
		Instant updated = rows.getTimestamp(4).toInstant();
		String encoding = rows.getString(6);
		String source = StoredResourceText.source(rows.getString(9), rows.getString(10));
		// null for DEL (a deleted version) or ESR (kept outside the database): nothing to copy
		String text = StoredResourceText.json(encoding, rows.getString(7), rows.getBytes(8));
		if (text == null) {
			return null;
		}
		if (elements == null && text.startsWith(prefix) && text.length() > prefix.length()
				&& (text.charAt(prefix.length()) == ',' || text.charAt(prefix.length()) == '}')
				&& !text.startsWith(",\"id\"", prefix.length()) && !text.startsWith(",\"meta\"", prefix.length())) {
			line.setLength(0);
			line.append(prefix).append(",\"id\":\"").append(ESCAPE.quoteAsString(id)).append('"');
			appendMeta(line, version, updated, source, tags);
			// the stored text after its "resourceType" member: its other members and the closing brace
			line.append(text, prefix.length(), text.length());
			return line.toString();
		}
		return parsed(type, id, version, updated, source, tags, text, elements);
	}

	private static void appendMeta(StringBuilder line, long version, Instant updated, String source, List<Tags.Tag> tags) {
		line.append(",\"meta\":{\"versionId\":\"").append(version)
				.append("\",\"lastUpdated\":\"").append(DateTimeFormatter.ISO_INSTANT.format(updated)).append('"');
		if (source != null) {
			line.append(",\"source\":\"").append(ESCAPE.quoteAsString(source)).append('"');
		}
		appendCodings(line, "profile", tags, StoredResourceText.PROFILE);
		appendCodings(line, "security", tags, StoredResourceText.SECURITY_LABEL);
		appendCodings(line, "tag", tags, StoredResourceText.TAG);
		line.append('}');
	}

	private static void appendCodings(StringBuilder line, String name, List<Tags.Tag> tags, int kind) {
		boolean first = true;
		for (Tags.Tag tag : tags) {
			if (tag.kind() != kind) {
				continue;
			}
			line.append(first ? ",\"" + name + "\":[" : ",");
			first = false;
			if (kind == StoredResourceText.PROFILE) {
				line.append('"').append(ESCAPE.quoteAsString(tag.code())).append('"');
				continue;
			}
			line.append('{');
			boolean comma = false;
			comma = field(line, "system", tag.system(), comma);
			comma = field(line, "version", tag.version(), comma);
			comma = field(line, "code", tag.code(), comma);
			comma = field(line, "display", tag.display(), comma);
			if (tag.userSelected() != null) {
				line.append(comma ? "," : "").append("\"userSelected\":").append(tag.userSelected());
			}
			line.append('}');
		}
		if (!first) {
			line.append(']');
		}
	}

	private static boolean field(StringBuilder line, String name, String value, boolean comma) {
		if (value == null) {
			return comma;
		}
		line.append(comma ? "," : "").append('"').append(name).append("\":\"").append(ESCAPE.quoteAsString(value)).append('"');
		return true;
	}

	/** The slow path: parse, set id and meta, keep only the asked elements, encode. */
	private String parsed(String type, String id, long version, Instant updated, String source, List<Tags.Tag> tags,
			String text, Elements elements) {
		Resource resource = (Resource) fhirContext.newJsonParser().parseResource(text);
		Meta meta = StoredResourceText.restoreIdAndMeta(resource, type, id, version, updated, source);
		for (Tags.Tag tag : tags) {
			StoredResourceText.addTag(meta, tag.kind(), tag.system(), tag.code(), tag.display(), tag.version(), tag.userSelected());
		}
		IParser parser = fhirContext.newJsonParser();
		if (elements == null) {
			return parser.encodeResourceToString(resource);
		}
		elements.apply(parser, meta);
		return Elements.withPlainSubsettedTag(parser.encodeResourceToString(resource));
	}

	/** Ids (HFJ_RESOURCE.RES_ID) of the given patients that exist and are not deleted. */
	static Long[] patientPids(Connection connection, Collection<String> patientIds) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(
				HapiTables.Export.EXISTING_PATIENTS)) {
			statement.setArray(1, connection.createArrayOf("varchar", patientIds.toArray()));
			List<Long> pids = new ArrayList<>();
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					pids.add(rows.getLong(1));
				}
			}
			return pids.toArray(Long[]::new);
		}
	}
}
