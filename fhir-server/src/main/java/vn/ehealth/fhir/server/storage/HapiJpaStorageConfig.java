package vn.ehealth.fhir.server.storage;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.api.IDaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.config.util.ResourceCountCacheUtil;
import ca.uhn.fhir.jpa.dao.FulltextSearchSvcImpl;
import ca.uhn.fhir.jpa.dao.IFulltextSearchSvc;
import ca.uhn.fhir.jpa.dao.search.HSearchSortHelperImpl;
import ca.uhn.fhir.jpa.dao.search.IHSearchSortHelper;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect;
import ca.uhn.fhir.jpa.provider.DaoRegistryResourceSupportedSvc;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.jpa.search.HapiHSearchAnalysisConfigurers;
import ca.uhn.fhir.jpa.search.IStaleSearchDeletingSvc;
import ca.uhn.fhir.jpa.search.StaleSearchDeletingSvcImpl;
import ca.uhn.fhir.jpa.search.elastic.IndexNamePrefixLayoutStrategy;
import ca.uhn.fhir.jpa.searchparam.extractor.ISearchParamExtractor;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.jpa.util.ResourceCountCache;
import ca.uhn.fhir.rest.api.IResourceSupportedSvc;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import jakarta.persistence.EntityManagerFactory;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import javax.sql.DataSource;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.search.backend.elasticsearch.cfg.ElasticsearchBackendSettings;
import org.hibernate.search.backend.elasticsearch.cfg.ElasticsearchIndexSettings;
import org.hibernate.search.backend.lucene.cfg.LuceneBackendSettings;
import org.hibernate.search.backend.lucene.cfg.LuceneIndexSettings;
import org.hibernate.search.engine.cfg.BackendSettings;
import org.hibernate.search.mapper.orm.cfg.HibernateOrmMapperSettings;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import vn.ehealth.fhir.server.rest.FhirSettings;
import vn.ehealth.fhir.server.rest.AdminOperations;

/**
 * Wires HAPI FHIR's JPA storage (R4 DAOs, search, batch2 jobs) onto our DataSource, with Hibernate
 * Search on local Lucene or an Elasticsearch/OpenSearch cluster. SubscriptionChannelConfig supplies
 * the in-process message broker that batch2 uses to hand out work chunks.
 */
@Configuration(proxyBeanMethods = false)
@Import({
	JpaR4Config.class,
	JpaBatch2Config.class,
	Batch2JobsConfig.class,
	SubscriptionChannelConfig.class,
	ThreadPoolFactoryConfig.class
})
class HapiJpaStorageConfig {

	private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HapiJpaStorageConfig.class);

	/** Nodes sharing a database start one at a time (schema update, package install): see {@link StartupLock}. */
	@Bean
	static StartupLock startupLock(ObjectProvider<ClusterSettings> cluster) {
		return new StartupLock(() -> cluster.getObject().startupLockTimeout());
	}

	/** Our own vf_* tables, migrated under the start-up lock before any bean gets the DataSource. */
	@Bean
	static OwnTablesMigration ownTablesMigration() {
		return new OwnTablesMigration();
	}

	@Bean
	JpaStorageSettings jpaStorageSettings(FhirSettings fhir, SearchSettings search) {
		JpaStorageSettings settings = new JpaStorageSettings();
		// _text and _content are answered from the Hibernate Search index
		settings.setHibernateSearchIndexFullText(true);
		settings.setAdvancedHSearchIndexing(false);
		settings.setHSearchIndexPrefix(search.indexPrefix());
		// a token's display text (an Observation's code, category, …) is a string index row of its own,
		// 2–5 of a resource's 14–20 rows: only a search with :text reads them (search/TokenTextSearchOff)
		settings.setSuppressStringIndexingInTokens(!search.tokenTextIndex());
		settings.setAllowExternalReferences(false);
		settings.setEnforceReferentialIntegrityOnWrite(true);
		settings.setEnforceReferentialIntegrityOnDelete(true);
		settings.setAutoCreatePlaceholderReferenceTargets(false);
		// erasing history for good (also DELETE ?_expunge=true) only where the operator turned $expunge on
		boolean expunge = AdminOperations.enabled(fhir.adminOperations()).contains("$expunge");
		settings.setDeleteExpungeEnabled(expunge);
		settings.setExpungeEnabled(expunge);
		// history totals exact, not cached for a minute: clients page by them
		settings.setHistoryCountMode(ca.uhn.fhir.jpa.api.model.HistoryCountModeEnum.COUNT_ACCURATE);
		// 0 = never reuse: HAPI's "off" is null; with 0 it still looks for a reusable search (a transaction
		// and a SELECT on HFJ_SEARCH) on every search, to find none
		long reuseMillis = fhir.reuseCachedSearchResultsMillis();
		settings.setReuseCachedSearchResultsForMillis(reuseMillis > 0 ? reuseMillis : null);
		// no FetchSizeDefaultMaximum: page size is capped by the paging provider below; that setting also
		// caps HAPI's internal synchronous searches and leaves results above it without a size, which
		// breaks batch jobs (bulk export by id lists of 800) and anything calling getAllResources()
		settings.setBundleBatchPoolSize(fhir.bundleBatchPoolSize());
		settings.setBundleBatchMaxPoolSize(fhir.bundleBatchPoolSize());
		// ValueSet/$expand of whole code systems (the full ICD-10 list) is filtered after expansion
		settings.setMaximumExpansionSize(50_000);
		// expand from the stored CodeSystem each time (cached): HAPI's scheduled pre-expansion can run
		// before a newly installed code system's concepts are written and then serve an empty expansion
		settings.setPreExpandValueSets(false);
		settings.setTreatBaseUrlsAsLocal(new HashSet<>(fhir.localBaseUrls()));
		if (fhir.serverIdStrategy() == FhirSettings.ServerIdStrategy.UUID) {
			settings.setResourceServerIdStrategy(JpaStorageSettings.IdStrategyEnum.UUID);
		}
		return settings;
	}

	/**
	 * Batch jobs are coordinated through the database (job and work-chunk tables, row locks), so every
	 * node runs the maintenance pass and a job still runs once; the interval sets how soon a job moves
	 * to its next step. Set before the scheduler starts (on context refresh).
	 */
	@Bean
	org.springframework.beans.factory.SmartInitializingSingleton jobMaintenanceInterval(
			ca.uhn.fhir.batch2.api.IJobMaintenanceService maintenance, ClusterSettings cluster) {
		return () -> {
			if (maintenance instanceof ca.uhn.fhir.batch2.maintenance.JobMaintenanceServiceImpl impl) {
				impl.setScheduledJobFrequencyMillis(cluster.jobMaintenanceInterval().toMillis());
			}
		};
	}

	@Bean
	PartitionSettings partitionSettings() {
		return new PartitionSettings();
	}

	@Bean
	SubscriptionSettings subscriptionSettings() {
		return new SubscriptionSettings();
	}

	@Primary
	@Bean
	LocalContainerEntityManagerFactoryBean entityManagerFactory(
			ConfigurableListableBeanFactory beanFactory,
			FhirContext fhirContext,
			JpaStorageSettings storageSettings,
			DataSource dataSource,
			SearchSettings search,
			DatabaseSettings database,
			DataDirectory dataDirectory) {
		LocalContainerEntityManagerFactoryBean factory =
				HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
		factory.setPersistenceUnitName("HAPI_PU");
		factory.setDataSource(new CustomPlansForSearches(dataSource));
		factory.setJpaPropertyMap(hibernateProperties(search, database, dataDirectory));
		return factory;
	}

	static Map<String, Object> hibernateProperties(
			SearchSettings search, DatabaseSettings database, DataDirectory dataDirectory) {
		Map<String, Object> jpa = new HashMap<>();
		jpa.put(AvailableSettings.DIALECT, HapiFhirPostgresDialect.class.getName());
		jpa.put(AvailableSettings.HBM2DDL_AUTO, "update");
		jpa.put(AvailableSettings.SCANNER, "org.hibernate.boot.archive.scan.internal.DisabledScanner");
		jpa.put(AvailableSettings.STATEMENT_BATCH_SIZE, "50");
		jpa.put(AvailableSettings.ORDER_INSERTS, "true");
		jpa.put(AvailableSettings.ORDER_UPDATES, "true");
		jpa.put(AvailableSettings.USE_SECOND_LEVEL_CACHE, "false");
		jpa.put(AvailableSettings.USE_QUERY_CACHE, "false");
		jpa.put(AvailableSettings.FORMAT_SQL, "false");
		jpa.put(AvailableSettings.SHOW_SQL, "false");

		jpa.put(HibernateOrmMapperSettings.ENABLED, "true");
		// Lucene: read-sync, a search right after a write sees it. A cluster: write-sync, searches on any
		// node see a write within the index refresh interval (1 s) without a refresh per write.
		jpa.put(
				HibernateOrmMapperSettings.INDEXING_PLAN_SYNCHRONIZATION_STRATEGY,
				search.indexingSyncOrDefault().hibernateSearchName());
		switch (search.backend()) {
			case LUCENE -> {
				if (database.mode() == DatabaseSettings.DatabaseMode.EXTERNAL) {
					LOG.warn("The full-text index (vietfhir.search.backend=lucene) is on this node's disk: if other nodes "
							+ "share the database, _text/_content on one node will not see the others' writes; "
							+ "use vietfhir.search.backend=elasticsearch (docs/scale-out.md)");
				}
				jpa.put(BackendSettings.backendKey(BackendSettings.TYPE), "lucene");
				jpa.put(
						BackendSettings.backendKey(LuceneBackendSettings.ANALYSIS_CONFIGURER),
						HapiHSearchAnalysisConfigurers.HapiLuceneAnalysisConfigurer.class.getName());
				jpa.put(BackendSettings.backendKey(LuceneIndexSettings.DIRECTORY_TYPE), "local-filesystem");
				jpa.put(
						BackendSettings.backendKey(LuceneIndexSettings.DIRECTORY_ROOT),
						dataDirectory.lucene(search.luceneDir()).toAbsolutePath().toString());
				jpa.put(BackendSettings.backendKey(LuceneBackendSettings.LUCENE_VERSION), "LUCENE_CURRENT");
			}
			case ELASTICSEARCH -> {
				jpa.put(BackendSettings.backendKey(BackendSettings.TYPE), "elasticsearch");
				jpa.put(
						BackendSettings.backendKey(ElasticsearchIndexSettings.ANALYSIS_CONFIGURER),
						HapiHSearchAnalysisConfigurers.HapiElasticsearchAnalysisConfigurer.class.getName());
				jpa.put(BackendSettings.backendKey(ElasticsearchBackendSettings.HOSTS), search.elasticsearchHosts());
				jpa.put(
						BackendSettings.backendKey(ElasticsearchBackendSettings.PROTOCOL),
						search.elasticsearchProtocol());
				if (search.elasticsearchUsername() != null && !search.elasticsearchUsername().isBlank()) {
					jpa.put(
							BackendSettings.backendKey(ElasticsearchBackendSettings.USERNAME),
							search.elasticsearchUsername());
					jpa.put(
							BackendSettings.backendKey(ElasticsearchBackendSettings.PASSWORD),
							search.elasticsearchPassword());
				}
				jpa.put(
						BackendSettings.backendKey(ElasticsearchBackendSettings.LAYOUT_STRATEGY),
						IndexNamePrefixLayoutStrategy.class.getName());
				// as HAPI's own Elasticsearch wiring (ElasticsearchHibernatePropertiesBuilder): indexes are
				// created when missing but never validated (terminology fields are mapped dynamically), and
				// its index settings allow the n-gram analyzers' spread
				jpa.put(HibernateOrmMapperSettings.SCHEMA_MANAGEMENT_STRATEGY, "create");
				jpa.put(BackendSettings.backendKey(ElasticsearchIndexSettings.DYNAMIC_MAPPING), "true");
				jpa.put(
						BackendSettings.backendKey(ElasticsearchIndexSettings.SCHEMA_MANAGEMENT_SETTINGS_FILE),
						"ca/uhn/fhir/jpa/elastic/index-settings.json");
				jpa.put(
						BackendSettings.backendKey(ElasticsearchIndexSettings.SCHEMA_MANAGEMENT_MINIMAL_REQUIRED_STATUS),
						search.elasticsearchRequiredIndexStatus());
				jpa.put(
						BackendSettings.backendKey(
								ElasticsearchIndexSettings.SCHEMA_MANAGEMENT_MINIMAL_REQUIRED_STATUS_WAIT_TIMEOUT),
						"30000");
				if (search.elasticsearchVersion() != null && !search.elasticsearchVersion().isBlank()) {
					// a known version lets the server start without asking the cluster first
					jpa.put(BackendSettings.backendKey(ElasticsearchBackendSettings.VERSION), search.elasticsearchVersion());
					jpa.put(BackendSettings.backendKey(ElasticsearchBackendSettings.VERSION_CHECK_ENABLED), "false");
				}
			}
		}
		return jpa;
	}

	@Bean
	@Primary
	JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory, DataSource dataSource) {
		JpaTransactionManager manager = new JpaTransactionManager(entityManagerFactory);
		// the pool itself, not Hibernate's view of it (CustomPlansForSearches): JDBC code on the pool inside
		// a JPA transaction finds and joins that transaction's connection
		manager.setDataSource(dataSource);
		return manager;
	}

	/** Chosen over HAPI's own extractor bean wherever HAPI asks for one (see the class). */
	@Bean
	@Primary
	ISearchParamExtractor compositeSkippingSearchParamExtractor(
			JpaStorageSettings storageSettings,
			PartitionSettings partitionSettings,
			FhirContext fhirContext,
			ISearchParamRegistry searchParamRegistry) {
		return new CompositeSkippingSearchParamExtractor(storageSettings, partitionSettings, fhirContext, searchParamRegistry);
	}

	@Bean
	IFulltextSearchSvc fullTextSearchSvc() {
		return new FulltextSearchSvcImpl();
	}

	@Bean
	IHSearchSortHelper hSearchSortHelper(ISearchParamRegistry searchParamRegistry) {
		return new HSearchSortHelperImpl(searchParamRegistry);
	}

	@Bean
	IStaleSearchDeletingSvc staleSearchDeletingSvc() {
		return new StaleSearchDeletingSvcImpl();
	}

	@Bean
	DatabaseBackedPagingProvider databaseBackedPagingProvider(FhirSettings fhir) {
		DatabaseBackedPagingProvider paging = new DatabaseBackedPagingProvider();
		paging.setDefaultPageSize(fhir.defaultPageSize());
		paging.setMaximumPageSize(fhir.maxPageSize());
		return paging;
	}

	@Bean
	IResourceSupportedSvc resourceSupportedSvc(IDaoRegistry daoRegistry) {
		return new DaoRegistryResourceSupportedSvc(daoRegistry);
	}

	@Bean(name = "myResourceCountsCache")
	ResourceCountCache resourceCountsCache(IFhirSystemDao<?, ?> systemDao) {
		return ResourceCountCacheUtil.newResourceCountCache(systemDao);
	}
}
