package vn.ehealth.fhir.server.identity;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.hl7.fhir.r4.model.Patient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CCCD registry's back-fill ({@link PatientBackfill}): the Patients stored before
 * {@code vf_patient_cccd} existed (every Patient with a CCCD under either namespace) get their rows.
 * Where older data already has two Patients with one CCCD, the first keeps it and the pair is logged:
 * they need a merge, and the other is refused a CCCD change until then. The insert skips what is there.
 */
final class CitizenIdBackfill {

	private static final Logger LOG = LoggerFactory.getLogger(CitizenIdBackfill.class);

	private CitizenIdBackfill() {}

	static PatientBackfill create() {
		return new PatientBackfill("vf_patient_cccd", "vf_patient_cccd_backfill", CitizenIdBackfill::withCccd, CitizenIdBackfill::register);
	}

	private static SearchParameterMap withCccd() {
		SearchParameterMap withCccd = SearchParameterMap.newSynchronous();
		TokenOrListParam systems = new TokenOrListParam();
		IdentifierNamespaces.CCCD_SYSTEMS.forEach(system -> systems.add(new TokenParam(system, null)));
		return withCccd.add("identifier", systems);
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
