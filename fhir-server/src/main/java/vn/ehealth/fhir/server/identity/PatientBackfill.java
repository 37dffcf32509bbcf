package vn.ehealth.fhir.server.identity;

import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.api.server.storage.IResourcePersistentId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Patient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once per database: a table of ours that is kept on every Patient write gets the rows of the
 * Patients stored before it existed (an upgraded database), read through HAPI's own search. A marker
 * table ({@code id = 1}) records that it was done. The fill must be idempotent, so two nodes starting
 * at once do no harm. Used for the CCCD registry ({@link CitizenIdRegistry}) and the match index
 * ({@link MatchIndex}).
 */
final class PatientBackfill {

	/** Writes one stored Patient's rows on the connection given; returns how many it wrote. */
	interface Fill {
		int rows(Connection connection, Patient patient) throws SQLException;
	}

	private static final Logger LOG = LoggerFactory.getLogger(PatientBackfill.class);

	private final String table;
	private final String marker;
	private final Supplier<SearchParameterMap> which;
	private final Fill fill;

	/**
	 * @param table the table filled (for the log)
	 * @param marker its marker table, created by the same Flyway migration
	 * @param which the Patients that have rows (a fresh map each time: HAPI's search keeps state in it)
	 */
	PatientBackfill(String table, String marker, Supplier<SearchParameterMap> which, Fill fill) {
		this.table = table;
		this.marker = marker;
		this.which = which;
		this.fill = fill;
	}

	void runOnce(DataSource dataSource, IFhirResourceDao<Patient> patients) {
		try (Connection connection = dataSource.getConnection()) {
			try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM " + marker + " WHERE id = 1");
					ResultSet done = query.executeQuery()) {
				if (done.next()) {
					return;
				}
			}
			List<IResourcePersistentId> found = patients.searchForIds(which.get(), new SystemRequestDetails());
			int rows = 0;
			for (IResourcePersistentId pid : found) {
				rows += fill.rows(connection, patients.readByPid(pid));
			}
			try (PreparedStatement mark = connection.prepareStatement(
					"INSERT INTO " + marker + " (id, done) VALUES (1, now()) ON CONFLICT (id) DO NOTHING")) {
				mark.executeUpdate();
			}
			if (!found.isEmpty()) {
				LOG.info("{} filled: {} row(s) for {} existing Patient(s)", table, rows, found.size());
			}
		} catch (SQLException e) {
			throw new IllegalStateException("Filling " + table + ": " + e.getMessage(), e);
		}
	}
}
