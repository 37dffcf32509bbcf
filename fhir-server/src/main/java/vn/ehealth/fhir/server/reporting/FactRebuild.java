package vn.ehealth.fhir.server.reporting;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.api.server.storage.IResourcePersistentId;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds every fact row from the stored resources (read through HAPI's DAOs), and the monthly
 * roll-up from them, for after a load made
 * with the maintenance off or a change of the rules (the province map, what counts as a diagnosis). One
 * database transaction: reports keep the old facts until the new ones commit. Writes made while it runs
 * may be missed; run it when the server is quiet.
 */
final class FactRebuild {

	private static final Logger LOG = LoggerFactory.getLogger(FactRebuild.class);

	private final DataSource dataSource;
	private final DaoRegistry daos;

	FactRebuild(DataSource dataSource, DaoRegistry daos) {
		this.dataSource = dataSource;
		this.daos = daos;
	}

	/** The number of resources read per type, and the seconds it took. */
	synchronized Map<String, Object> run() {
		long started = System.nanoTime();
		Map<String, Object> counts = new LinkedHashMap<>();
		try (Connection connection = dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try (Statement clear = connection.createStatement()) {
				for (FactRows.Kind kind : FactRows.Kind.values()) {
					clear.executeUpdate("DELETE FROM " + kind.table);
				}
			}
			for (FactRows.Kind kind : FactRows.Kind.values()) {
				counts.put(kind.resourceType, rebuild(connection, kind.resourceType));
			}
			MonthlyRollup.rebuild(connection);
			connection.commit();
		} catch (SQLException e) {
			throw new IllegalStateException("Rebuilding the report facts: " + e.getMessage(), e);
		}
		double seconds = (System.nanoTime() - started) / 1e9;
		counts.put("seconds", Math.round(seconds * 10) / 10.0);
		LOG.info("Report facts rebuilt / dựng lại số liệu thống kê: {}", counts);
		return counts;
	}

	/**
	 * At start-up: a database whose records predate the facts (written before this version, or loaded
	 * with the maintenance off) gets them once, so its statistics are not silently empty. Facts present,
	 * or no Patient, Encounter or Condition stored: nothing to do.
	 */
	void runIfMissing() {
		if (!present(FACTS)) {
			if (anyStored("Patient", "Encounter", "Condition")) {
				LOG.info("Records without report facts: rebuilding them once / bản ghi chưa có số liệu thống kê: dựng lại một lần");
				run();
			}
		} else if (!present("SELECT EXISTS (SELECT 1 FROM " + MonthlyRollup.TABLE + ")")) {
			// facts from before the roll-up existed (V6): it is summed from them, the resources are not read
			LOG.info("Report facts without the monthly roll-up: summing it once / tổng hợp số liệu theo tháng một lần");
			try (Connection connection = dataSource.getConnection()) {
				connection.setAutoCommit(false);
				MonthlyRollup.rebuild(connection);
				connection.commit();
			} catch (SQLException e) {
				throw new IllegalStateException("Summing the monthly roll-up: " + e.getMessage(), e);
			}
		}
	}

	private static final String FACTS = "SELECT EXISTS (SELECT 1 FROM vf_report_patient)"
			+ " OR EXISTS (SELECT 1 FROM vf_report_encounter) OR EXISTS (SELECT 1 FROM vf_report_condition)";

	private boolean present(String exists) {
		try (Connection connection = dataSource.getConnection(); Statement query = connection.createStatement();
				ResultSet rows = query.executeQuery(exists)) {
			return rows.next() && rows.getBoolean(1);
		} catch (SQLException e) {
			throw new IllegalStateException("Reading the report facts: " + e.getMessage(), e);
		}
	}

	private boolean anyStored(String... types) {
		for (String type : types) {
			SearchParameterMap one = SearchParameterMap.newSynchronous();
			one.setLoadSynchronousUpTo(1);
			if (!daos.getResourceDao(type).searchForIds(one, new SystemRequestDetails()).isEmpty()) {
				return true;
			}
		}
		return false;
	}

	@SuppressWarnings({"rawtypes", "unchecked"})
	private int rebuild(Connection connection, String type) throws SQLException {
		IFhirResourceDao dao = daos.getResourceDao(type);
		List<IResourcePersistentId> ids = dao.searchForIds(SearchParameterMap.newSynchronous(), new SystemRequestDetails());
		for (IResourcePersistentId id : ids) {
			FactRows.write(connection, (IBaseResource) dao.readByPid(id), true); // the tables were emptied first
		}
		return ids.size();
	}
}
