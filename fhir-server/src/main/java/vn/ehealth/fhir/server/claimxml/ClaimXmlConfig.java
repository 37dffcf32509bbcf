package vn.ehealth.fhir.server.claimxml;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
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
import vn.ehealth.fhir.server.bulkimport.BulkImportSettings;
import vn.ehealth.fhir.server.bulkimport.ImportWorker;
import vn.ehealth.fhir.server.rest.FhirServerCustomizer;
import vn.ehealth.fhir.server.rest.RequestSizeLimitFilter;
import vn.ehealth.fhir.server.validation.ProfileEnforcingInterceptor;

/** $import-claim-xml: the operation, its jobs and its own request size limits. */
@Configuration(proxyBeanMethods = false)
class ClaimXmlConfig {

	/** Jobs are $import's kind: they live on $import's node id and are kept as long as its jobs. */
	@Bean
	ClaimXmlJobs claimXmlJobs(FhirContext fhirContext, EpisodeImporter importer, ClaimXmlSettings settings, DataSource dataSource,
			ObjectProvider<RestfulServer> restfulServer, AuditTrailInterceptor audit, ImportWorker importWorker, BulkImportSettings bulkImport) {
		return new ClaimXmlJobs(new ClaimXmlJobStore(dataSource), importer,
				new SubmissionReader(settings), new ZipEnvelopes(settings), fhirContext, restfulServer, audit,
				importWorker.node(), bulkImport.retention(), settings.jobTakeoverAfter());
	}

	@Bean
	FhirServerCustomizer claimXmlImport(FhirContext fhirContext, EpisodeImporter importer, ClaimXmlSettings settings,
			ClaimXmlJobs jobs, DataSource dataSource) {
		ClaimXmlProvider provider = new ClaimXmlProvider(fhirContext, new SubmissionReader(settings), new ZipEnvelopes(settings),
				importer, jobs, new ClaimXmlJobStore(dataSource), settings);
		return server -> server.registerProvider(provider);
	}

	/** $claim-xml: an episode written back as the claim XML envelope. */
	@Bean
	FhirServerCustomizer claimXmlExport(DaoRegistry daos) {
		ClaimXmlExportProvider provider = new ClaimXmlExportProvider(new EpisodeRecords(daos));
		return server -> server.registerProvider(provider);
	}

	/** One for the operation and its jobs. */
	@Bean
	EpisodeImporter claimXmlEpisodeImporter(FhirContext fhirContext, IFhirSystemDao<Bundle, Meta> systemDao,
			IHapiTransactionService transactions, EntityManagerFactory entityManagerFactory, ProfileEnforcingInterceptor validation,
			DaoRegistry daos) {
		ExistingRecords existing = new ExistingRecords(daos);
		EpisodeTransactions episodeTransactions = new EpisodeTransactions(transactions, systemDao,
				SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory), existing);
		return new EpisodeImporter(fhirContext, episodeTransactions, validation, new EpisodeMapper(existing));
	}

	/** An envelope carries its tables base64-encoded: it gets its own limit, the one the reader enforces too. */
	@Bean
	RequestSizeLimitFilter.OwnLimit claimXmlLimit(ClaimXmlSettings settings) {
		return new RequestSizeLimitFilter.OwnLimit(r -> ClaimXmlProvider.isClaimXml(r) && !ClaimXmlProvider.isClaimXmlZip(r),
				settings.maxEnvelopeSize().toBytes(), ClaimXmlSettings.PREFIX + ".max-envelope-size");
	}

	/** A ZIP of envelopes: its own, larger limit (what it expands to is checked while it is read). */
	@Bean
	RequestSizeLimitFilter.OwnLimit claimXmlZipLimit(ClaimXmlSettings settings) {
		return new RequestSizeLimitFilter.OwnLimit(ClaimXmlProvider::isClaimXmlZip, settings.maxZipSize().toBytes(),
				ClaimXmlSettings.PREFIX + ".max-zip-size");
	}

	/** Jobs a restart interrupted resume once the server is ready; abandoned ones of other nodes are watched for. */
	@EventListener(ApplicationReadyEvent.class)
	void startJobs(ApplicationReadyEvent event) {
		event.getApplicationContext().getBean(ClaimXmlJobs.class).start();
	}

	@EventListener(ContextClosedEvent.class)
	void stopJobs(ContextClosedEvent event) {
		event.getApplicationContext().getBeansOfType(ClaimXmlJobs.class).values().forEach(ClaimXmlJobs::stop);
	}
}
