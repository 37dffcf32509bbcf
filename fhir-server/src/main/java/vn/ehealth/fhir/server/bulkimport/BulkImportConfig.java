package vn.ehealth.fhir.server.bulkimport;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.server.RestfulServer;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import vn.ehealth.fhir.server.audit.AuditTrailInterceptor;
import vn.ehealth.fhir.server.config.VietFhirProperties;
import vn.ehealth.fhir.server.rest.FhirRestServerConfig;
import vn.ehealth.fhir.server.rest.FhirServerCustomizer;
import vn.ehealth.fhir.server.validation.ProfileEnforcingInterceptor;

/** $import: the job table, the importer, the workers, the operation and its upload limit. */
@Configuration(proxyBeanMethods = false)
public class BulkImportConfig {

	@Bean
	public ImportJobStore importJobStore(DataSource dataSource) {
		return new ImportJobStore(dataSource);
	}

	@Bean
	public NdjsonImporter ndjsonImporter(
			FhirContext fhirContext,
			IFhirSystemDao<Bundle, Meta> systemDao,
			ProfileEnforcingInterceptor validation,
			AuditTrailInterceptor audit,
			ObjectProvider<RestfulServer> restfulServer,
			JpaStorageSettings storageSettings,
			VietFhirProperties properties) {
		return new NdjsonImporter(fhirContext, systemDao, validation, audit, restfulServer, storageSettings,
				properties.getBulkImport().getChunkSize());
	}

	@Bean
	public ImportWorker importWorker(ImportJobStore store, NdjsonImporter importer, VietFhirProperties properties) {
		return new ImportWorker(store, importer, properties);
	}

	@Bean
	public FhirServerCustomizer bulkImportOperation(
			ImportJobStore store, ImportWorker worker, FhirContext fhirContext, VietFhirProperties properties) {
		BulkImportProvider provider = new BulkImportProvider(store, worker, fhirContext, properties);
		return server -> server.registerProvider(provider);
	}

	@Bean
	public FilterRegistrationBean<UploadLimitFilter> importUploadLimitFilter(VietFhirProperties properties, FhirContext fhirContext) {
		FilterRegistrationBean<UploadLimitFilter> registration = new FilterRegistrationBean<>(
				new UploadLimitFilter(properties.getBulkImport().getMaxUploadSize().toBytes(), fhirContext));
		registration.addUrlPatterns(FhirRestServerConfig.FHIR_PATH + "/*");
		registration.setOrder(-1); // before the general request size limit, which it lifts for uploads
		return registration;
	}

	/** Jobs start once the server is ready (the guide installed, so validation has its profiles). */
	@EventListener(ApplicationReadyEvent.class)
	public void startWorkers(ApplicationReadyEvent event) {
		event.getApplicationContext().getBean(ImportWorker.class).start();
	}

	@EventListener(ContextClosedEvent.class)
	public void stopWorkers(ContextClosedEvent event) {
		event.getApplicationContext().getBeansOfType(ImportWorker.class).values().forEach(ImportWorker::stop);
	}
}
