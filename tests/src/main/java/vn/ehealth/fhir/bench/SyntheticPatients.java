package vn.ehealth.fhir.bench;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import vn.ehealth.fhir.synth.SyntheticData;

/**
 * Deterministic Vietnamese patients with a few years of outpatient care, one self-contained
 * transaction bundle each (POST, no references outside the bundle), valid against VietFHIR Core.
 * The patient's demographics (name, CCCD, BHYT, ethnicity, occupation, address) come from the
 * synthetic population of {@link vn.ehealth.fhir.synth}; the care is a fixed small pattern, so
 * ingest figures stay comparable. The full data set, with facilities and years of care, is
 * {@link vn.ehealth.fhir.synth.GenerateData}.
 */
public final class SyntheticPatients {

	private static final List<String[]> CONDITIONS = List.of(
			new String[] {"I10", "Bệnh lý tăng huyết áp"},
			new String[] {"E11.9", "Bệnh đái tháo đường không phụ thuộc insuline, không có biến chứng"},
			new String[] {"J44.9", "Bệnh phổi tắc nghẽn mạn tính, không đặc hiệu"},
			new String[] {"B18.1", "Viêm gan virus B mạn, không có đồng nhiễm viêm gan virus D"},
			new String[] {"A90", "Sốt Dengue [sốt xuất huyết Dengue cổ điển]"},
			new String[] {"J06.9", "Nhiễm trùng hô hấp trên cấp, không đặc hiệu"});

	private final long seed;

	public SyntheticPatients(long seed) {
		this.seed = seed;
	}

	/** Patient number {@code n} alone: the first entry of its bundle, without building the rest. */
	public Patient patient(int n) {
		return SyntheticData.demographics(seed, n);
	}

	/** The transaction bundle of patient number {@code n} (same n and seed, same bundle). */
	public Bundle patientBundle(int n, int encounters) {
		Random random = new Random(seed * 1_000_003L + n);
		Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		Patient patient = SyntheticData.demographics(seed, n);
		String patientUrn = add(bundle, patient, random);

		String[] diagnosis = CONDITIONS.get(random.nextInt(CONDITIONS.size()));
		Condition condition = new Condition();
		condition.setSubject(new Reference(patientUrn));
		condition.setCode(new CodeableConcept(new Coding("https://vietfhir.org/fhir/CodeSystem/vn-icd10", diagnosis[0], diagnosis[1])));
		condition.getClinicalStatus().addCoding(new Coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", null));
		add(bundle, condition, random);

		OffsetDateTime visit = OffsetDateTime.of(2021, 1, 4, 8, 0, 0, 0, ZoneOffset.ofHours(7));
		for (int e = 0; e < encounters; e++) {
			visit = visit.plusDays(20 + random.nextInt(40)).withHour(7 + random.nextInt(9));
			Encounter encounter = new Encounter();
			encounter.setStatus(Encounter.EncounterStatus.FINISHED);
			encounter.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory"));
			encounter.setSubject(new Reference(patientUrn));
			encounter.setPeriod(new Period()
					.setStartElement(new DateTimeType(fhirDateTime(visit)))
					.setEndElement(new DateTimeType(fhirDateTime(visit.plusMinutes(45)))));
			String encounterUrn = add(bundle, encounter, random);
			add(bundle, vital(patientUrn, encounterUrn, visit, "8480-6", "Huyết áp tâm thu", 110 + random.nextInt(60), "mm[Hg]", "mmHg"), random);
			add(bundle, vital(patientUrn, encounterUrn, visit, "8867-4", "Nhịp tim", 55 + random.nextInt(50), "/min", "lần/phút"), random);
			add(bundle, vital(patientUrn, encounterUrn, visit, "29463-7", "Cân nặng", 40 + random.nextInt(45), "kg", "kg"), random);
		}
		return bundle;
	}

	private static Observation vital(
			String patient, String encounter, OffsetDateTime when, String loinc, String text, int value, String ucum, String unit) {
		Observation observation = new Observation();
		observation.setStatus(Observation.ObservationStatus.FINAL);
		observation.addCategory().addCoding(
				new Coding("http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", "Vital Signs"));
		observation.setCode(new CodeableConcept(new Coding("http://loinc.org", loinc, null)).setText(text));
		observation.setSubject(new Reference(patient));
		observation.setEncounter(new Reference(encounter));
		observation.setEffective(new DateTimeType(fhirDateTime(when.plusMinutes(10))));
		observation.setValue(new Quantity().setValue(value).setUnit(unit).setSystem("http://unitsofmeasure.org").setCode(ucum));
		return observation;
	}

	private static String add(Bundle bundle, Resource resource, Random random) {
		String urn = "urn:uuid:" + new UUID(random.nextLong(), random.nextLong());
		bundle.addEntry().setFullUrl(urn).setResource(resource)
				.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl(resource.fhirType());
		return urn;
	}

	private static final java.time.format.DateTimeFormatter FHIR_DATE_TIME =
			java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

	/** Seconds always written: FHIR dateTime has no minute-only precision. */
	private static String fhirDateTime(OffsetDateTime time) {
		return FHIR_DATE_TIME.format(time);
	}

}
