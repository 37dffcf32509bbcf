package vn.ehealth.fhir.server.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Patients chosen by a query instead of listed: an SQL SELECT of one column, each patient as
 * {@code Patient/<id>} (distinct), with its parameters ({@code Long[]} bound as a bigint array,
 * {@code String[]} as a varchar array, anything else as given). For bulk access (an export's
 * compartment): the access volume and the audit trail take such a set in one SQL pass, with no list
 * in memory and no round trip per patient.
 */
public record PatientSelection(String sql, List<Object> parameters) {

	public PatientSelection {
		parameters = List.copyOf(parameters);
	}

	/** Binds the parameters from position {@code first} on; returns the next free position. */
	int bind(Connection connection, PreparedStatement statement, int first) throws SQLException {
		int position = first;
		for (Object value : parameters) {
			if (value instanceof Long[] ids) {
				statement.setArray(position++, connection.createArrayOf("bigint", ids));
			} else if (value instanceof String[] texts) {
				statement.setArray(position++, connection.createArrayOf("varchar", texts));
			} else {
				statement.setObject(position++, value);
			}
		}
		return position;
	}
}
