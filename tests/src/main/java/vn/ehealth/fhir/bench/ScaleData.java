package vn.ehealth.fhir.bench;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import vn.ehealth.fhir.synth.SyntheaLike;
import vn.ehealth.fhir.synth.SyntheticData;

/**
 * What {@link ScaleRun} loads: the directory once, then patient n as a REST transaction or as the
 * resources an NDJSON {@code $import} stores (each with its id, references as Type/id), and what to
 * search patient n by. Two shapes: the Vietnamese synthetic data set ({@link SyntheticData}: PUT at
 * fixed ids, validation can be enforced) and Synthea-like US bundles ({@link SyntheaLike}: POST under
 * urn:uuid, conditional references to the directory; run with validation off or warn).
 */
abstract class ScaleData {

	/** What the search mix asks about one patient; found by its identifier, the rest from its record. */
	record PatientKeys(String identifier, String family, String given, String birthDate, String observationCode, int encounterYear) {}

	abstract String name();

	/** Bundles to post first, in order (the directory). */
	abstract List<Bundle> directory();

	/** Patient n's transaction bundle. */
	abstract Bundle transaction(int n);

	/**
	 * Patient n's resources as {@code $import} stores them: ids set, references Type/id;
	 * {@code conditional} turns a conditional reference (Practitioner?identifier=…) into Type/id.
	 */
	abstract List<Resource> forImport(int n, UnaryOperator<String> conditional);

	static ScaleData vietnamese(long seed, int maxPatients) {
		return new Vietnamese(seed, maxPatients);
	}

	static ScaleData syntheaLike(long seed) {
		return new Synthea(seed);
	}

	/** Resources per type of a bundle. */
	static Map<String, Integer> countByType(Bundle bundle) {
		Map<String, Integer> counts = new TreeMap<>();
		bundle.getEntry().forEach(e -> counts.merge(e.getResource().fhirType(), 1, Integer::sum));
		return counts;
	}

	/** The search keys of a patient's record: its first identifier, name, birth date, most frequent Observation code, a middle visit's year. */
	static PatientKeys keys(List<Resource> record) {
		Patient patient = (Patient) record.get(0);
		HumanName name = patient.getNameFirstRep();
		Map<String, Integer> codes = new HashMap<>();
		List<Integer> years = new ArrayList<>();
		for (Resource resource : record) {
			if (resource instanceof Observation observation && observation.getCode().hasCoding()) {
				codes.merge(observation.getCode().getCodingFirstRep().getSystem() + "|" + observation.getCode().getCodingFirstRep().getCode(), 1, Integer::sum);
			} else if (resource instanceof Encounter encounter && encounter.getPeriod().hasStart()) {
				years.add(Integer.parseInt(encounter.getPeriod().getStartElement().getValueAsString().substring(0, 4)));
			}
		}
		String code = codes.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
				.map(Map.Entry::getKey).orElse("http://loinc.org|8867-4");
		int year = years.isEmpty() ? 2024 : years.get(years.size() / 2);
		return new PatientKeys(patient.getIdentifierFirstRep().getSystem() + "|" + patient.getIdentifierFirstRep().getValue(),
				name.getFamily(), name.getGiven().get(name.getGiven().size() - 1).getValue(), patient.getBirthDateElement().getValueAsString(),
				code, year);
	}

	static List<Resource> resources(Bundle bundle) {
		return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).toList();
	}

	private static final class Vietnamese extends ScaleData {
		private final SyntheticData data;

		Vietnamese(long seed, int maxPatients) {
			// the directory covers every province the largest step's patients live in
			this.data = new SyntheticData(seed, maxPatients);
		}

		@Override
		String name() {
			return "Vietnamese synthetic data (PUT at fixed ids)";
		}

		@Override
		List<Bundle> directory() {
			List<Resource> all = data.directory();
			List<Bundle> chunks = new ArrayList<>();
			for (int from = 0; from < all.size(); from += 500) {
				chunks.add(SyntheticData.transaction(all.subList(from, Math.min(all.size(), from + 500))));
			}
			return chunks;
		}

		@Override
		Bundle transaction(int n) {
			return data.patientBundle(n);
		}

		@Override
		List<Resource> forImport(int n, UnaryOperator<String> conditional) {
			return data.patient(n);
		}
	}

	private static final class Synthea extends ScaleData {
		private final SyntheaLike generator;

		Synthea(long seed) {
			this.generator = new SyntheaLike(seed);
		}

		@Override
		String name() {
			return "Synthea-like US bundles (POST, urn:uuid, conditional references)";
		}

		@Override
		List<Bundle> directory() {
			return List.of(generator.hospitalBundle(), generator.practitionerBundle());
		}

		@Override
		Bundle transaction(int n) {
			return generator.patientBundle(n);
		}

		@Override
		List<Resource> forImport(int n, UnaryOperator<String> conditional) {
			Bundle bundle = generator.patientBundle(n);
			Map<String, String> local = new HashMap<>();
			bundle.getEntry().forEach(e -> local.put(e.getFullUrl(), e.getResource().fhirType() + "/" + e.getResource().getIdElement().getIdPart()));
			List<Resource> resources = resources(bundle);
			for (Resource resource : resources) {
				for (Reference reference : FhirContext.forR4Cached().newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
					String target = reference.getReference();
					if (target == null) {
						continue;
					}
					if (local.containsKey(target)) {
						reference.setReference(local.get(target));
					} else if (target.contains("?")) {
						reference.setReference(conditional.apply(target));
					}
				}
			}
			return resources;
		}
	}
}
