package vn.ehealth.fhir.server.storage;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;

/**
 * Every pooled connection plans each statement for its own values ({@code plan_cache_mode =
 * force_custom_plan}, PostgreSQL 12+). HAPI's search SQL compares hashes, and how many rows a hash
 * matches varies by orders of magnitude (a LOINC code on thousands of Observations, a CCCD on one
 * Patient). The JDBC driver prepares a statement on the server from its fifth use, and PostgreSQL then
 * switches to one generic plan once that looks no dearer than the plans it made so far; for
 * {@code Observation?patient.identifier=…&code=…&_sort=-date} the generic plan starts from the code
 * (2,000 rows) instead of the patient (one), 13–21 ms instead of 0.2 ms (docs/benchmarks.md, eighth
 * round). Planning each time costs a fraction of a millisecond.
 */
class CustomQueryPlans implements BeanPostProcessor, Ordered {

	static final String SET = "SET plan_cache_mode = force_custom_plan";

	/** Runs after spring.datasource.hikari.* is bound, before the pool opens its first connection. */
	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (bean instanceof HikariDataSource hikari) {
			PooledConnectionConfig.runOnEachNewConnection(hikari, SET);
		}
		return bean;
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}
}
