package vn.ehealth.fhir.server.identity;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.SQLException;
import org.hibernate.Session;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Patient;
import vn.ehealth.fhir.server.rest.RequestPipeline;

/**
 * Keeps {@link MatchIndex} in step with every Patient write, on the Patient's own database
 * transaction, and checks the written Patient against the Patients sharing a blocking key: a
 * probable pair goes to the review list ({@link DuplicateList}). The check reads only our small
 * tables, never a resource, so its cost is a few indexed statements per write.
 */
public final class MatchIndexHooks {

	/** The candidates one write is compared with. */
	static final int DUPLICATE_CHECK_CAP = 50;

	private final EntityManager entityManager;
	private final boolean checkDuplicates;

	MatchIndexHooks(EntityManager entityManager, boolean checkDuplicates) {
		this.entityManager = entityManager;
		this.checkDuplicates = checkDuplicates;
	}

	@Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED, order = RequestPipeline.Precommit.MATCH_INDEX)
	public void created(IBaseResource resource) {
		written(resource);
	}

	@Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED, order = RequestPipeline.Precommit.MATCH_INDEX)
	public void updated(IBaseResource previous, IBaseResource resource) {
		written(resource);
		if (previous instanceof Patient before && resource instanceof Patient after
				&& MatchIndex.mergedAway(before) && !MatchIndex.mergedAway(after)) {
			// $unmerge restored the source (its replaced-by link gone): the review list as before the merge
			work(connection -> DuplicateList.unmerged(connection, after.getIdElement().getIdPart()));
		}
	}

	@Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED, order = RequestPipeline.Precommit.MATCH_INDEX)
	public void deleted(IBaseResource resource) {
		if (resource instanceof Patient patient) {
			String id = patient.getIdElement().getIdPart();
			work(connection -> {
				MatchIndex.remove(connection, id);
				DuplicateList.gone(connection, id, false);
			});
		}
	}

	private void written(IBaseResource resource) {
		if (!(resource instanceof Patient patient)) {
			return;
		}
		String id = patient.getIdElement().getIdPart();
		work(connection -> index(connection, id, patient, checkDuplicates));
	}

	/** The Patient's rows written, and (when checking) each probable duplicate among its candidates put on the review list. */
	static void index(Connection connection, String id, Patient patient, boolean checkDuplicates) throws SQLException {
		PersonFeatures features = MatchIndex.put(connection, id, patient);
		if (features == null) {
			DuplicateList.gone(connection, id, true);
			return;
		}
		if (!checkDuplicates) {
			return;
		}
		for (MatchIndex.Candidate candidate : MatchIndex.candidates(connection, features.keys(), id, DUPLICATE_CHECK_CAP)) {
			MatchScore score = MatchScore.of(features, candidate.features());
			if (score.score() >= MatchScore.PROBABLE) {
				DuplicateList.suggest(connection, id, candidate.patientId(), score,
						features.province() != null ? features.province() : candidate.province());
			}
		}
	}

	private interface Work {
		void run(Connection connection) throws SQLException;
	}

	private void work(Work work) {
		// the JPA session's own connection: the rows commit or roll back with the Patient
		entityManager.unwrap(Session.class).doWork(work::run);
	}
}
