package vn.ehealth.fhir.synth;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Duration;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.SimpleQuantity;
import org.hl7.fhir.r4.model.Timing;
import vn.ehealth.fhir.profiles.Canonicals;

/**
 * One patient's chart as it is written: turns visits into FHIR resources with fixed ids, in the order
 * a server with referential integrity can store them (an encounter before what happened in it, a
 * result before its report, a diagnosis before the prescription that treats it).
 */
final class Chart {

	static final ZoneOffset VIETNAM = ZoneOffset.ofHours(7);
	private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

	/** One visit: an encounter, where, and who saw the patient. */
	record Visit(String encounterId, HealthSystem.Facility facility, HealthSystem.Staff doctor, HealthSystem.Staff nurse,
			OffsetDateTime start, OffsetDateTime end, String category) {}

	private final String patientId;
	private final Reference patient;
	private final Rng rng;
	private final List<Resource> resources = new ArrayList<>();
	private final Map<String, Integer> counters = new HashMap<>();
	private final LocalDate asOf;
	private final HealthSystem system;

	Chart(String patientId, String patientName, Rng rng, LocalDate asOf, HealthSystem system) {
		this.patientId = patientId;
		this.patient = new Reference("Patient/" + patientId).setDisplay(patientName);
		this.rng = rng;
		this.asOf = asOf;
		this.system = system;
	}

	List<Resource> resources() {
		return resources;
	}

	void add(Resource resource) {
		resources.add(resource);
	}

	private String nextId(String kind) {
		int n = counters.merge(kind, 1, Integer::sum);
		return patientId + "-" + kind + String.format("%04d", n);
	}

	static DateTimeType dateTime(OffsetDateTime time) {
		return new DateTimeType(DATE_TIME.format(time));
	}

	static OffsetDateTime at(LocalDate date, int hour, int minute) {
		return OffsetDateTime.of(date.getYear(), date.getMonthValue(), date.getDayOfMonth(), hour, minute, 0, 0, VIETNAM);
	}

	private Reference role(HealthSystem.Staff staff) {
		return new Reference("PractitionerRole/" + staff.roleId()).setDisplay(staff.displayName());
	}

	private static Reference organization(HealthSystem.Facility facility) {
		return new Reference("Organization/" + facility.id()).setDisplay(facility.name());
	}

	// ------------------------------------------------------------------ encounters

	/**
	 * An encounter (AMB outpatient, EMER emergency, IMP inpatient) at a facility's ward; inpatient stays
	 * get a bed, admission source and discharge disposition.
	 */
	Visit encounter(String classCode, HealthSystem.Facility facility, String wardKey, OffsetDateTime start,
			OffsetDateTime end, List<String> reasons, String admitSource, String discharge) {
		Encounter encounter = new Encounter();
		String id = nextId("enc");
		encounter.setId(id);
		encounter.getMeta().addProfile(Canonicals.ENCOUNTER);
		// MA_LK, the visit key that links a visit's claim tables (Decision 130/QĐ-BYT)
		encounter.addIdentifier().setValue(facility.code() + "." + id.substring(id.indexOf("-p") + 2).replace("-enc", "."))
				.setType(new CodeableConcept().setText("Mã liên kết (MA_LK)"));
		encounter.setStatus(end.toLocalDate().isAfter(asOf) ? Encounter.EncounterStatus.INPROGRESS : Encounter.EncounterStatus.FINISHED);
		String classDisplay = switch (classCode) {
			case "IMP" -> "inpatient encounter";
			case "EMER" -> "emergency";
			default -> "ambulatory";
		};
		encounter.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", classCode, classDisplay));
		encounter.addType(new CodeableConcept().setText(switch (classCode) {
			case "IMP" -> "Điều trị nội trú";
			case "EMER" -> "Cấp cứu";
			default -> "Khám bệnh ngoại trú";
		}));
		if (!classCode.equals("AMB")) {
			encounter.setPriority(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActPriority",
					classCode.equals("EMER") ? "EM" : "R", classCode.equals("EMER") ? "emergency" : "routine")));
		}
		encounter.setSubject(patient);
		HealthSystem.Staff doctor = system.doctor(facility, wardKey, rng);
		HealthSystem.Staff nurse = system.nurse(facility, rng);
		encounter.addParticipant()
				.addType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "ATND", "attender")))
				.setIndividual(role(doctor));
		Period period = new Period().setStartElement(dateTime(start));
		if (encounter.getStatus() == Encounter.EncounterStatus.FINISHED) {
			period.setEndElement(dateTime(end));
		}
		encounter.setPeriod(period);
		if (classCode.equals("IMP")) {
			long days = Math.max(1, java.time.Duration.between(start, end).toDays());
			encounter.setLength((Duration) new Duration().setValue(days).setUnit("ngày").setSystem(Clinical.UCUM).setCode("d"));
		}
		for (String reason : reasons) {
			encounter.addReasonCode(Clinical.icd10(reason));
		}
		if (admitSource != null || discharge != null) {
			Encounter.EncounterHospitalizationComponent stay = encounter.getHospitalization();
			if (admitSource != null) {
				stay.setAdmitSource(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/admit-source", admitSource,
						ADMIT_SOURCES.get(admitSource))));
			}
			if (discharge != null && encounter.getStatus() == Encounter.EncounterStatus.FINISHED) {
				stay.setDischargeDisposition(new CodeableConcept(new Coding(
						"http://terminology.hl7.org/CodeSystem/discharge-disposition", discharge, DISCHARGES.get(discharge)))
						.setText(DISCHARGES_VI.get(discharge)));
			}
		}
		HealthSystem.Ward ward = facility.ward(wardKey);
		encounter.addLocation().setLocation(new Reference("Location/" + ward.id()).setDisplay(ward.name()))
				.setStatus(Encounter.EncounterLocationStatus.COMPLETED);
		if (classCode.equals("IMP") && !ward.beds().isEmpty()) {
			HealthSystem.Bed bed = ward.beds().get(rng.nextInt(ward.beds().size()));
			encounter.addLocation().setLocation(new Reference("Location/" + bed.id()).setDisplay(bed.name() + ", " + ward.name()))
					.setStatus(Encounter.EncounterLocationStatus.COMPLETED);
		}
		encounter.setServiceProvider(organization(facility));
		resources.add(encounter);
		String category = switch (classCode) {
			case "IMP" -> "inpatient";
			case "EMER" -> "outpatient";
			default -> "outpatient";
		};
		return new Visit(id, facility, doctor, nurse, start, end, category);
	}

	// ------------------------------------------------------------------ conditions

	/** A diagnosis made at a visit; resolved ones carry their abatement date. */
	String condition(Visit visit, String icd, LocalDate onset, boolean problemList, LocalDate abatement, String note) {
		Condition condition = new Condition();
		String id = nextId("con");
		condition.setId(id);
		condition.getMeta().addProfile(Canonicals.CONDITION);
		boolean resolved = abatement != null && !abatement.isAfter(asOf);
		condition.setClinicalStatus(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/condition-clinical",
				resolved ? "resolved" : "active", resolved ? "Resolved" : "Active")));
		condition.setVerificationStatus(new CodeableConcept(new Coding(
				"http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed", "Confirmed")));
		condition.addCategory(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/condition-category",
				problemList ? "problem-list-item" : "encounter-diagnosis", problemList ? "Problem List Item" : "Encounter Diagnosis")));
		condition.setCode(Clinical.icd10(icd));
		condition.setSubject(patient);
		condition.setEncounter(new Reference("Encounter/" + visit.encounterId()));
		condition.setOnset(new DateTimeType(onset.toString()));
		if (resolved) {
			condition.setAbatement(new DateTimeType(abatement.toString()));
		}
		condition.setRecordedDateElement(dateTime(visit.start().plusMinutes(20)));
		condition.setAsserter(role(visit.doctor()));
		if (note != null) {
			condition.addNote().setText(note);
		}
		resources.add(condition);
		return id;
	}

	// ------------------------------------------------------------------ observations

	private Observation observation(Visit visit, String category, String categoryDisplay, String loinc, String display,
			String text, OffsetDateTime when, HealthSystem.Staff performer) {
		Observation observation = new Observation();
		observation.setId(nextId("obs"));
		observation.getMeta().addProfile(Canonicals.OBSERVATION);
		observation.setStatus(Observation.ObservationStatus.FINAL);
		if (category != null) {
			observation.addCategory(new CodeableConcept(new Coding(
					"http://terminology.hl7.org/CodeSystem/observation-category", category, categoryDisplay)));
		}
		observation.setCode(new CodeableConcept(new Coding(Clinical.LOINC, loinc, display)).setText(text));
		observation.setSubject(patient);
		if (visit != null) {
			observation.setEncounter(new Reference("Encounter/" + visit.encounterId()));
		}
		observation.setEffective(dateTime(when));
		if (performer != null) {
			observation.addPerformer(role(performer));
		}
		return observation;
	}

	static Quantity quantity(Clinical.Measure measure, double value) {
		return new Quantity().setValue(round(value, measure.decimals())).setUnit(measure.unit())
				.setSystem(Clinical.UCUM).setCode(measure.ucum());
	}

	static BigDecimal round(double value, int decimals) {
		return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP);
	}

	/** A vital sign taken by the visit's nurse. */
	String vital(Visit visit, Clinical.Measure measure, double value, OffsetDateTime when) {
		Observation observation = observation(visit, "vital-signs", "Vital Signs", measure.loinc(), measure.display(),
				measure.text(), when, visit.nurse());
		observation.setValue(quantity(measure, value));
		resources.add(observation);
		return observation.getIdPart();
	}

	/** Blood pressure as the vital-signs panel with its two components. */
	String bloodPressure(Visit visit, double systolic, double diastolic, OffsetDateTime when) {
		Observation observation = observation(visit, "vital-signs", "Vital Signs", "85354-9",
				"Blood pressure panel with all children optional", "Huyết áp", when, visit.nurse());
		observation.addComponent()
				.setCode(new CodeableConcept(new Coding(Clinical.LOINC, Clinical.SYSTOLIC.loinc(), Clinical.SYSTOLIC.display()))
						.setText(Clinical.SYSTOLIC.text()))
				.setValue(quantity(Clinical.SYSTOLIC, systolic));
		observation.addComponent()
				.setCode(new CodeableConcept(new Coding(Clinical.LOINC, Clinical.DIASTOLIC.loinc(), Clinical.DIASTOLIC.display()))
						.setText(Clinical.DIASTOLIC.text()))
				.setValue(quantity(Clinical.DIASTOLIC, diastolic));
		resources.add(observation);
		return observation.getIdPart();
	}

	/** A laboratory result with its reference range and interpretation. */
	String lab(Visit visit, Clinical.Measure measure, double value, OffsetDateTime when) {
		Observation observation = observation(visit, "laboratory", "Laboratory", measure.loinc(), measure.display(),
				measure.text(), when, null);
		observation.addPerformer(organization(visit.facility()));
		observation.setValue(quantity(measure, value));
		Observation.ObservationReferenceRangeComponent range = observation.addReferenceRange();
		if (!Double.isNaN(measure.low())) {
			range.setLow((SimpleQuantity) new SimpleQuantity().setValue(round(measure.low(), measure.decimals()))
					.setUnit(measure.unit()).setSystem(Clinical.UCUM).setCode(measure.ucum()));
		}
		if (!Double.isNaN(measure.high())) {
			range.setHigh((SimpleQuantity) new SimpleQuantity().setValue(round(measure.high(), measure.decimals()))
					.setUnit(measure.unit()).setSystem(Clinical.UCUM).setCode(measure.ucum()));
		}
		double rounded = round(value, measure.decimals()).doubleValue();
		String flag = !Double.isNaN(measure.high()) && rounded > measure.high() ? "H"
				: !Double.isNaN(measure.low()) && rounded < measure.low() ? "L" : "N";
		observation.addInterpretation(new CodeableConcept(new Coding(
				"http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", flag, INTERPRETATIONS.get(flag))));
		resources.add(observation);
		return observation.getIdPart();
	}

	/** A test with a positive or negative answer. */
	String qualitative(Visit visit, Clinical.Qualitative test, boolean positive, OffsetDateTime when) {
		Observation observation = observation(visit, "laboratory", "Laboratory", test.loinc(), test.display(), test.text(), when, null);
		observation.addPerformer(organization(visit.facility()));
		observation.setValue(new CodeableConcept(positive
				? new Coding(Clinical.SNOMED, "10828004", "Positive")
				: new Coding(Clinical.SNOMED, "260385009", "Negative")).setText(positive ? "Dương tính" : "Âm tính"));
		observation.addInterpretation(new CodeableConcept(new Coding(
				"http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", positive ? "POS" : "NEG",
				positive ? "Positive" : "Negative")));
		resources.add(observation);
		return observation.getIdPart();
	}

	/** The cause of death as the death notice (giấy báo tử) states it: an ICD-10 code. */
	String causeOfDeath(Visit visit, HealthSystem.Facility facility, HealthSystem.Staff doctor, String icd, OffsetDateTime when) {
		Clinical.Qualitative cause = Clinical.CAUSE_OF_DEATH;
		Observation observation = observation(visit, null, null, cause.loinc(), cause.display(), cause.text(), when, doctor);
		observation.setValue(Clinical.icd10(icd));
		observation.addNote().setText("Theo giấy báo tử do " + facility.name() + " cấp / as on the death notice");
		resources.add(observation);
		return observation.getIdPart();
	}

	/**
	 * A report (phiếu kết quả) grouping results, or an imaging or ECG report with a conclusion only.
	 *
	 * @param loinc the report's LOINC code, or null for a report named in text only
	 */
	String report(Visit visit, String category, String loinc, String display, String text, List<String> results,
			OffsetDateTime when, String conclusion) {
		DiagnosticReport report = new DiagnosticReport();
		report.setId(nextId("rep"));
		report.getMeta().addProfile(Canonicals.DIAGNOSTIC_REPORT);
		report.setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL);
		report.addCategory(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v2-0074", category,
				REPORT_CATEGORIES.get(category))).setText(REPORT_CATEGORIES_VI.get(category)));
		CodeableConcept code = new CodeableConcept().setText(text);
		if (loinc != null) {
			code.addCoding(new Coding(Clinical.LOINC, loinc, display));
		}
		report.setCode(code);
		report.setSubject(patient);
		report.setEncounter(new Reference("Encounter/" + visit.encounterId()));
		report.setEffective(dateTime(when));
		report.setIssuedElement(new InstantType(DATE_TIME.format(when.plusHours(2))));
		report.addPerformer(organization(visit.facility()));
		report.addResultsInterpreter(role(system.doctor(visit.facility(), category.equals("RAD") ? "CDHA" : "XN", rng)));
		for (String result : results) {
			report.addResult(new Reference("Observation/" + result));
		}
		if (conclusion != null) {
			report.setConclusion(conclusion);
		}
		resources.add(report);
		return report.getIdPart();
	}

	// ------------------------------------------------------------------ medicines

	/** Mã đơn thuốc of the national e-prescription system: facility code, 7 characters, "-", the kind ("c" ordinary). */
	String prescriptionCode(HealthSystem.Facility facility) {
		String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
		StringBuilder code = new StringBuilder(facility.code());
		for (int i = 0; i < 7; i++) {
			code.append(alphabet.charAt(rng.nextInt(alphabet.length())));
		}
		return code.append("-c").toString();
	}

	/** One line of an e-prescription: the medicine, the prescriber's role at the facility, dosage and supply. */
	String prescribe(Visit visit, String drugKey, String reasonCondition, int days, String category, String prescription,
			LocalDate endOfLife) {
		Clinical.Drug drug = Clinical.DRUGS.get(drugKey);
		MedicationRequest request = new MedicationRequest();
		request.setId(nextId("med"));
		request.getMeta().addProfile(Canonicals.MEDICATION_REQUEST);
		LocalDate lastDay = visit.start().toLocalDate().plusDays(days);
		MedicationRequest.MedicationRequestStatus status = lastDay.isBefore(asOf)
				? MedicationRequest.MedicationRequestStatus.COMPLETED
				: MedicationRequest.MedicationRequestStatus.ACTIVE;
		if (endOfLife != null && !lastDay.isBefore(endOfLife)) {
			status = MedicationRequest.MedicationRequestStatus.STOPPED;
		}
		request.setStatus(status);
		request.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
		request.addCategory(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/medicationrequest-category",
				category, CATEGORIES.get(category))));
		request.setMedication(new CodeableConcept(new Coding(Clinical.ATC, drug.atc(), null)).setText(drug.name()));
		request.setSubject(patient);
		request.setEncounter(new Reference("Encounter/" + visit.encounterId()));
		request.setAuthoredOnElement(dateTime(visit.start().plusMinutes(25)));
		request.setRequester(role(visit.doctor()));
		if (reasonCondition != null) {
			request.addReasonReference(new Reference("Condition/" + reasonCondition));
		}
		request.setGroupIdentifier(new org.hl7.fhir.r4.model.Identifier().setValue(prescription)
				.setType(new CodeableConcept().setText("Mã đơn thuốc điện tử")));
		org.hl7.fhir.r4.model.Dosage dosage = request.addDosageInstruction();
		dosage.setSequence(1).setText(drug.instruction());
		dosage.setRoute(new CodeableConcept(new Coding(Clinical.SNOMED, drug.route(), Clinical.ROUTES.get(drug.route())))
				.setText(Clinical.ROUTES_VI.get(drug.route())));
		if (drug.perDay() > 0) {
			int timesPerDay = drug.perDay() >= 4 ? 1 : (int) drug.perDay();
			double perDose = drug.perDay() / timesPerDay;
			dosage.setTiming(new Timing().setRepeat(new Timing.TimingRepeatComponent()
					.setFrequency(timesPerDay).setPeriod(1).setPeriodUnit(Timing.UnitsOfTime.D)));
			dosage.addDoseAndRate().setDose(new Quantity().setValue(round(perDose, 1).stripTrailingZeros()).setUnit(drug.unit()));
		} else {
			dosage.setAsNeeded(new org.hl7.fhir.r4.model.BooleanType(drug.instruction().contains("khi")));
		}
		long quantity = drug.perDay() > 0 ? Math.round(Math.ceil(drug.perDay() * days)) : 1;
		MedicationRequest.MedicationRequestDispenseRequestComponent dispense = request.getDispenseRequest();
		dispense.setValidityPeriod(new Period().setStartElement(new DateTimeType(visit.start().toLocalDate().toString()))
				.setEndElement(new DateTimeType(visit.start().toLocalDate().plusDays(5).toString())));
		dispense.setQuantity((SimpleQuantity) new SimpleQuantity().setValue(quantity).setUnit(drug.unit()));
		dispense.setExpectedSupplyDuration((Duration) new Duration().setValue(days).setUnit("ngày").setSystem(Clinical.UCUM).setCode("d"));
		request.setSubstitution(new MedicationRequest.MedicationRequestSubstitutionComponent()
				.setAllowed(new org.hl7.fhir.r4.model.BooleanType(true)));
		resources.add(request);
		return request.getIdPart();
	}

	// ------------------------------------------------------------------ procedures, vaccines, allergies

	String procedure(Visit visit, Clinical.Proc proc, String reasonCondition, OffsetDateTime when, int minutes) {
		Procedure procedure = new Procedure();
		procedure.setId(nextId("pro"));
		procedure.getMeta().addProfile(Canonicals.PROCEDURE);
		procedure.setStatus(Procedure.ProcedureStatus.COMPLETED);
		procedure.setCode(new CodeableConcept(new Coding(Clinical.ICD9CM, proc.code(), proc.display())).setText(proc.text()));
		procedure.setSubject(patient);
		procedure.setEncounter(new Reference("Encounter/" + visit.encounterId()));
		procedure.setPerformed(new Period().setStartElement(dateTime(when)).setEndElement(dateTime(when.plusMinutes(minutes))));
		procedure.addPerformer().setActor(role(visit.doctor()))
				.setOnBehalfOf(organization(visit.facility()));
		procedure.setLocation(new Reference("Location/" + visit.facility().ward(wardOf(proc)).id()));
		if (reasonCondition != null) {
			procedure.addReasonReference(new Reference("Condition/" + reasonCondition));
		}
		resources.add(procedure);
		return procedure.getIdPart();
	}

	private static String wardOf(Clinical.Proc proc) {
		return switch (proc.code()) {
			case "73.59", "74.1" -> "SAN";
			case "99.25" -> "UB";
			case "36.07" -> "TM";
			case "99.83" -> "NHI";
			case "96.04", "93.96" -> "HSTC";
			default -> "NGOAI";
		};
	}

	/** A vaccine given, by the Expanded Programme on Immunization (Tiêm chủng mở rộng) or a campaign. */
	String immunization(Visit visit, HealthSystem.Facility facility, HealthSystem.Staff nurse, Clinical.Vaccine vaccine,
			OffsetDateTime when, int dose, String series) {
		Immunization immunization = new Immunization();
		immunization.setId(nextId("imm"));
		immunization.getMeta().addProfile(Canonicals.IMMUNIZATION);
		immunization.setStatus(Immunization.ImmunizationStatus.COMPLETED);
		immunization.setVaccineCode(new CodeableConcept(new Coding(Clinical.CVX, vaccine.cvx(), vaccine.display())).setText(vaccine.text()));
		immunization.setPatient(patient);
		if (visit != null) {
			immunization.setEncounter(new Reference("Encounter/" + visit.encounterId()));
		}
		immunization.setOccurrence(dateTime(when));
		immunization.setRecordedElement(dateTime(when.plusMinutes(30)));
		immunization.setPrimarySource(true);
		immunization.setLocation(new Reference("Location/" + facility.siteId()).setDisplay(facility.name()));
		immunization.setLotNumber(lot());
		immunization.setExpirationDateElement(new org.hl7.fhir.r4.model.DateType(when.toLocalDate().plusMonths(rng.between(6, 20)).withDayOfMonth(1).toString()));
		immunization.setRoute(new CodeableConcept(new Coding(Clinical.SNOMED, vaccine.route(), Clinical.VACCINE_ROUTES.get(vaccine.route())))
				.setText(Clinical.VACCINE_ROUTES_VI.get(vaccine.route())));
		immunization.addPerformer()
				.setFunction(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v2-0443", "AP", "Administering Provider")))
				.setActor(role(nurse));
		immunization.addProtocolApplied().setSeries(series).setDoseNumber(new PositiveIntType(dose));
		resources.add(immunization);
		return immunization.getIdPart();
	}

	private String lot() {
		String letters = "ABCDEFGHJKLMNPRSTUVWXYZ";
		return "" + letters.charAt(rng.nextInt(letters.length())) + letters.charAt(rng.nextInt(letters.length()))
				+ String.format("%04d", rng.between(0, 9999));
	}

	/** An allergy or intolerance: a SNOMED CT substance, the reaction seen, and who recorded it. */
	String allergy(Visit visit, String category, String substance, String substanceDisplay, String text,
			String manifestation, String manifestationDisplay, String manifestationText, boolean severe) {
		AllergyIntolerance allergy = new AllergyIntolerance();
		allergy.setId(nextId("all"));
		allergy.getMeta().addProfile(Canonicals.ALLERGY_INTOLERANCE);
		allergy.setClinicalStatus(new CodeableConcept(new Coding(
				"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active", "Active")));
		allergy.setVerificationStatus(new CodeableConcept(new Coding(
				"http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "confirmed", "Confirmed")));
		allergy.setType(AllergyIntolerance.AllergyIntoleranceType.ALLERGY);
		allergy.addCategory(AllergyIntolerance.AllergyIntoleranceCategory.fromCode(category));
		allergy.setCriticality(severe ? AllergyIntolerance.AllergyIntoleranceCriticality.HIGH : AllergyIntolerance.AllergyIntoleranceCriticality.LOW);
		allergy.setCode(new CodeableConcept(new Coding(Clinical.SNOMED, substance, substanceDisplay)).setText(text));
		allergy.setPatient(patient);
		allergy.setEncounter(new Reference("Encounter/" + visit.encounterId()));
		allergy.setRecordedDateElement(dateTime(visit.start().plusMinutes(15)));
		allergy.setRecorder(role(visit.doctor()));
		allergy.addReaction()
				.addManifestation(new CodeableConcept(new Coding(Clinical.SNOMED, manifestation, manifestationDisplay)).setText(manifestationText))
				.setSeverity(severe ? AllergyIntolerance.AllergyIntoleranceSeverity.SEVERE : AllergyIntolerance.AllergyIntoleranceSeverity.MILD);
		resources.add(allergy);
		return allergy.getIdPart();
	}

	// ------------------------------------------------------------------ data

	private static final Map<String, String> ADMIT_SOURCES = Map.of(
			"emd", "From accident/emergency department", "outp", "From outpatient department",
			"hosp-trans", "Transferred from other hospital", "gp", "General Practitioner referral");
	private static final Map<String, String> DISCHARGES = Map.of(
			"home", "Home", "other-hcf", "Other healthcare facility", "exp", "Expired", "aadvice", "Left against advice");
	private static final Map<String, String> DISCHARGES_VI = Map.of(
			"home", "Ra viện về nhà", "other-hcf", "Chuyển tuyến", "exp", "Tử vong", "aadvice", "Trốn viện / xin về");
	private static final Map<String, String> INTERPRETATIONS = Map.of("H", "High", "L", "Low", "N", "Normal");
	private static final Map<String, String> CATEGORIES = Map.of(
			"outpatient", "Outpatient", "inpatient", "Inpatient", "discharge", "Discharge", "community", "Community");
	private static final Map<String, String> REPORT_CATEGORIES = Map.of(
			"HM", "Hematology", "CH", "Chemistry", "RAD", "Radiology", "EC", "Electrocardiac (e.g., EKG,  EEC, Holter)",
			"MB", "Microbiology", "SR", "Serology");
	private static final Map<String, String> REPORT_CATEGORIES_VI = Map.of(
			"HM", "Huyết học", "CH", "Sinh hóa", "RAD", "Chẩn đoán hình ảnh", "EC", "Thăm dò chức năng",
			"MB", "Vi sinh", "SR", "Miễn dịch");
}
