package vn.ehealth.fhir.server.reporting;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import jakarta.persistence.EntityManager;
import org.hibernate.Session;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import vn.ehealth.fhir.server.rest.RequestPipeline;

/**
 * Keeps the statistics' facts current as data arrives: each stored Patient, Encounter, Condition,
 * facility Organization and cause-of-death Observation has its row written (or removed) on the JPA
 * session's own connection just before the write commits, so the facts commit or roll back with it,
 * whether it came as a single write, a transaction entry, a $import chunk or a claim XML episode.
 * The monthly roll-up moves with them: the difference each fact row makes is summed over the
 * transaction and added once, just before it commits ({@link MonthlyRollup}).
 */
public final class ReportFacts {

	private final EntityManager entityManager;

	ReportFacts(EntityManager entityManager) {
		this.entityManager = entityManager;
	}

	@Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED, order = RequestPipeline.Precommit.REPORT_FACTS)
	public void created(IBaseResource resource) {
		change(resource, Change.CREATED);
	}

	@Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED, order = RequestPipeline.Precommit.REPORT_FACTS)
	public void updated(IBaseResource previous, IBaseResource resource) {
		change(resource, Change.UPDATED);
	}

	@Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED, order = RequestPipeline.Precommit.REPORT_FACTS)
	public void deleted(IBaseResource resource) {
		change(resource, Change.DELETED);
	}

	/**
	 * A created resource has no fact row yet (a deleted one lost its row when it was deleted):
	 * nothing to read before it is written, nothing to remove if it does not qualify.
	 */
	private enum Change {
		CREATED,
		UPDATED,
		DELETED
	}

	private void change(IBaseResource resource, Change change) {
		FactRows.Kind kind = FactRows.Kind.of(resource);
		if (kind == null || change == Change.CREATED && !FactRows.qualifies(resource)) {
			return; // most new Observations are no cause of death: no row, no query
		}
		entityManager.unwrap(Session.class).doWork(connection -> {
			boolean created = change == Change.CREATED;
			MonthlyRollup.Reach reach = MonthlyRollup.Reach.of(connection, kind, resource.getIdElement().getIdPart(),
					change == Change.DELETED ? null : resource, created);
			MonthlyRollup.Delta delta = transactionDelta();
			reach.readBefore(connection, delta);
			if (change == Change.DELETED) {
				FactRows.remove(connection, resource);
			} else {
				FactRows.write(connection, resource, created);
			}
			reach.readAfter(connection, delta);
			if (!TransactionSynchronizationManager.isSynchronizationActive()) {
				delta.addTo(connection);
			}
		});
	}

	/** The running transaction's roll-up differences, added to the roll-up just before it commits. */
	private MonthlyRollup.Delta transactionDelta() {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			return new MonthlyRollup.Delta();
		}
		MonthlyRollup.Delta delta = (MonthlyRollup.Delta) TransactionSynchronizationManager.getResource(this);
		if (delta == null) {
			MonthlyRollup.Delta created = new MonthlyRollup.Delta();
			TransactionSynchronizationManager.bindResource(this, created);
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void beforeCommit(boolean readOnly) {
					entityManager.unwrap(Session.class).doWork(created::addTo);
				}

				@Override
				public void afterCompletion(int status) {
					TransactionSynchronizationManager.unbindResourceIfPossible(ReportFacts.this);
				}
			});
			delta = created;
		}
		return delta;
	}
}
