package vn.ehealth.fhir.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL session advisory lock held on a connection of its own, for work that must run on one
 * node of a cluster at a time (start-up, the full-text index rebuild). The lock lives as long as the
 * session: it is released explicitly before the connection goes back to the pool.
 */
public final class SessionAdvisoryLock implements AutoCloseable {

	private static final Logger LOG = LoggerFactory.getLogger(SessionAdvisoryLock.class);

	private final Connection connection;
	private final long key;

	private SessionAdvisoryLock(Connection connection, long key) {
		this.connection = connection;
		this.key = key;
	}

	/** The lock, or null when another session holds it; the connection is not kept when it is not taken. */
	public static SessionAdvisoryLock tryAcquire(DataSource dataSource, long key) throws SQLException {
		Connection connection = dataSource.getConnection();
		boolean acquired = false;
		try (PreparedStatement tryLock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
			tryLock.setLong(1, key);
			try (ResultSet result = tryLock.executeQuery()) {
				result.next();
				acquired = result.getBoolean(1);
			}
			return acquired ? new SessionAdvisoryLock(connection, key) : null;
		} finally {
			if (!acquired) {
				connection.close();
			}
		}
	}

	/** Releases the lock and returns the connection; a failed unlock is logged (closing the session ends it). */
	@Override
	public void close() {
		try (connection; PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
			unlock.setLong(1, key);
			unlock.execute();
		} catch (SQLException e) {
			LOG.warn("Could not release advisory lock {} ({}); it goes when the connection closes", key, e.getMessage());
		}
	}
}
