package vn.ehealth.fhir.server.bulk;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import vn.ehealth.fhir.server.storage.HapiTables;

/**
 * A validated $export kick-off, as stored with its job so that any node can run it (and run it again
 * after a restart).
 *
 * @param level system, Patient or Group export
 * @param groupId the Group's id for a Group export
 * @param types the resource types to export, in order
 * @param since only resources changed after this instant (null: everything)
 * @param until Bulk Data 3.0 {@code _until}: only resources last changed at or before this instant (null: no limit)
 * @param typeFilters per type, search queries (without the type) of which a resource must match one
 * @param elements _elements: the elements to keep (null: whole resources)
 * @param patients for a Patient export posted with patient references: those patients' ids
 * @param provenance includeAssociatedData asked for the Provenance of exported resources
 * @param requestUrl the kick-off URL as the client sent it (the manifest's request)
 * @param clientId the client that asked (only it may poll, download and delete)
 * @param serverBase this server's FHIR base as the client reached it (for the manifest's file URLs)
 * @param facility the client's facility, for the audit record of the export
 * @param purpose the purpose of use the kick-off was made for, for the audit record of the export
 * @param warnings what a {@code Prefer: handling=lenient} kick-off left out, for the manifest's error file
 * @param organizeOutputBy Bulk Data 3.0 {@code organizeOutputBy}: "Patient", or null for files by type
 */
public record ExportRequest(
		Level level,
		String groupId,
		List<String> types,
		Instant since,
		Instant until,
		Map<String, List<String>> typeFilters,
		List<String> elements,
		List<String> patients,
		boolean provenance,
		String requestUrl,
		String clientId,
		String serverBase,
		String facility,
		String purpose,
		List<String> warnings,
		String organizeOutputBy) {

	public ExportRequest {
		warnings = warnings == null ? List.of() : warnings; // jobs stored before warnings existed
	}

	public enum Level {
		SYSTEM,
		PATIENT,
		GROUP
	}

	/** Files of patient blocks (Bulk Data 3.0 organizeOutputBy=Patient) rather than of one type each. */
	public boolean organizedByPatient() {
		return PatientBlocks.ORGANIZED_BY.equals(organizeOutputBy);
	}

	/** Patient and Group exports are limited to the patients' compartments. */
	public boolean patientScoped() {
		return level != Level.SYSTEM;
	}

	/** Narrows a query on HAPI's resource rows (r) to _since and _until, adding their parameters in order. */
	void narrowToPeriod(StringBuilder where, List<Object> parameters) {
		if (since != null) {
			where.append(HapiTables.AND_UPDATED_AFTER);
			parameters.add(Timestamp.from(since));
		}
		if (until != null) {
			where.append(HapiTables.AND_UPDATED_UNTIL);
			parameters.add(Timestamp.from(until));
		}
	}
}
