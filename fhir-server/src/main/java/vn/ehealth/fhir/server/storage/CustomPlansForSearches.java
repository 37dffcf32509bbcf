package vn.ehealth.fhir.server.storage;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.PGStatement;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The DataSource HAPI's Hibernate session gets: the same pool, but HAPI's search SQL (the statements
 * its search builder writes, tables aliased t0, t1, …) is never prepared on the server, so PostgreSQL
 * plans each search for its own values. HAPI's searches compare hashes, and how many rows a hash
 * matches varies by orders of magnitude (a LOINC code on thousands of Observations, a CCCD on one
 * Patient). From a statement's fifth use on a connection the JDBC driver prepares it on the server,
 * and PostgreSQL then switches to one generic plan when that looks no dearer: for
 * {@code Observation?patient.identifier=…&code=…&_sort=-date} right after a large load the generic plan
 * started from the code (2,000 rows) instead of the patient (one), 13–21 ms instead of about 1 ms
 * (docs/benchmarks.md, eighth round). Writes keep their prepared statements: planning each multi-row
 * INSERT afresh (PostgreSQL's {@code plan_cache_mode = force_custom_plan} for the whole pool) cost
 * 27 s of database time per 21,000 resources stored.
 */
final class CustomPlansForSearches extends DelegatingDataSource {

	/** HAPI's search builder: {@code SELECT t1.RES_ID …}, {@code SELECT DISTINCT t0.SRC_RESOURCE_ID …}, {@code SELECT count(t0.RES_ID) …}. */
	private static final Pattern SEARCH_SQL = Pattern.compile("^SELECT (count\\()?(DISTINCT )?t\\d+\\.");

	CustomPlansForSearches(DataSource pool) {
		super(pool);
	}

	private static boolean isSearch(String sql) {
		return SEARCH_SQL.matcher(sql).lookingAt();
	}

	@Override
	public Connection getConnection() throws SQLException {
		return plannedPerCall(super.getConnection());
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return plannedPerCall(super.getConnection(username, password));
	}

	/** The connection, whose search statements the driver sends unnamed (prepare threshold 0: planned on each execution). */
	private static Connection plannedPerCall(Connection connection) {
		return (Connection) Proxy.newProxyInstance(CustomPlansForSearches.class.getClassLoader(), new Class<?>[] {Connection.class},
				(proxy, method, args) -> {
					String name = method.getName();
					// the proxy is its own identity (the pool's connection does not know it)
					if (name.equals("equals") && args.length == 1) {
						return proxy == args[0];
					}
					if (name.equals("hashCode") && args == null) {
						return System.identityHashCode(proxy);
					}
					Object result;
					try {
						result = method.invoke(connection, args);
					} catch (InvocationTargetException e) {
						throw e.getCause();
					}
					if (name.equals("prepareStatement") && args[0] instanceof String sql && isSearch(sql)
							&& result instanceof PreparedStatement statement) {
						statement.unwrap(PGStatement.class).setPrepareThreshold(0);
					}
					return result;
				});
	}
}
