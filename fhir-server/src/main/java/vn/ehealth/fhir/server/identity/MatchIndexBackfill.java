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
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Patient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once per database: the Patients stored before {@code vf_patient_match} existed get their match
 * rows, and their probable duplicates go to the review list, so {@code $match} and the list cover
 * the whole population. Idempotent (rows are replaced), so two nodes starting at once do no harm.
 */
final class MatchIndexBackfill {

	private static final Logger LOG = LoggerFactory.getLogger(MatchIndexBackfill.class);
	static final String DONE = "SELECT 1 FROM vf_patient_match_backfill WHERE id = 1";
	static final String MARK_DONE = "INSERT INTO vf_patient_match_backfill (id, done) VALUES (1, now()) ON CONFLICT (id) DO NOTHING";

	private final DataSource dataSource;
	private final IFhirResourceDao<Patient> patients;
	private final boolean checkDuplicates;

	MatchIndexBackfill(DataSource dataSource, IFhirResourceDao<Patient> patients, boolean checkDuplicates) {
		this.dataSource = dataSource;
		this.patients = patients;
		this.checkDuplicates = checkDuplicates;
	}

	void runOnce() {
		try (Connection connection = dataSource.getConnection()) {
			try (PreparedStatement query = connection.prepareStatement(DONE); ResultSet rows = query.executeQuery()) {
				if (rows.next()) {
					return;
				}
			}
			List<IResourcePersistentId> all = patients.searchForIds(SearchParameterMap.newSynchronous(), new SystemRequestDetails());
			for (IResourcePersistentId pid : all) {
				Patient patient = patients.readByPid(pid);
				MatchIndexHooks.index(connection, patient.getIdElement().getIdPart(), patient, checkDuplicates);
			}
			try (PreparedStatement mark = connection.prepareStatement(MARK_DONE)) {
				mark.executeUpdate();
			}
			if (!all.isEmpty()) {
				LOG.info("Match index filled for {} existing Patient(s)", all.size());
			}
		} catch (SQLException e) {
			throw new IllegalStateException("Filling vf_patient_match: " + e.getMessage(), e);
		}
	}
}
