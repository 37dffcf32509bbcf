package vn.ehealth.fhir.server.identity;

import ca.uhn.fhir.batch2.api.IJobCoordinator;
import ca.uhn.fhir.batch2.jobs.merge.MergeAppCtx;
import ca.uhn.fhir.batch2.jobs.replacereferences.ReplaceReferencesAppCtx;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.svc.IMergeOperationProviderSvc;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import vn.ehealth.fhir.server.rest.FhirServerCustomizer;

/**
 * One citizen, one record (issue 19): the two Vietnamese identifier namespaces searched as one, and
 * one current Patient per CCCD guaranteed by the database. The hooks that keep the CCCD key and the
 * match index in step with the Patients are on HAPI's storage interceptors (every write: REST, bulk
 * import, HAPI's own jobs); the search rewriting and the operations are on the REST server.
 */
@Configuration(proxyBeanMethods = false)
// the background jobs of $merge above its resource-limit (and of the reference replacement it runs):
// HAPI's Batch2JobsConfig does not bring them
@Import({MergeAppCtx.class, ReplaceReferencesAppCtx.class})
class IdentityConfig {

	@Bean
	FhirServerCustomizer identityHooks(EntityManagerFactory entityManagerFactory, DataSource dataSource, DaoRegistry daos,
			IMergeOperationProviderSvc merges, IdentitySettings settings, ObjectProvider<IJobCoordinator> jobs,
			IInterceptorService storageInterceptors) {
		EntityManager entityManager = SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory);
		RunningMerges runningMerges = new RunningMerges(jobs);
		CitizenIdRegistry registry = new CitizenIdRegistry(entityManager, daos.getResourceDao(Patient.class), runningMerges);
		MatchIndexHooks matchIndex = new MatchIndexHooks(entityManager, settings.duplicateCheck());
		// on HAPI's storage interceptors, not the REST server's: a write of HAPI's own background jobs
		// ($merge above its resource-limit) carries no REST request, and the tables must follow it too
		storageInterceptors.registerInterceptor(new MergedSourceInactive(runningMerges));
		storageInterceptors.registerInterceptor(registry);
		storageInterceptors.registerInterceptor(matchIndex);
		PatientMatchProvider match = new PatientMatchProvider(dataSource, daos.getResourceDao(Patient.class));
		return server -> {
			keepVersionsOfProvenanceTargets(server.getFhirContext());
			server.registerInterceptor(new EquivalentIdentifierSearch());
			server.registerProvider(match);
			server.registerProvider(new PatientMergeProvider(merges));
			server.registerInterceptor(new MergeAgents());
			server.registerProvider(new DuplicateReviewProvider(dataSource));
		};
	}

	/**
	 * $unmerge restores each resource $merge changed from the version its Provenance targets; HAPI strips
	 * versions from stored references unless told where not to (a Provenance's target is meant to name
	 * the version it is about: FHIR R4 Provenance.target).
	 */
	private static void keepVersionsOfProvenanceTargets(FhirContext fhirContext) {
		Set<String> paths = new HashSet<>(fhirContext.getParserOptions().getDontStripVersionsFromReferencesAtPaths());
		paths.add("Provenance.target");
		fhirContext.getParserOptions().setDontStripVersionsFromReferencesAtPaths(paths);
	}

	@Bean
	ApplicationListener<ApplicationReadyEvent> patientBackfills(DataSource dataSource, DaoRegistry daos, IdentitySettings settings) {
		IFhirResourceDao<Patient> patients = daos.getResourceDao(Patient.class);
		List<PatientBackfill> backfills = List.of(CitizenIdBackfill.create(), MatchIndexBackfill.create(settings.duplicateCheck()));
		return event -> backfills.forEach(backfill -> backfill.runOnce(dataSource, patients));
	}
}
