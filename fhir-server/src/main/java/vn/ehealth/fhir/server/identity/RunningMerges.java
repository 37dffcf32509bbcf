package vn.ehealth.fhir.server.identity;

import ca.uhn.fhir.batch2.api.IJobCoordinator;
import ca.uhn.fhir.batch2.jobs.merge.MergeAppCtx;
import ca.uhn.fhir.batch2.jobs.merge.MergeJobParameters;
import ca.uhn.fhir.batch2.model.JobInstance;
import ca.uhn.fhir.batch2.model.StatusEnum;
import java.util.EnumSet;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The merges HAPI runs as a background job ({@code Patient/$merge} above its {@code resource-limit}):
 * the job writes the target with the source's identifiers as the system, not under the $merge
 * request, so the one-CCCD rule asks here whether a merge of that source into that target is under
 * way. Only $merge starts such a job, and only with the merge scope.
 */
final class RunningMerges {

	private static final Set<StatusEnum> UNDER_WAY = EnumSet.of(StatusEnum.QUEUED, StatusEnum.IN_PROGRESS, StatusEnum.FINALIZE,
			StatusEnum.ERRORED);
	/** Merge jobs under way at once are few (a reviewer's decisions); a page is plenty. */
	private static final int PAGE = 200;

	private final ObjectProvider<IJobCoordinator> jobs;

	RunningMerges(ObjectProvider<IJobCoordinator> jobs) {
		this.jobs = jobs;
	}

	/** Whether a merge job of {@code sourceId} into {@code targetId} (Patient ids) is queued or running. */
	boolean running(String sourceId, String targetId) {
		IJobCoordinator coordinator = jobs.getIfAvailable();
		if (coordinator == null) {
			return false;
		}
		for (JobInstance job : coordinator.getJobInstancesByJobDefinitionIdAndStatuses(MergeAppCtx.JOB_MERGE, UNDER_WAY, PAGE, 0)) {
			MergeJobParameters merge = job.getParameters(MergeJobParameters.class);
			if (merge.getSourceId() != null && merge.getTargetId() != null
					&& sourceId.equals(merge.getSourceId().asIdDt().getIdPart())
					&& targetId.equals(merge.getTargetId().asIdDt().getIdPart())) {
				return true;
			}
		}
		return false;
	}
}
