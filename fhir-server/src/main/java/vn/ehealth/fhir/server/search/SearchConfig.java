package vn.ehealth.fhir.server.search;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.dao.IJpaStorageResourceParser;
import jakarta.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import vn.ehealth.fhir.server.rest.FhirServerCustomizer;
import vn.ehealth.fhir.server.storage.DataDirectory;
import vn.ehealth.fhir.server.storage.SearchSettings;

/**
 * The full-text index's operator command (the backend itself is wired in storage/HapiJpaStorageConfig),
 * and the answer to :text on a token while codes' display text is not indexed.
 */
@Configuration(proxyBeanMethods = false)
class SearchConfig {

	@Bean
	FullTextIndexRebuild fullTextIndexRebuild(
			DataSource dataSource,
			EntityManagerFactory entityManagerFactory,
			PlatformTransactionManager transactionManager,
			IJpaStorageResourceParser resourceParser,
			FhirContext fhirContext) {
		return new FullTextIndexRebuild(
				dataSource, entityManagerFactory, transactionManager, resourceParser, fhirContext);
	}

	/** Code display text not indexed: a search with :text on a token is answered 400, naming the setting. */
	@Bean
	@ConditionalOnProperty(name = SearchSettings.TOKEN_TEXT_INDEX_KEY, havingValue = "false", matchIfMissing = true)
	FhirServerCustomizer tokenTextSearchOff() {
		return server -> server.registerInterceptor(new TokenTextSearchOff());
	}

	/** Only for the local index: a cluster keeps what it acknowledged (its own transaction log). */
	@Bean
	@ConditionalOnProperty(name = SearchSettings.BACKEND_KEY, havingValue = "lucene", matchIfMissing = true)
	FullTextIndexCheckpoint fullTextIndexCheckpoint(
			DataDirectory dataDirectory,
			SearchSettings settings,
			DataSource dataSource,
			EntityManagerFactory entityManagerFactory,
			FullTextIndexRebuild rebuild) {
		return new FullTextIndexCheckpoint(
				dataDirectory.lucene(settings.luceneDir()).toAbsolutePath(), dataSource, entityManagerFactory, rebuild);
	}
}
