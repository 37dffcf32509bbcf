package vn.ehealth.fhir.server.storage;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;

/**
 * PostgreSQL's {@code statement_timeout} on every pooled connection ({@code vietfhir.fhir.statement-timeout}):
 * no single statement, a runaway search above all, holds a connection and a CPU for longer, and one
 * whose client has gone is ended by it at the latest. Set as Hikari's connection-init SQL, so it holds
 * on HAPI's search threads as on request threads. Work that legitimately runs long statements lifts it
 * for its own transaction with {@link #liftForTransaction}.
 */
public class StatementTimeout implements BeanPostProcessor, Ordered {

	private static final Logger LOG = LoggerFactory.getLogger(StatementTimeout.class);

	/** Read when the DataSource is post-processed, not when this post-processor is made: settings beans made that
	 * early are "not eligible for getting processed by all BeanPostProcessors" (a WARN each at start). */
	private final Supplier<Duration> timeout;

	StatementTimeout(Supplier<Duration> timeout) {
		this.timeout = timeout;
	}

	/** Runs after spring.datasource.hikari.* is bound, before the pool opens its first connection. */
	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (!(bean instanceof javax.sql.DataSource) || timeout.get().isZero()) {
			return bean;
		}
		if (bean instanceof HikariDataSource hikari) {
			String set = "SET statement_timeout = " + timeout.get().toMillis();
			String configured = hikari.getConnectionInitSql();
			hikari.setConnectionInitSql(configured == null || configured.isBlank() ? set : set + "; " + configured);
		} else {
			LOG.warn("DataSource {} is not a Hikari pool: vietfhir.fhir.statement-timeout is not applied", beanName);
		}
		return bean;
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	/**
	 * No statement timeout until the connection's current transaction ends ({@code SET LOCAL}), for work
	 * that reads whole tables on purpose (bulk export). The connection must not be in auto-commit.
	 */
	public static void liftForTransaction(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute("SET LOCAL statement_timeout = 0");
		}
	}
}
