package vn.ehealth.fhir.server.audit;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** One short JDBC transaction on a pooled connection: commit on success, roll back on any failure. */
final class JdbcTransaction {

	@FunctionalInterface
	interface Work<T> {
		T run(Connection connection) throws SQLException;
	}

	private JdbcTransaction() {}

	/** Runs the work in a transaction; a database failure becomes an IllegalStateException naming {@code what}. */
	static <T> T run(DataSource dataSource, String what, Work<T> work) {
		try (Connection connection = dataSource.getConnection()) {
			boolean autoCommit = connection.getAutoCommit();
			connection.setAutoCommit(false);
			try {
				T result = work.run(connection);
				connection.commit();
				return result;
			} catch (SQLException | RuntimeException e) {
				connection.rollback();
				throw e;
			} finally {
				connection.setAutoCommit(autoCommit);
			}
		} catch (SQLException e) {
			throw new IllegalStateException(what + ": " + e.getMessage(), e);
		}
	}
}
