package vn.ehealth.fhir.server.bulkimport;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.dao.tx.IHapiTransactionService;
import ca.uhn.fhir.rest.server.RestfulServer;
import jakarta.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import vn.ehealth.fhir.server.audit.AuditTrailInterceptor;
import vn.ehealth.fhir.server.observability.ServerMetrics;
import vn.ehealth.fhir.server.rest.FhirServerCustomizer;
import vn.ehealth.fhir.server.rest.RequestSizeLimitFilter;
import vn.ehealth.fhir.server.storage.DataDirectory;
import vn.ehealth.fhir.server.validation.ProfileEnforcingInterceptor;

/** $import: the job table, the importer, the workers, the operation and its upload limit. */
@Configuration(proxyBeanMethods = false)
class BulkImportConfig {

	@Bean
	ImportJobStore importJobStore(DataSource dataSource) {
		return new ImportJobStore(dataSource);
	}

	@Bean
	NdjsonImporter ndjsonImporter(
			FhirContext fhirContext,
			IFhirSystemDao<Bundle, Meta> systemDao,
			ProfileEnforcingInterceptor validation,
			AuditTrailInterceptor audit,
			ObjectProvider<RestfulServer> restfulServer,
			JpaStorageSettings storageSettings,
			IHapiTransactionService transactions,
			EntityManagerFactory entityManagerFactory,
			ServerMetrics metrics,
			BulkImportSettings settings) {
		ChunkWriter writer = new ChunkWriter(transactions, systemDao,
				SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory), settings.chunkSize());
		return new NdjsonImporter(fhirContext, systemDao, validation, audit, restfulServer, storageSettings, writer, metrics,
				settings.chunkSize(), settings.storeThreads());
	}

	@Bean
	ImportWorker importWorker(
			ImportJobStore store, NdjsonImporter importer, BulkImportSettings settings, DataDirectory dataDirectory) {
		return new ImportWorker(store, importer, settings, dataDirectory);
	}

	@Bean
	FhirServerCustomizer bulkImportOperation(
			ImportJobStore store, ImportWorker worker, FhirContext fhirContext, BulkImportSettings settings) {
		BulkImportProvider provider = new BulkImportProvider(store, worker, fhirContext, settings);
		return server -> server.registerProvider(provider);
	}

	/** NDJSON uploads to $import are streamed to disk: they get their own, larger limit. */
	@Bean
	RequestSizeLimitFilter.OwnLimit importUploadLimit(BulkImportSettings settings) {
		return new RequestSizeLimitFilter.OwnLimit(BulkImportProvider::isUpload,
				settings.maxUploadSize().toBytes(), BulkImportSettings.PREFIX + ".max-upload-size");
	}

	/** Jobs start once the server is ready (the guide installed, so validation has its profiles). */
	@EventListener(ApplicationReadyEvent.class)
	void startWorkers(ApplicationReadyEvent event) {
		event.getApplicationContext().getBean(ImportWorker.class).start();
	}

	@EventListener(ContextClosedEvent.class)
	void stopWorkers(ContextClosedEvent event) {
		event.getApplicationContext().getBeansOfType(ImportWorker.class).values().forEach(ImportWorker::stop);
	}
}
