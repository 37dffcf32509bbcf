package vn.ehealth.fhir.server.bulk;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import vn.ehealth.fhir.server.storage.HapiTables;

/**
 * The tags, profiles and security labels of one type's resources (HFJ_RES_TAG), read with a second
 * cursor in the same RES_ID order as the resources, so matching them is a merge, not a query per
 * resource. Types that have no tags at all open no cursor.
 */
final class Tags implements AutoCloseable {

	record Tag(int kind, String system, String code, String display, String version, Boolean userSelected) {}

	private final PreparedStatement statement;
	private final ResultSet rows;
	private boolean hasRow;

	private Tags(PreparedStatement statement, ResultSet rows) throws SQLException {
		this.statement = statement;
		this.rows = rows;
		this.hasRow = rows != null && rows.next();
	}

	/**
	 * @param rows conditions on r (HFJ_RESOURCE) naming the rows whose tags are wanted, with their
	 *     parameters; null for every resource of the type
	 */
	static Tags open(Connection connection, String type, String rows, List<Object> parameters) throws SQLException {
		try (PreparedStatement any = connection.prepareStatement(HapiTables.ANY_TAG_OF_TYPE)) {
			any.setString(1, type);
			try (ResultSet found = any.executeQuery()) {
				if (!found.next()) {
					return new Tags(null, null);
				}
			}
		}
		PreparedStatement statement;
		if (rows == null) {
			statement = connection.prepareStatement(HapiTables.TAGS_OF_TYPE);
			statement.setString(1, type);
		} else {
			statement = connection.prepareStatement(HapiTables.tagsOfRows(rows));
			StoredResources.bind(connection, statement, parameters);
		}
		statement.setFetchSize(2_000);
		return new Tags(statement, statement.executeQuery());
	}

	/** The tags of the resource with this RES_ID; ids must be asked in ascending order. */
	List<Tag> of(long pid) throws SQLException {
		if (rows == null) {
			return List.of();
		}
		while (hasRow && rows.getLong(1) < pid) {
			hasRow = rows.next();
		}
		List<Tag> tags = new ArrayList<>(2);
		while (hasRow && rows.getLong(1) == pid) {
			Object userSelected = rows.getObject(7);
			tags.add(new Tag(rows.getInt(2), rows.getString(3), rows.getString(4), rows.getString(5), rows.getString(6),
					userSelected == null ? null : rows.getBoolean(7)));
			hasRow = rows.next();
		}
		return tags;
	}

	@Override
	public void close() throws SQLException {
		if (rows != null) {
			rows.close();
			statement.close();
		}
	}
}
