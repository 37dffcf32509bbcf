package vn.ehealth.fhir.server.storage;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import vn.ehealth.fhir.server.config.VietFhirProperties;

@Configuration(proxyBeanMethods = false)
public class StatementTimeoutConfig {

	/** A post-processor, so static and bound from the Environment: it runs before the properties bean exists. */
	@Bean
	public static StatementTimeout statementTimeout(Environment environment) {
		VietFhirProperties properties = Binder.get(environment).bindOrCreate("vietfhir", VietFhirProperties.class);
		return new StatementTimeout(properties.getFhir().getStatementTimeout());
	}
}
