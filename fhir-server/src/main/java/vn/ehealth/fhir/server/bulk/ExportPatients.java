package vn.ehealth.fhir.server.bulk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import vn.ehealth.fhir.server.audit.PatientSelection;
import vn.ehealth.fhir.server.storage.HapiTables;

/**
 * The patients whose data an export hands over, as one query over HAPI's tables (for the daily
 * patient limit and the patients' access log, Official letter 6827/BYT-KCB): the exported Patients
 * themselves, and the Patients that exported resources of the other types reference (HAPI's
 * reference index, HFJ_RES_LINK, as {@link StoredResources} uses for the compartment), narrowed as
 * the export is ({@code _since}, {@code _typeFilter}'s ids, a Patient or Group export's patients).
 */
final class ExportPatients {

	private ExportPatients() {}

	/**
	 * @param filtered per type, the ids a _typeFilter allows
	 * @param compartment the patients (HFJ_RESOURCE.RES_ID) of a Patient or Group export naming them; null otherwise
	 */
	static PatientSelection of(ExportRequest request, Map<String, Long[]> filtered, Long[] compartment) {
		List<String> branches = new ArrayList<>();
		List<Object> parameters = new ArrayList<>();
		List<String> referencing = new ArrayList<>();
		for (String type : request.types()) {
			if (type.equals("Patient")) {
				StringBuilder branch = new StringBuilder(HapiTables.Export.PATIENT_IDS);
				narrow(branch, parameters, request, filtered.get(type));
				if (compartment != null) {
					branch.append(HapiTables.AND_ID_IN);
					parameters.add(compartment);
				}
				branches.add(branch.toString());
			} else if (filtered.containsKey(type)) {
				branches.add(referenced(new String[] {type}, filtered.get(type), request, compartment, parameters));
			} else {
				referencing.add(type);
			}
		}
		if (!referencing.isEmpty()) {
			branches.add(referenced(referencing.toArray(String[]::new), null, request, compartment, parameters));
		}
		return new PatientSelection(HapiTables.Export.PATIENT_REFERENCES_AMONG
				+ String.join(" UNION ", branches) + ")", parameters);
	}

	/** The Patients referenced by the current resources of these types. */
	private static String referenced(String[] types, Long[] onlyIds, ExportRequest request, Long[] compartment,
			List<Object> parameters) {
		StringBuilder branch = new StringBuilder(HapiTables.Export.PATIENTS_REFERENCED);
		parameters.add(types);
		narrow(branch, parameters, request, onlyIds);
		if (compartment != null) {
			branch.append(HapiTables.Export.AND_LINK_TARGET_IN);
			parameters.add(compartment);
		}
		return branch.toString();
	}

	private static void narrow(StringBuilder branch, List<Object> parameters, ExportRequest request, Long[] onlyIds) {
		branch.append(HapiTables.AND_NOT_DELETED);
		request.narrowToPeriod(branch, parameters);
		if (onlyIds != null) {
			branch.append(HapiTables.AND_ID_IN);
			parameters.add(onlyIds);
		}
	}
}
