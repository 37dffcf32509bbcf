package vn.ehealth.fhir.server.identity;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Patient;
import vn.ehealth.fhir.server.rest.RequestPipeline;

/**
 * The source of a merge ends {@code active = false} (FHIR R5 Patient $merge: the source is marked
 * inactive and {@code replaced-by} the target). HAPI 8.8 writes {@code false} only into an
 * {@code active} the source already carries (MergeResourceHelper.prepareSourceResourceForUpdate), so
 * a record registered without one stayed without it; this sets it on the merge's write of the source,
 * by the $merge request or by its background job ({@link RunningMerges}).
 */
public class MergedSourceInactive {

	private final RunningMerges runningMerges;

	MergedSourceInactive(RunningMerges runningMerges) {
		this.runningMerges = runningMerges;
	}

	@Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, order = RequestPipeline.Prestorage.MERGED_SOURCE_INACTIVE)
	public void markSourceInactive(IBaseResource previous, IBaseResource resource, RequestDetails request) {
		if (!(resource instanceof Patient source) || source.hasActive() || !MatchIndex.mergedAway(source)
				|| previous instanceof Patient before && MatchIndex.mergedAway(before)) {
			return;
		}
		boolean merging = CitizenIdRegistry.isMerge(request);
		if (!merging) {
			String target = source.getLink().stream().filter(l -> l.getType() == Patient.LinkType.REPLACEDBY)
					.map(l -> l.getOther().getReferenceElement().getIdPart()).findFirst().orElse(null);
			merging = target != null && runningMerges.running(source.getIdElement().getIdPart(), target);
		}
		if (merging) {
			source.setActive(false);
		}
	}
}
