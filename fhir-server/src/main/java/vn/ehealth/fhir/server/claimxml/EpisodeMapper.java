package vn.ehealth.fhir.server.claimxml;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import vn.ehealth.fhir.profiles.Canonicals;
import vn.ehealth.fhir.profiles.identifier.IdentifierSystems;

/**
 * One episode (MA_LK) into one FHIR transaction. The citizen is the one Patient on file (by CCCD,
 * else card, else MA_BN), whatever facility sent the episode; every record of the episode is written by
 * a conditional update on an identifier derived from the facility and MA_LK, so the same episode sent
 * again replaces itself (rows a correction dropped are deleted) and an identical one changes nothing.
 */
final class EpisodeMapper {

	/**
	 * The transaction of an episode and what the caller should be told about it (records created minimal,
	 * tables left out); {@code episodeSystem}: the facility's episode identifier system; {@code onFile}:
	 * whether the episode's Encounter was stored when it was mapped (if not, its rows are plain creates).
	 */
	record Mapped(Submission.Episode episode, Bundle transaction, List<String> notes, String episodeSystem, boolean onFile) {}

	private final ExistingRecords existing;

	EpisodeMapper(ExistingRecords existing) {
		this.existing = existing;
	}

	Mapped map(String envelopeFacility, Submission.Episode episode) {
		Submission.Row xml1 = episode.summary();
		String facility = envelopeFacility != null ? envelopeFacility : xml1.get("MA_CSKCB");
		if (facility == null) {
			throw ClaimXmlRefusals.refused(xml1.path() + "/MA_CSKCB", "Thiếu mã cơ sở KCB (MACSKCB / MA_CSKCB)",
					"The facility code is missing (MACSKCB / MA_CSKCB)");
		}
		List<String> notes = new ArrayList<>();
		String episodeSystem = ClaimCodes.episodeSystem(facility);
		Optional<String> storedEncounter = existing.id("Encounter", episodeSystem, episode.maLk());
		EpisodeBundle bundle = new EpisodeBundle(storedEncounter.isPresent());
		Set<String> keys = new HashSet<>();
		Reference organization = organization(bundle, facility, notes);
		Map<String, Reference> practitioners = new LinkedHashMap<>();
		Map<String, Reference> roles = new LinkedHashMap<>();
		practitioners(bundle, episode, organization, practitioners, roles, notes);
		Reference patient = patient(bundle, xml1, facility);

		EpisodeContext partial = new EpisodeContext(facility, episode, patient, null, organization, practitioners, roles);
		Encounter encounter = EncounterMapping.encounter(partial, xml1);
		Reference encounterRef = bundle.put(encounter, partial.episodeIdentifier());
		EpisodeContext context = new EpisodeContext(facility, episode, patient, encounterRef, organization, practitioners, roles);

		List<Reference> coverages = new ArrayList<>();
		for (Coverage coverage : PatientMapping.coverages(xml1, patient)) {
			coverages.add(bundle.put(coverage, coverage.getIdentifierFirstRep()));
		}
		List<Reference> diagnoses = new ArrayList<>();
		for (EncounterMapping.Diagnosis diagnosis : EncounterMapping.diagnoses(context, xml1)) {
			Reference stored = row(bundle, keys, diagnosis.condition(), diagnosis.key());
			diagnoses.add(stored);
			encounter.addDiagnosis().setCondition(stored).setRank(diagnosis.main() ? 1 : diagnoses.size())
					.setUse(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/diagnosis-role", "DD",
							"Discharge diagnosis")));
		}
		rows(bundle, keys, context, encounter.getPeriod().getStartElement());
		bundle.row(ClaimMapping.claim(context, xml1, coverages, diagnoses, "IMP".equals(encounter.getClass_().getCode())),
				context.episodeIdentifier());
		storedEncounter.ifPresent(stored -> removeDropped(bundle, keys, context, stored));
		episode.tables().keySet().stream().filter(t -> !ClaimTables.MAPPED.contains(t)).forEach(t -> notes.add(
				"Bảng " + t + " chưa được chuyển sang FHIR, bỏ qua / Table " + t + " is not mapped yet and was left out"));
		return new Mapped(episode, bundle.bundle(), notes, episodeSystem, storedEncounter.isPresent());
	}

	private void rows(EpisodeBundle bundle, Set<String> keys, EpisodeContext context, DateTimeType admitted) {
		Submission.Episode episode = context.episode();
		List<Submission.Row> drugs = episode.rows(ClaimTables.XML2);
		for (int i = 0; i < drugs.size(); i++) {
			var request = RowMapping.medication(context, drugs.get(i), i + 1, admitted);
			row(bundle, keys, request, request.getIdentifierFirstRep());
		}
		Map<String, String> serviceNames = new LinkedHashMap<>();
		List<Submission.Row> services = episode.rows(ClaimTables.XML3);
		for (int i = 0; i < services.size(); i++) {
			Submission.Row service = services.get(i);
			if (service.has("MA_DICH_VU")) {
				serviceNames.putIfAbsent(service.get("MA_DICH_VU"), service.get("TEN_DICH_VU"));
			}
			for (RowMapping.Mapped mapped : RowMapping.service(context, service, i + 1)) {
				row(bundle, keys, mapped.resource(), mapped.key());
			}
		}
		for (RowMapping.Mapped report : RowMapping.results(context, episode.rows(ClaimTables.XML4), serviceNames,
				(resource, key) -> row(bundle, keys, resource, key))) {
			row(bundle, keys, report.resource(), report.key());
		}
		List<Submission.Row> course = episode.rows(ClaimTables.XML5);
		for (int i = 0; i < course.size(); i++) {
			var note = RowMapping.courseNote(context, course.get(i), i + 1);
			row(bundle, keys, note, note.getIdentifierFirstRep());
		}
		papers(bundle, keys, context);
	}

	/** XML7, XML8, XML10, XML11, XML13, XML14 (one row each) and XML15 (a row per treatment course). */
	private static void papers(EpisodeBundle bundle, Set<String> keys, EpisodeContext context) {
		Submission.Episode episode = context.episode();
		DateTimeType discharged = ClaimValues.dateTime(episode.summary(), episode.summary().has("NGAY_RA") ? "NGAY_RA" : "NGAY_VAO");
		for (String table : PaperMapping.COMPOSITIONS) {
			for (Submission.Row row : episode.rows(table)) {
				var paper = PaperMapping.paper(context, table, row, discharged);
				row(bundle, keys, paper, paper.getIdentifier());
			}
		}
		for (Submission.Row row : episode.rows(PaperMapping.XML13)) {
			var referral = PaperMapping.referral(context, row, discharged);
			row(bundle, keys, referral, referral.getIdentifierFirstRep());
		}
		for (Submission.Row row : episode.rows(PaperMapping.XML14)) {
			var visit = PaperMapping.followUp(context, row);
			row(bundle, keys, visit, visit.getIdentifierFirstRep());
		}
		List<Submission.Row> tuberculosis = episode.rows(PaperMapping.XML15);
		for (int i = 0; i < tuberculosis.size(); i++) {
			var plan = PaperMapping.tuberculosis(context, tuberculosis.get(i), i + 1);
			row(bundle, keys, plan, plan.getIdentifierFirstRep());
		}
	}

	private static Reference row(EpisodeBundle bundle, Set<String> keys, Resource resource, Identifier key) {
		keys.add(key.getValue());
		return bundle.row(resource, key);
	}

	/** A correction that lists fewer rows than the episode's earlier submission: the rows it no longer has are deleted. */
	private void removeDropped(EpisodeBundle bundle, Set<String> keys, EpisodeContext context, String storedEncounter) {
		existing.episodeRows(storedEncounter, context.system()).forEach((key, typeAndId) -> {
			if (!keys.contains(key)) {
				bundle.delete(typeAndId);
			}
		});
	}

	private Reference organization(EpisodeBundle bundle, String facility, List<String> notes) {
		Optional<String> found = existing.id("Organization", IdentifierSystems.FACILITY_CODE, facility);
		if (found.isPresent()) {
			return new Reference(found.get());
		}
		Organization organization = new Organization();
		organization.getMeta().addProfile(Canonicals.ORGANIZATION);
		flagMinimal(organization);
		Identifier code = ClaimCodes.identifier(IdentifierSystems.FACILITY_CODE, facility);
		organization.addIdentifier(code);
		organization.setName("Cơ sở KCB " + facility);
		notes.add("Cơ sở KCB " + facility + " chưa có trong danh mục: đã tạo bản ghi tối thiểu / Facility " + facility
				+ " was not on file: a minimal record was created, tagged " + ClaimCodes.FLAG_MINIMAL);
		return bundle.createIfNone(organization, code);
	}

	private void practitioners(EpisodeBundle bundle, Submission.Episode episode, Reference organization,
			Map<String, Reference> practitioners, Map<String, Reference> roles, List<String> notes) {
		for (String licence : Licences.of(episode)) {
			Optional<String> found = existing.id("Practitioner", IdentifierSystems.PRACTICE_LICENCE, licence);
			if (found.isPresent()) {
				practitioners.put(licence, new Reference(found.get()));
				if (organization.getReference().startsWith("Organization/")) {
					existing.role(found.get(), organization.getReference()).ifPresent(role -> roles.put(licence, new Reference(role)));
				}
				continue;
			}
			Practitioner practitioner = new Practitioner();
			practitioner.getMeta().addProfile(Canonicals.PRACTITIONER);
			flagMinimal(practitioner);
			Identifier number = ClaimCodes.identifier(IdentifierSystems.PRACTICE_LICENCE, licence);
			practitioner.addIdentifier(number);
			practitioner.addName().setText("Người hành nghề CCHN " + licence);
			practitioners.put(licence, bundle.createIfNone(practitioner, number));
			notes.add("Người hành nghề CCHN " + licence + " chưa có trong danh mục: đã tạo bản ghi tối thiểu / Practitioner with"
					+ " licence " + licence + " was not on file: a minimal record was created, tagged " + ClaimCodes.FLAG_MINIMAL);
		}
	}

	private Reference patient(EpisodeBundle bundle, Submission.Row xml1, String facility) {
		List<Identifier> identifiers = PatientMapping.identifiers(xml1, facility);
		if (identifiers.isEmpty()) {
			throw ClaimXmlRefusals.refused(xml1.path(), "Không định danh được người bệnh: thiếu SO_CCCD, MA_THE_BHYT và MA_BN",
					"The patient cannot be identified: SO_CCCD, MA_THE_BHYT and MA_BN are all missing");
		}
		Patient stated = PatientMapping.patient(xml1, facility);
		Optional<Patient> stored = existing.patient(identifiers);
		if (stored.isPresent()) {
			return bundle.putAt(PatientMapping.merge(stored.get(), stated), "Patient/" + stored.get().getIdElement().getIdPart());
		}
		return bundle.put(stated, identifiers.get(0));
	}

	private static void flagMinimal(Resource resource) {
		resource.getMeta().addTag(ClaimCodes.FLAG_SYSTEM, ClaimCodes.FLAG_MINIMAL,
				"Tạo tối thiểu từ hồ sơ XML giám định, cần bổ sung / created minimal from claim XML, to be completed");
	}
}
