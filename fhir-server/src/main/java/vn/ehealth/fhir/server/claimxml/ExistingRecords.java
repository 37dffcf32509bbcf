package vn.ehealth.fhir.server.claimxml;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/**
 * What the server holds already, read before an episode's transaction is built: the citizen's Patient
 * (by CCCD, else insurance card, else the facility's MA_BN), the facility and practitioners by their
 * codes, a practitioner's role at the facility, and the rows a previous submission of the same episode
 * stored (so a correction can remove the ones it no longer has). Internal matching, like a conditional
 * update's: it is not a search by the caller, whose write scopes are checked on the transaction.
 */
final class ExistingRecords {

	/**
	 * The types an episode's rows become (the ones a correction may remove), each with its search
	 * parameter on the Encounter (R4's Appointment has no {@code encounter}: it points at it as
	 * supporting information).
	 */
	static final Map<String, String> ROW_TYPES = Map.of("Condition", "encounter", "MedicationRequest", "encounter",
			"ServiceRequest", "encounter", "Procedure", "encounter", "Observation", "encounter", "DiagnosticReport", "encounter",
			"ClinicalImpression", "encounter", "Composition", "encounter", "Appointment", "supporting-info", "CarePlan", "encounter");

	private final DaoRegistry daos;

	ExistingRecords(DaoRegistry daos) {
		this.daos = daos;
	}

	/** The first Patient found by the identifiers in order of strength. */
	Optional<Patient> patient(List<Identifier> strongestFirst) {
		for (Identifier identifier : strongestFirst) {
			Optional<Patient> found = one("Patient", identifier.getSystem(), identifier.getValue()).map(Patient.class::cast);
			if (found.isPresent()) {
				return found;
			}
		}
		return Optional.empty();
	}

	Optional<String> id(String type, String system, String value) {
		return one(type, system, value).map(r -> type + "/" + r.getIdElement().getIdPart());
	}

	/** The practitioner's role at the organization, if the directory has one. */
	Optional<String> role(String practitioner, String organization) {
		SearchParameterMap map = SearchParameterMap.newSynchronous()
				.add("practitioner", new ReferenceParam(practitioner))
				.add("organization", new ReferenceParam(organization));
		return first("PractitionerRole", map).map(r -> "PractitionerRole/" + r.getIdElement().getIdPart());
	}

	/**
	 * The rows stored for an episode: identifier value (in the episode's system) → Type/id, for every
	 * row type that refers to the encounter.
	 */
	Map<String, String> episodeRows(String encounter, String episodeSystem) {
		Map<String, String> rows = new LinkedHashMap<>();
		for (Map.Entry<String, String> type : ROW_TYPES.entrySet()) {
			SearchParameterMap map = SearchParameterMap.newSynchronous().add(type.getValue(), new ReferenceParam(encounter));
			IBundleProvider results = daos.getResourceDao(type.getKey()).search(map, new SystemRequestDetails());
			for (IBaseResource resource : results.getAllResources()) {
				for (Identifier identifier : identifiers((Resource) resource)) {
					if (episodeSystem.equals(identifier.getSystem())) {
						rows.put(identifier.getValue(), type.getKey() + "/" + resource.getIdElement().getIdPart());
					}
				}
			}
		}
		return rows;
	}

	@SuppressWarnings("unchecked")
	static List<Identifier> identifiers(Resource resource) {
		var property = resource.getNamedProperty("identifier");
		return property == null ? List.of() : (List<Identifier>) (List<?>) property.getValues();
	}

	private Optional<DomainResource> one(String type, String system, String value) {
		SearchParameterMap map = SearchParameterMap.newSynchronous().add("identifier", new TokenParam(system, value));
		return first(type, map);
	}

	private Optional<DomainResource> first(String type, SearchParameterMap map) {
		map.setCount(1);
		List<IBaseResource> found = daos.getResourceDao(type).search(map, new SystemRequestDetails()).getResources(0, 1);
		return found.isEmpty() ? Optional.empty() : Optional.of((DomainResource) found.get(0));
	}
}
