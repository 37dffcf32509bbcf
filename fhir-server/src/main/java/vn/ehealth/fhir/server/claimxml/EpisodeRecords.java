package vn.ehealth.fhir.server.claimxml;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Claim;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import vn.ehealth.fhir.profiles.identifier.IdentifierSystems;
import vn.ehealth.fhir.server.rest.OperationOutcomes;

/**
 * The records of one episode as {@code $claim-xml} reads them back: the Encounter, its Patient, the
 * Claim of the episode (by its MA_LK identifier) with its Coverages, and every record that refers to
 * the Encounter (the types the ingest writes, {@link ExistingRecords#ROW_TYPES}). Patient data is read
 * under the caller's request, so the access filter and the audit trail see it as any read; the
 * directory (practitioners' licences, the facility's code) is looked up internally.
 */
final class EpisodeRecords {

	/** Every type $claim-xml reads patient data of: the caller needs read access to each. */
	static final Set<String> READ_TYPES = java.util.stream.Stream.concat(ExistingRecords.ROW_TYPES.keySet().stream(),
			java.util.stream.Stream.of("Encounter", "Patient", "Coverage", "Claim")).collect(java.util.stream.Collectors.toUnmodifiableSet());

	/**
	 * One episode read back.
	 *
	 * @param maLk the Encounter's MA_LK, or its id for an Encounter recorded in FHIR (not from claim XML)
	 * @param fromClaim whether the Encounter carries an MA_LK (it came from claim XML or was given one)
	 * @param claim the episode's Claim, or null
	 */
	record Episode(Encounter encounter, Patient patient, String facility, String maLk, boolean fromClaim, Claim claim,
			List<Coverage> coverages, List<Resource> rows, LicenceLookup licences) {

		String system() {
			return ClaimCodes.episodeSystem(facility);
		}

		/** The records of one type, those from claim XML first in their row order. */
		<T extends Resource> List<T> rows(Class<T> type) {
			return rows.stream().filter(type::isInstance).map(type::cast).toList();
		}

		/**
		 * The row key of a record from claim XML ({@code XML2/3}, {@code MA_BENH_KT/I10}: its identifier
		 * {@code MA_LK/…} in the episode's system without the MA_LK), or null for a record made in FHIR.
		 */
		String rowKey(Resource resource) {
			String prefix = maLk + "/";
			for (Identifier identifier : ExistingRecords.identifiers(resource)) {
				if (system().equals(identifier.getSystem()) && identifier.getValue() != null && identifier.getValue().startsWith(prefix)) {
					return identifier.getValue().substring(prefix.length());
				}
			}
			return null;
		}
	}

	/** Practising licence numbers of the people records point at (the inverse of the ingest's lookup). */
	static final class LicenceLookup {
		private final DaoRegistry daos;
		private final Map<String, String> byReference = new HashMap<>();

		LicenceLookup(DaoRegistry daos) {
			this.daos = daos;
		}

		/** The licence of a Practitioner or PractitionerRole reference, or of a reference by licence identifier. */
		String of(Reference reference) {
			if (reference == null || reference.isEmpty()) {
				return null;
			}
			if (reference.hasIdentifier() && IdentifierSystems.PRACTICE_LICENCE.equals(reference.getIdentifier().getSystem())) {
				return reference.getIdentifier().getValue();
			}
			String target = reference.getReference();
			if (target == null || !(target.startsWith("Practitioner/") || target.startsWith("PractitionerRole/"))) {
				return null;
			}
			return byReference.computeIfAbsent(target, this::lookUp);
		}

		private String lookUp(String target) {
			IBaseResource found = directoryRead(daos, target);
			if (found instanceof PractitionerRole role) {
				return of(role.getPractitioner());
			}
			return found instanceof Practitioner practitioner
					? OutRow.identifier(practitioner.getIdentifier(), IdentifierSystems.PRACTICE_LICENCE)
					: null;
		}
	}

	private final DaoRegistry daos;

	EpisodeRecords(DaoRegistry daos) {
		this.daos = daos;
	}

	/** The episode of Encounter {@code id}: 404 / 410 as a read of it, 422 naming what an envelope cannot do without. */
	Episode load(IdType id, RequestDetails request) {
		Encounter encounter = (Encounter) daos.getResourceDao("Encounter").read(id.toUnqualifiedVersionless(), request);
		String reference = "Encounter/" + encounter.getIdElement().getIdPart();
		Identifier maLkIdentifier = encounter.getIdentifier().stream()
				.filter(i -> ClaimCodes.VN_CORE_MA_LK.equals(i.getSystem())).findFirst().orElse(null);
		String facility = maLkIdentifier != null && maLkIdentifier.getAssigner().hasIdentifier()
				? maLkIdentifier.getAssigner().getIdentifier().getValue()
				: facilityCode(encounter.getServiceProvider());
		if (facility == null) {
			throw missing(reference, "mã cơ sở KCB (MACSKCB): Encounter.serviceProvider không có định danh mã cơ sở",
					"the facility code (MACSKCB): Encounter.serviceProvider has no facility-code identifier ("
							+ IdentifierSystems.FACILITY_CODE + ")");
		}
		if (!encounter.getSubject().hasReference() || !encounter.getSubject().getReference().startsWith("Patient/")) {
			throw missing(reference, "người bệnh: Encounter.subject không trỏ tới Patient", "the patient: Encounter.subject is not a Patient");
		}
		Patient patient = (Patient) daos.getResourceDao("Patient").read(new IdType(encounter.getSubject().getReference()), request);
		boolean fromClaim = maLkIdentifier != null;
		String maLk = fromClaim ? maLkIdentifier.getValue() : encounter.getIdElement().getIdPart();

		List<Resource> rows = new ArrayList<>();
		ExistingRecords.ROW_TYPES.forEach((type, parameter) -> rows.addAll(search(type,
				SearchParameterMap.newSynchronous().add(parameter, new ReferenceParam(reference)), request)));
		Episode unsorted = new Episode(encounter, patient, facility, maLk, fromClaim, null, List.of(), rows, null);
		// rows from claim XML in their order (MA_LK/XML2/3 …: by table, then by number), then those made in FHIR
		rows.sort(Comparator.comparing((Resource r) -> unsorted.rowKey(r) == null)
				.thenComparing(r -> Objects.requireNonNullElse(unsorted.rowKey(r), ""), EpisodeRecords::byNumbers)
				.thenComparing(r -> r.getIdElement().getIdPart()));

		Claim claim = fromClaim ? first(search("Claim", SearchParameterMap.newSynchronous()
				.add("identifier", new TokenParam(ClaimCodes.episodeSystem(facility), maLk)), request)) : null;
		if (claim == null) {
			claim = first(search("Claim", SearchParameterMap.newSynchronous().add("encounter", new ReferenceParam(reference)), request));
		}
		return new Episode(encounter, patient, facility, maLk, fromClaim, claim, coverages(claim, patient, request), rows,
				new LicenceLookup(daos));
	}

	/** The cards of the claim, in its order; without a claim, the patient's Coverages. */
	private List<Coverage> coverages(Claim claim, Patient patient, RequestDetails request) {
		List<Coverage> coverages = new ArrayList<>();
		if (claim != null) {
			for (Claim.InsuranceComponent insurance : claim.getInsurance()) {
				String target = insurance.getCoverage().getReference();
				if (target != null && target.startsWith("Coverage/")) {
					coverages.add((Coverage) daos.getResourceDao("Coverage").read(new IdType(target), request));
				}
			}
			return coverages;
		}
		for (Resource found : search("Coverage", SearchParameterMap.newSynchronous()
				.add("beneficiary", new ReferenceParam("Patient/" + patient.getIdElement().getIdPart())), request)) {
			coverages.add((Coverage) found);
		}
		return coverages;
	}

	private String facilityCode(Reference organization) {
		if (organization == null || organization.isEmpty()) {
			return null;
		}
		if (organization.hasIdentifier() && IdentifierSystems.FACILITY_CODE.equals(organization.getIdentifier().getSystem())) {
			return organization.getIdentifier().getValue();
		}
		String target = organization.getReference();
		return target != null && target.startsWith("Organization/") && directoryRead(daos, target) instanceof Organization found
				? OutRow.identifier(found.getIdentifier(), IdentifierSystems.FACILITY_CODE)
				: null;
	}

	private List<Resource> search(String type, SearchParameterMap map, RequestDetails request) {
		List<Resource> found = new ArrayList<>();
		for (IBaseResource resource : daos.getResourceDao(type).search(map, request).getAllResources()) {
			if (resource != null) { // a type the caller may not see comes back empty; the provider checks scopes first
				found.add((Resource) resource);
			}
		}
		return found;
	}

	private static <T> T first(List<? extends Resource> found) {
		@SuppressWarnings("unchecked")
		T first = found.isEmpty() ? null : (T) found.get(0);
		return first;
	}

	/** The directory (practitioners, facilities) is looked up internally, as the ingest does; a missing one is null. */
	private static IBaseResource directoryRead(DaoRegistry daos, String target) {
		try {
			return daos.getResourceDao(target.substring(0, target.indexOf('/'))).read(new IdType(target), new SystemRequestDetails());
		} catch (ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException e) {
			return null;
		}
	}

	/** Row keys in order: {@code XML2/10} after {@code XML2/9}. */
	private static int byNumbers(String a, String b) {
		String[] left = a.split("/");
		String[] right = b.split("/");
		for (int i = 0; i < Math.min(left.length, right.length); i++) {
			int order = left[i].matches("[0-9]+") && right[i].matches("[0-9]+")
					? Integer.compare(Integer.parseInt(left[i]), Integer.parseInt(right[i]))
					: left[i].compareTo(right[i]);
			if (order != 0) {
				return order;
			}
		}
		return Integer.compare(left.length, right.length);
	}

	private static UnprocessableEntityException missing(String where, String vietnamese, String english) {
		String text = "Không lập được hồ sơ XML giám định cho " + where + ": thiếu " + vietnamese
				+ " / Cannot write the claim XML of " + where + ": missing " + english;
		return new UnprocessableEntityException(text, OperationOutcomes.error("required", text));
	}
}
