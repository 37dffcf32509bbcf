package vn.ehealth.fhir.server.search;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.dao.IJpaStorageResourceParser;
import jakarta.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/** The full-text index's operator command (the backend itself is wired in storage/HapiJpaStorageConfig). */
@Configuration(proxyBeanMethods = false)
public class SearchConfig {

	@Bean
	public FullTextIndexRebuild fullTextIndexRebuild(
			DataSource dataSource,
			EntityManagerFactory entityManagerFactory,
			PlatformTransactionManager transactionManager,
			IJpaStorageResourceParser resourceParser,
			FhirContext fhirContext) {
		return new FullTextIndexRebuild(
				dataSource, entityManagerFactory, transactionManager, resourceParser, fhirContext);
	}
}
