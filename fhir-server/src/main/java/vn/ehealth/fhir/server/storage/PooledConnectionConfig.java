package vn.ehealth.fhir.server.storage;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import vn.ehealth.fhir.server.rest.FhirSettings;

/** Session settings every pooled connection starts with (Hikari's connection-init SQL). */
@Configuration(proxyBeanMethods = false)
class PooledConnectionConfig {

	/** A post-processor, so static: the settings record it takes is bound before the other beans exist. */
	@Bean
	static StatementTimeout statementTimeout(ObjectProvider<FhirSettings> fhir) {
		return new StatementTimeout(() -> fhir.getObject().statementTimeout());
	}

	@Bean
	static CustomQueryPlans customQueryPlans() {
		return new CustomQueryPlans();
	}

	/** Puts {@code sql} before whatever connection-init SQL the pool has (statements joined by "; "). */
	static void runOnEachNewConnection(HikariDataSource pool, String sql) {
		String configured = pool.getConnectionInitSql();
		pool.setConnectionInitSql(configured == null || configured.isBlank() ? sql : sql + "; " + configured);
	}
}
