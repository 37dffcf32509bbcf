package vn.ehealth.fhir.server.identity;

import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.api.server.storage.IResourcePersistentId;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
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
 * Once per database: the Patients stored before {@code vf_patient_cccd} existed get their rows, read
 * through HAPI's own search (every Patient with a CCCD under either namespace). Where older data
 * already has two Patients with one CCCD, the first keeps it and the pair is logged: they need a
 * merge, and the other is refused a CCCD change until then. Idempotent, so two nodes starting at once
 * do no harm (the insert skips what is there).
 */
final class CitizenIdBackfill {

	private static final Logger LOG = LoggerFactory.getLogger(CitizenIdBackfill.class);
	static final String DONE = "SELECT 1 FROM vf_patient_cccd_backfill WHERE id = 1";
	static final String MARK_DONE = "INSERT INTO vf_patient_cccd_backfill (id, done) VALUES (1, now()) ON CONFLICT (id) DO NOTHING";

	private final DataSource dataSource;
	private final IFhirResourceDao<Patient> patients;

	CitizenIdBackfill(DataSource dataSource, IFhirResourceDao<Patient> patients) {
		this.dataSource = dataSource;
		this.patients = patients;
	}

	void runOnce() {
		try (Connection connection = dataSource.getConnection()) {
			if (done(connection)) {
				return;
			}
			SearchParameterMap withCccd = SearchParameterMap.newSynchronous();
			TokenOrListParam systems = new TokenOrListParam();
			IdentifierNamespaces.CCCD_SYSTEMS.forEach(system -> systems.add(new TokenParam(system, null)));
			withCccd.add("identifier", systems);
			List<IResourcePersistentId> found = patients.searchForIds(withCccd, new SystemRequestDetails());
			int rows = 0;
			for (IResourcePersistentId pid : found) {
				rows += register(connection, patients.readByPid(pid));
			}
			try (PreparedStatement mark = connection.prepareStatement(MARK_DONE)) {
				mark.executeUpdate();
			}
			if (!found.isEmpty()) {
				LOG.info("CCCD registry filled: {} CCCD(s) of {} existing Patient(s)", rows, found.size());
			}
		} catch (SQLException e) {
			throw new IllegalStateException("Filling vf_patient_cccd: " + e.getMessage(), e);
		}
	}

	private static boolean done(Connection connection) throws SQLException {
		try (PreparedStatement query = connection.prepareStatement(DONE); ResultSet rows = query.executeQuery()) {
			return rows.next();
		}
	}

	private static int register(Connection connection, Patient patient) throws SQLException {
		String id = patient.getIdElement().getIdPart();
		int rows = 0;
		for (String cccd : CitizenIdRegistry.cccds(patient)) {
			try (PreparedStatement insert = connection.prepareStatement(CitizenIdRegistry.CLAIM)) {
				insert.setString(1, cccd);
				insert.setString(2, id);
				if (insert.executeUpdate() == 1) {
					rows++;
				} else {
					LOG.warn("Patient/{} shares the CCCD {} with an earlier record: the two need a merge / "
							+ "hai hồ sơ cùng một số CCCD cần được gộp", id, cccd);
				}
			}
		}
		return rows;
	}
}
