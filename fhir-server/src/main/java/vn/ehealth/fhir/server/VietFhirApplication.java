package vn.ehealth.fhir.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchClientAutoConfiguration;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.thymeleaf.ThymeleafAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * VietFHIR: HAPI FHIR JPA R4 server for Vietnam's health sector.
 *
 * <p>Thymeleaf auto-configuration is off because the HAPI web test page brings its own template engine;
 * the Elasticsearch client auto-configuration is off because Hibernate Search manages its own client;
 * Flyway (on the classpath through HAPI's migrator) is off because the schema is HAPI's to manage.
 */
@SpringBootApplication(
		exclude = {
			ThymeleafAutoConfiguration.class,
			FlywayAutoConfiguration.class,
			ElasticsearchRestClientAutoConfiguration.class,
			ElasticsearchClientAutoConfiguration.class
		})
@ConfigurationPropertiesScan
public class VietFhirApplication {

	public static void main(String[] args) {
		SpringApplication.run(VietFhirApplication.class, args);
	}
}
