package vn.ehealth.fhir.server.storage;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import vn.ehealth.fhir.server.rest.FhirSettings;

/** The statement time-out every pooled connection starts with (vietfhir.fhir.statement-timeout). */
@Configuration(proxyBeanMethods = false)
class StatementTimeoutConfig {

	/** A post-processor, so static: the settings record it takes is bound before the other beans exist. */
	@Bean
	static StatementTimeout statementTimeout(ObjectProvider<FhirSettings> fhir) {
		return new StatementTimeout(() -> fhir.getObject().statementTimeout());
	}
}
