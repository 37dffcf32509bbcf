package vn.ehealth.fhir.server.identity;

import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;

/**
 * The match index's back-fill ({@link PatientBackfill}): the Patients stored before
 * {@code vf_patient_match} existed get their match rows, and (when the check is on) their probable
 * duplicates go to the review list, so {@code $match} and the list cover the whole population. Rows
 * are replaced, so a second run does no harm.
 */
final class MatchIndexBackfill {

	private MatchIndexBackfill() {}

	static PatientBackfill create(boolean checkDuplicates) {
		return new PatientBackfill("vf_patient_match", "vf_patient_match_backfill", SearchParameterMap::newSynchronous,
				(connection, patient) -> {
					MatchIndexHooks.index(connection, patient.getIdElement().getIdPart(), patient, checkDuplicates);
					return 1;
				});
	}
}
