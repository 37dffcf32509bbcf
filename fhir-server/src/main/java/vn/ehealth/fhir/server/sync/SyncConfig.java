package vn.ehealth.fhir.server.sync;

import ca.uhn.fhir.context.FhirContext;
import javax.sql.DataSource;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import vn.ehealth.fhir.server.bulkimport.ImportWorker;
import vn.ehealth.fhir.server.bulkimport.NdjsonImporter;
import vn.ehealth.fhir.server.bulkimport.BulkImportSettings;
import vn.ehealth.fhir.server.storage.DataDirectory;

/** The province → national sync job of this server, its state table and its schedule. */
@Configuration(proxyBeanMethods = false)
class SyncConfig {

	@Bean
	SyncStateStore syncStateStore(DataSource dataSource) {
		return new SyncStateStore(dataSource);
	}

	@Bean
	SyncJob syncJob(
			SyncSettings settings, BulkImportSettings importSettings, DataDirectory dataDirectory, SyncStateStore state,
			NdjsonImporter importer, FhirContext fhirContext, ImportWorker worker) {
		return new SyncJob(settings, dataDirectory.bulkImport(importSettings.workDir()).resolve("sync"), state, importer,
				fhirContext, worker.node());
	}

	@EventListener(ApplicationReadyEvent.class)
	void startSchedule(ApplicationReadyEvent event) {
		event.getApplicationContext().getBean(SyncJob.class).start();
	}

	@EventListener(ContextClosedEvent.class)
	void stopSchedule(ContextClosedEvent event) {
		event.getApplicationContext().getBeansOfType(SyncJob.class).values().forEach(SyncJob::stop);
	}
}
