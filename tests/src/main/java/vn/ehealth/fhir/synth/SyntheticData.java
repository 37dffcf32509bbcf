package vn.ehealth.fhir.synth;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/**
 * A synthetic data set: {@code patients} Vietnamese patients with years of care and the health
 * system around them, all decided by the seed. Same seed, count and dates: the same resources, byte
 * for byte. Patient n's record does not depend on the count (only the directory does: it covers the
 * provinces the patients live in).
 */
public final class SyntheticData {

	/** Records begin when facilities went electronic (Circular 46/2018/TT-BYT on electronic records). */
	public static final LocalDate DEFAULT_CARE_START = LocalDate.of(2016, 1, 1);
	/** A fixed "today", so that output never depends on the day it is generated. */
	public static final LocalDate DEFAULT_AS_OF = LocalDate.of(2026, 6, 30);

	private final long seed;
	private final int patients;
	private final LocalDate careStart;
	private final LocalDate asOf;
	private final Population population;
	private final java.util.Map<Integer, Person> people = new java.util.LinkedHashMap<>();
	private final HealthSystem system;
	private final CareHistory care;

	public SyntheticData(long seed, int patients) {
		this(seed, patients, DEFAULT_CARE_START, DEFAULT_AS_OF);
	}

	public SyntheticData(long seed, int patients, LocalDate careStart, LocalDate asOf) {
		this(seed, range(patients), careStart, asOf);
	}

	/**
	 * Only some patients of a data set, e.g. a handful for a test: each has the record it has in the
	 * whole set, and the directory covers just their provinces.
	 */
	public SyntheticData(long seed, List<Integer> patientNumbers, LocalDate careStart, LocalDate asOf) {
		this.seed = seed;
		this.patients = patientNumbers.size();
		this.careStart = careStart;
		this.asOf = asOf;
		this.population = new Population(seed, asOf);
		Set<String> provinces = new LinkedHashSet<>();
		for (int n : patientNumbers) {
			if (n < 0 || n > MAX_PATIENT_NUMBER) {
				throw new IllegalArgumentException("patient numbers run from 0 to " + MAX_PATIENT_NUMBER + " (got " + n + ")");
			}
			Person person = population.person(n);
			people.put(n, person);
			provinces.add(person.residence().code());
		}
		this.system = new HealthSystem(seed, asOf, provinces);
		this.care = new CareHistory(seed, careStart, asOf, system);
	}

	/** Practitioners' identity numbers start above this, so patients' CCCDs never meet theirs. */
	public static final int MAX_PATIENT_NUMBER = 199_999;

	private static List<Integer> range(int patients) {
		if (patients < 1 || patients > MAX_PATIENT_NUMBER + 1) {
			throw new IllegalArgumentException("patients must be 1–" + (MAX_PATIENT_NUMBER + 1) + " (got " + patients + ")");
		}
		List<Integer> numbers = new ArrayList<>(patients);
		for (int n = 0; n < patients; n++) {
			numbers.add(n);
		}
		return numbers;
	}

	/** The patient numbers of this data set, in order. */
	public List<Integer> patientNumbers() {
		return List.copyOf(people.keySet());
	}

	/**
	 * Patient n of a seed's population as a Patient without id or references, for tools that need
	 * realistic Vietnamese demographics only (the ingest benchmark's self-contained bundles).
	 */
	public static Patient demographics(long seed, int n) {
		Patient patient = Population.patient(new Population(seed, DEFAULT_AS_OF).person(n), null, DEFAULT_AS_OF);
		patient.setIdElement(null);
		return patient;
	}

	/** The province (legacy 63-list code) patient n lives in; cheap, no care history is generated. */
	public static String residenceOf(long seed, int n) {
		return new Population(seed, DEFAULT_AS_OF).person(n).residence().code();
	}

	public long seed() {
		return seed;
	}

	public int patients() {
		return patients;
	}

	public LocalDate asOf() {
		return asOf;
	}

	public LocalDate careStart() {
		return careStart;
	}

	/** Facilities, their locations, practitioners, roles and prices, in storing order. */
	public List<Resource> directory() {
		return system.directory();
	}

	/** Patient n's resources: the Patient first, then visit by visit in storing order. */
	public List<Resource> patient(int n) {
		Person person = people.get(n);
		if (person == null) {
			throw new IndexOutOfBoundsException("patient " + n + " is not in this data set");
		}
		return care.record(person, patientId(n));
	}

	public String patientId(int n) {
		return Ids.patient(seed, n);
	}

	/** Patient n's Patient resource alone (cheaper than the whole record). */
	public Patient patientOnly(int n) {
		return Population.patient(people.get(n), patientId(n), asOf);
	}

	public Bundle directoryBundle() {
		return transaction(directory());
	}

	public Bundle patientBundle(int n) {
		return transaction(patient(n));
	}

	/**
	 * A transaction that PUTs every resource at its id: loading twice updates instead of duplicating,
	 * and references between bundles (a visit to a facility of the directory) are plain Type/id.
	 */
	public static Bundle transaction(List<Resource> resources) {
		Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		for (Resource resource : resources) {
			bundle.addEntry().setResource(resource).getRequest()
					.setMethod(Bundle.HTTPVerb.PUT)
					.setUrl(resource.fhirType() + "/" + resource.getIdElement().getIdPart());
		}
		return bundle;
	}
}
