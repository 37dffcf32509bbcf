package vn.ehealth.fhir.server.reporting;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import jakarta.persistence.EntityManager;
import org.hibernate.Session;
import org.hl7.fhir.instance.model.api.IBaseResource;
import vn.ehealth.fhir.server.rest.RequestPipeline;

/**
 * Keeps the statistics' facts current as data arrives: each stored Patient, Encounter, Condition,
 * facility Organization and cause-of-death Observation has its row written (or removed) on the JPA
 * session's own connection just before the write commits, so the facts commit or roll back with it,
 * whether it came as a single write, a transaction entry, a $import chunk or a claim XML episode.
 */
public final class ReportFacts {

	private final EntityManager entityManager;

	ReportFacts(EntityManager entityManager) {
		this.entityManager = entityManager;
	}

	@Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED, order = RequestPipeline.Precommit.REPORT_FACTS)
	public void created(IBaseResource resource) {
		write(resource);
	}

	@Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED, order = RequestPipeline.Precommit.REPORT_FACTS)
	public void updated(IBaseResource previous, IBaseResource resource) {
		write(resource);
	}

	@Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED, order = RequestPipeline.Precommit.REPORT_FACTS)
	public void deleted(IBaseResource resource) {
		if (FactRows.Kind.of(resource) != null) {
			entityManager.unwrap(Session.class).doWork(connection -> FactRows.remove(connection, resource));
		}
	}

	private void write(IBaseResource resource) {
		if (FactRows.Kind.of(resource) != null) {
			entityManager.unwrap(Session.class).doWork(connection -> FactRows.write(connection, resource));
		}
	}
}
