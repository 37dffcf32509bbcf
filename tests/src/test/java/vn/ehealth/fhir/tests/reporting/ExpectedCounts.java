package vn.ehealth.fhir.tests.reporting;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import vn.ehealth.fhir.synth.SyntheticData;
import vn.ehealth.fhir.terminology.VnTerminology;

/**
 * The counts a report must show, computed here from the synthetic generator's own resources (not from
 * the server's tables): encounters by start day, inpatient stays by end day, diagnoses by recorded day,
 * deaths by the Patient's deceasedDateTime, all on Vietnam's calendar. The province comes from the
 * generator's residence (a legacy code) through the province map; the facility code from the directory.
 */
final class ExpectedCounts {

	private static final ZoneOffset VIETNAM = ZoneOffset.ofHours(7);

	record Visit(String id, String patient, String classCode, LocalDate start, LocalDate end, String disposition,
			String facility, String reason, long stayDays) {}

	record Person(String id, String sex, LocalDate birth, String province, LocalDate died) {}

	record Diagnosis(String patient, String encounter, LocalDate recorded, String icd) {}

	final Map<String, Person> people = new HashMap<>();
	final Map<String, Visit> visits = new HashMap<>();
	final List<Diagnosis> diagnoses = new java.util.ArrayList<>();

	ExpectedCounts(SyntheticData data) {
		Map<String, String> facilityCodes = new HashMap<>();
		for (Resource resource : data.directory()) {
			if (resource instanceof Organization organization) {
				for (Identifier identifier : organization.getIdentifier()) {
					if ("http://fhir.ehealth.gov.vn/core/sid/provider-code".equals(identifier.getSystem())) {
						facilityCodes.put(organization.getIdPart(), identifier.getValue());
					}
				}
			}
		}
		for (int n : data.patientNumbers()) {
			String province = VnTerminology.provinceFromLegacy(SyntheticData.residenceOf(data.seed(), n)).orElseThrow();
			for (Resource resource : data.patient(n)) {
				if (resource instanceof Patient patient) {
					people.put(patient.getIdPart(), new Person(patient.getIdPart(), patient.getGender().toCode(),
							LocalDate.parse(patient.getBirthDateElement().getValueAsString()), province,
							patient.hasDeceasedDateTimeType() ? day(patient.getDeceasedDateTimeType()) : null));
				} else if (resource instanceof Encounter encounter) {
					visits.put(encounter.getIdPart(), visit(encounter, facilityCodes));
				} else if (resource instanceof Condition condition) {
					diagnoses.add(new Diagnosis(condition.getSubject().getReferenceElement().getIdPart(),
							condition.getEncounter().getReferenceElement().getIdPart(), day(condition.getRecordedDateElement()),
							condition.getCode().getCodingFirstRep().getCode()));
				}
			}
		}
	}

	private static Visit visit(Encounter encounter, Map<String, String> facilityCodes) {
		boolean ended = encounter.getPeriod().hasEnd();
		long stay = ended ? Math.max(1, Duration.between(encounter.getPeriod().getStart().toInstant(),
				encounter.getPeriod().getEnd().toInstant()).toDays()) : 0;
		return new Visit(encounter.getIdPart(), encounter.getSubject().getReferenceElement().getIdPart(),
				encounter.getClass_().getCode(), day(encounter.getPeriod().getStartElement()),
				ended ? day(encounter.getPeriod().getEndElement()) : null,
				encounter.getHospitalization().getDischargeDisposition().getCodingFirstRep().getCode(),
				facilityCodes.get(encounter.getServiceProvider().getReferenceElement().getIdPart()),
				encounter.getReasonCodeFirstRep().getCodingFirstRep().getCode(), stay);
	}

	static LocalDate day(BaseDateTimeType value) {
		return value.getValue().toInstant().atOffset(VIETNAM).toLocalDate();
	}

	static boolean within(LocalDate day, LocalDate from, LocalDate to) {
		return day != null && !day.isBefore(from) && !day.isAfter(to);
	}

	/** Encounters started in the period, counted by what {@code key} says of each (null keys: "unknown"). */
	Map<String, Integer> encounters(LocalDate from, LocalDate to, java.util.function.Function<Visit, String> key) {
		Map<String, Integer> counts = new TreeMap<>();
		for (Visit visit : visits.values()) {
			if (within(visit.start(), from, to)) {
				counts.merge(orUnknown(key.apply(visit)), 1, Integer::sum);
			}
		}
		return counts;
	}

	/** Inpatient stays ended in the period. */
	List<Visit> discharges(LocalDate from, LocalDate to) {
		return visits.values().stream().filter(v -> v.classCode().equals("IMP") && within(v.end(), from, to)).toList();
	}

	/** Diagnoses by role: primary when the code is the encounter's first reason (the generator writes no Encounter.diagnosis). */
	Map<String, Integer> diagnosisRoles(LocalDate from, LocalDate to) {
		Map<String, Integer> counts = new TreeMap<>();
		for (Diagnosis diagnosis : diagnoses) {
			if (within(diagnosis.recorded(), from, to)) {
				Visit visit = visits.get(diagnosis.encounter());
				counts.merge(diagnosis.icd().equals(visit.reason()) ? "primary" : "secondary", 1, Integer::sum);
			}
		}
		return counts;
	}

	Map<String, Integer> diagnosisCodes(LocalDate from, LocalDate to) {
		Map<String, Integer> counts = new TreeMap<>();
		diagnoses.stream().filter(d -> within(d.recorded(), from, to)).forEach(d -> counts.merge(d.icd(), 1, Integer::sum));
		return counts;
	}

	long deaths(LocalDate from, LocalDate to) {
		return people.values().stream().filter(p -> within(p.died(), from, to)).count();
	}

	String ageBand(Visit visit) {
		long age = ChronoUnit.YEARS.between(people.get(visit.patient()).birth(), visit.start());
		int[] bounds = {5, 15, 25, 35, 45, 55, 65};
		String[] bands = {"0-4", "5-14", "15-24", "25-34", "35-44", "45-54", "55-64"};
		for (int i = 0; i < bounds.length; i++) {
			if (age < bounds[i]) {
				return bands[i];
			}
		}
		return "65+";
	}

	private static String orUnknown(String value) {
		return value == null ? "unknown" : value;
	}
}
