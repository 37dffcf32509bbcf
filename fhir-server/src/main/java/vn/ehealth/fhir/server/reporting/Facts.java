package vn.ehealth.fhir.server.reporting;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Date;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import vn.ehealth.fhir.profiles.identifier.IdentifierSystems;
import vn.ehealth.fhir.server.identity.IdentifierNamespaces;
import vn.ehealth.fhir.terminology.Icd10Codes;
import vn.ehealth.fhir.terminology.VnTerminology;

/**
 * The few values statistics need, read from a resource as it is stored. Dates are taken on
 * Vietnam's calendar (UTC+7): an encounter started at 23:30 on the 31st in Hà Nội belongs to that
 * month, whatever offset the sender wrote.
 */
final class Facts {

	static final ZoneOffset VIETNAM = ZoneOffset.ofHours(7);
	/** LOINC "Cause of death": the death notice's underlying cause, an ICD-10 code in valueCodeableConcept. */
	static final String LOINC_CAUSE_OF_DEATH = "69453-9";
	/** The facility code under our guide's system and VN Core's (ma-cskcb): the same code (issue 19). */
	private static final java.util.List<String> FACILITY_CODE_SYSTEMS =
			IdentifierNamespaces.equivalents(IdentifierSystems.FACILITY_CODE);

	private Facts() {}

	record PatientFact(String id, String sex, LocalDate birthDate, String province, String occupation, String ethnicity,
			LocalDate deceased) {}

	record EncounterFact(String id, String patient, String organization, String classCode, LocalDate start, LocalDate end,
			Integer lengthOfStay, String disposition, String primaryCondition, String primaryReason) {}

	record ConditionFact(String id, String patient, String encounter, LocalDate recorded, String icd) {}

	record FacilityFact(String id, String code, String name) {}

	record DeathCauseFact(String id, String patient, String icd) {}

	static PatientFact patient(Patient patient) {
		return new PatientFact(patient.getIdElement().getIdPart(),
				patient.hasGender() ? patient.getGender().toCode() : "unknown",
				patient.hasBirthDateElement() ? date(patient.getBirthDateElement()) : null,
				Provinces.of(patient),
				extensionCode(patient, "occupation"), extensionCode(patient, "ethnicity"),
				patient.hasDeceasedDateTimeType() ? date(patient.getDeceasedDateTimeType()) : null);
	}

	static EncounterFact encounter(Encounter encounter) {
		LocalDate start = encounter.getPeriod().hasStartElement() ? date(encounter.getPeriod().getStartElement()) : null;
		LocalDate end = encounter.getPeriod().hasEndElement() ? date(encounter.getPeriod().getEndElement()) : null;
		String classCode = encounter.hasClass_() ? encounter.getClass_().getCode() : null;
		Integer stay = null;
		if ("IMP".equals(classCode) && start != null && end != null) {
			// a stay within one day counts as one day, as on the claim (Decision 4750/QĐ-BYT, SO_NGAY_DTRI)
			Date from = encounter.getPeriod().getStart();
			Date to = encounter.getPeriod().getEnd();
			stay = (int) Math.max(1, Duration.between(from.toInstant(), to.toInstant()).toDays());
		}
		String disposition = encounter.getHospitalization().hasDischargeDisposition()
				? firstCode(encounter.getHospitalization().getDischargeDisposition()) : null;
		return new EncounterFact(encounter.getIdElement().getIdPart(), idPart(encounter.getSubject()),
				idPart(encounter.getServiceProvider()), classCode, start, end, stay, disposition,
				primaryCondition(encounter), encounter.hasReasonCode() ? icd10(encounter.getReasonCodeFirstRep()) : null);
	}

	/** The Condition the encounter ranks first among its diagnoses (rank 1, else the only one). */
	private static String primaryCondition(Encounter encounter) {
		for (Encounter.DiagnosisComponent diagnosis : encounter.getDiagnosis()) {
			if (diagnosis.hasRank() && diagnosis.getRank() == 1) {
				return idPart(diagnosis.getCondition());
			}
		}
		return encounter.getDiagnosis().size() == 1 ? idPart(encounter.getDiagnosisFirstRep().getCondition()) : null;
	}

	/** Null for a Condition without an ICD-10 code: it is no diagnosis the statistics can classify. */
	static ConditionFact condition(Condition condition) {
		String icd = icd10(condition.getCode());
		if (icd == null) {
			return null;
		}
		LocalDate recorded = condition.hasRecordedDateElement() ? date(condition.getRecordedDateElement())
				: condition.hasOnsetDateTimeType() ? date(condition.getOnsetDateTimeType()) : null;
		return new ConditionFact(condition.getIdElement().getIdPart(), idPart(condition.getSubject()),
				idPart(condition.getEncounter()), recorded, icd);
	}

	/** Null for an Organization without a facility code (a payer, a department). */
	static FacilityFact facility(Organization organization) {
		for (Identifier identifier : organization.getIdentifier()) {
			if (FACILITY_CODE_SYSTEMS.contains(identifier.getSystem()) && identifier.hasValue()) {
				return new FacilityFact(organization.getIdElement().getIdPart(), identifier.getValue().trim(),
						organization.getName());
			}
		}
		return null;
	}

	/** Null unless it is a cause-of-death observation coded in ICD-10. */
	static DeathCauseFact deathCause(Observation observation) {
		boolean causeOfDeath = observation.getCode().getCoding().stream()
				.anyMatch(c -> "http://loinc.org".equals(c.getSystem()) && LOINC_CAUSE_OF_DEATH.equals(c.getCode()));
		if (!causeOfDeath || !observation.hasValueCodeableConcept()) {
			return null;
		}
		String icd = icd10(observation.getValueCodeableConcept());
		String patient = idPart(observation.getSubject());
		return icd == null || patient == null ? null
				: new DeathCauseFact(observation.getIdElement().getIdPart(), patient, icd);
	}

	/** The ICD-10 code of a concept (the guide's vn-icd10 or WHO's system), normalised; null when none. */
	static String icd10(CodeableConcept concept) {
		for (Coding coding : concept.getCoding()) {
			if (VnTerminology.CS_ICD10.equals(coding.getSystem()) || "http://hl7.org/fhir/sid/icd-10".equals(coding.getSystem())) {
				String code = Icd10Codes.normalise(coding.getCode());
				Icd10Codes.Kind kind = Icd10Codes.kind(code);
				if (kind == Icd10Codes.Kind.CATEGORY || kind == Icd10Codes.Kind.SUBCATEGORY) {
					return code;
				}
			}
		}
		return null;
	}

	private static String extensionCode(Patient patient, String urlEnding) {
		for (Extension extension : patient.getExtension()) {
			if (extension.getUrl() != null && extension.getUrl().endsWith("-" + urlEnding) && extension.getValue() instanceof Coding coding) {
				return coding.getCode();
			}
			if (extension.getUrl() != null && extension.getUrl().endsWith("-" + urlEnding)
					&& extension.getValue() instanceof CodeableConcept concept) {
				return firstCode(concept);
			}
		}
		return null;
	}

	private static String firstCode(CodeableConcept concept) {
		return concept.getCoding().stream().map(Coding::getCode).filter(c -> c != null && !c.isBlank()).findFirst().orElse(null);
	}

	/** The calendar day in Vietnam; a date without a time is that date. */
	static LocalDate date(BaseDateTimeType value) {
		if (value.getPrecision().ordinal() <= ca.uhn.fhir.model.api.TemporalPrecisionEnum.DAY.ordinal()) {
			return LocalDate.of(value.getYear(), value.getMonth() + 1, value.getDay());
		}
		return value.getValue().toInstant().atOffset(VIETNAM).toLocalDate();
	}

	static String idPart(Reference reference) {
		if (reference == null || !reference.hasReference()) {
			return null;
		}
		return reference.getReferenceElement().getIdPart();
	}
}
