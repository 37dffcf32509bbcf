package vn.ehealth.fhir.synth;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Years of care for one person, from the start of electronic records (or birth) to the as-of date
 * (or death): chronic diseases followed up month by month at the facility of first registration
 * with their e-prescriptions and tests, acute illnesses by age, season and region, emergencies and
 * hospital stays with beds, surgery and deliveries, annual health checks for workers, the expanded
 * programme on immunization for children and the COVID-19 campaign, allergies, and for some a death
 * with its cause.
 */
public final class CareHistory {

	private final long seed;
	private final LocalDate careStart;
	private final LocalDate asOf;
	private final HealthSystem system;

	public CareHistory(long seed, LocalDate careStart, LocalDate asOf, HealthSystem system) {
		this.seed = seed;
		this.careStart = careStart;
		this.asOf = asOf;
		this.system = system;
	}

	/** The patient's resources in the order they can be stored: the Patient, then visit by visit. */
	List<Resource> record(Person person, String patientId) {
		return new Life(person, patientId).live();
	}

	/** A chronic disease: when it began, its Condition once recorded, its regimen. */
	private static final class Chronic {
		final String key;
		final String icd;
		final LocalDate onset;
		final List<String> drugs;
		String conditionId;

		Chronic(String key, String icd, LocalDate onset, List<String> drugs) {
			this.key = key;
			this.icd = icd;
			this.onset = onset;
			this.drugs = drugs;
		}
	}

	private record Task(LocalDateTime when, int order, Consumer<OffsetDateTime> action) {}

	/** Tuple of an acute illness: ICD-10, its weight, medicines to choose from, and what it may need. */
	private record Acute(String icd, double weight, List<String> drugs, boolean febrile, boolean respiratory,
			double bloodCount, double xray, double admit, int days) {}

	private final class Life {
		private final Person person;
		private final String patientId;
		private final Rng rng;
		private final Chart chart;
		private final LocalDate start;
		private LocalDate end;
		private LocalDate death;
		private OffsetDateTime deathTime;
		private String deathCause;
		private LocalDate cancerDay;
		private String cancerIcd;
		private final HealthSystem.Facility registered;
		private final Map<String, Chronic> chronic = new LinkedHashMap<>();
		private final List<Task> tasks = new ArrayList<>();
		private final double adultHeight;
		private final double bmi;
		private final double growth;
		private final boolean smoker;
		private boolean allergyRecorded;
		private final double allergyChance;

		Life(Person person, String patientId) {
			this.person = person;
			this.patientId = patientId;
			this.rng = new Rng(seed, "care", person.index());
			this.chart = new Chart(patientId, person.fullName(), rng, asOf, system);
			this.start = person.birthDate().isAfter(careStart) ? person.birthDate() : careStart;
			this.end = asOf;
			Provinces.Province home = person.residence();
			double where = rng.uniform(0, 1);
			this.registered = system.of(home, where < 0.55 ? HealthSystem.Kind.COMMUNE
					: where < 0.9 ? HealthSystem.Kind.AREA : HealthSystem.Kind.CLINIC, rng);
			this.adultHeight = person.male() ? rng.normal(165, 6) : rng.normal(154, 5.5);
			this.bmi = Math.max(16, Math.min(34, rng.normal(21.8, 2.8)));
			this.growth = rng.normal(0, 1);
			this.smoker = person.male() ? rng.chance(0.45) : rng.chance(0.02);
			this.allergyChance = rng.chance(0.07) ? 1 : 0;
		}

		List<Resource> live() {
			Patient patient = Population.patient(person, patientId, asOf);
			patient.setManagingOrganization(new Reference("Organization/" + registered.id()).setDisplay(registered.name()));
			patient.addGeneralPractitioner(new Reference("Organization/" + registered.id()).setDisplay(registered.name()));
			chart.add(patient);
			chronicDiseases();
			mortality();
			planCancer();
			if (death != null) {
				end = death.minusDays(1);
				deathTime = Chart.at(death, rng.between(0, 23), rng.between(0, 59));
				patient.setDeceased(Chart.dateTime(deathTime));
			}
			scheduleChronicCare();
			scheduleAcuteCare();
			scheduleHealthChecks();
			scheduleImmunizations();
			schedulePregnancies();
			scheduleEvents();
			if (death != null) {
				tasks.add(new Task(deathTime.toLocalDateTime(), tasks.size(), this::die));
			}
			tasks.sort(Comparator.comparing(Task::when).thenComparing(Task::order));
			for (Task task : tasks) {
				task.action().accept(task.when().atOffset(Chart.VIETNAM));
			}
			return chart.resources();
		}

		private int age(LocalDate date) {
			return (int) ChronoUnit.YEARS.between(person.birthDate(), date);
		}

		private boolean within(LocalDate date) {
			return !date.isBefore(start) && !date.isAfter(end);
		}

		/** Runs the action at a time of day on that date if it falls within the patient's care. */
		private void schedule(LocalDate date, int hour, Consumer<OffsetDateTime> action) {
			if (!within(date)) {
				return;
			}
			int h = hour > 0 ? hour : rng.between(7, 15);
			tasks.add(new Task(date.atTime(h, rng.between(0, 59)), tasks.size(), action));
		}

		// -------------------------------------------------------------- chronic disease

		/** Prevalence by the end of the window, onset somewhere before it. */
		private void chronicDiseases() {
			int ageEnd = age(end);
			boolean male = person.male();
			maybe("htn", "I10", ageEnd >= 70 ? 0.55 : ageEnd >= 60 ? 0.45 : ageEnd >= 50 ? 0.3 : ageEnd >= 40 ? 0.18 : ageEnd >= 25 ? 0.06 : 0.005,
					25, List.of(rng.<String>pick(Weighted.of("amlodipine", 60, "losartan", 25, "enalapril", 15))));
			if (chronic.containsKey("htn") && rng.chance(0.4)) {
				chronic.get("htn").drugs.add(rng.pick("bisoprolol", "hctz"));
			}
			maybe("dm", rng.<String>pick(Weighted.of("E11.9", 80, "E11.2", 8, "E11.4", 6, "E11.7", 6)),
					ageEnd >= 60 ? 0.13 : ageEnd >= 50 ? 0.09 : ageEnd >= 40 ? 0.05 : ageEnd >= 30 ? 0.02 : 0.003,
					30, rng.chance(0.45) ? List.of("metformin", "gliclazide") : rng.chance(0.1) ? List.of("insulin") : List.of("metformin"));
			double lipid = ageEnd >= 35 ? (chronic.containsKey("htn") || chronic.containsKey("dm") ? 0.4 : 0.1) : 0;
			maybe("lipid", "E78.5", lipid, 35, List.of("atorvastatin"));
			maybe("ihd", "I25.9", ageEnd >= 50 ? (chronic.containsKey("htn") || chronic.containsKey("dm") ? 0.1 : 0.03) : 0, 50,
					List.of("aspirin", "bisoprolol"));
			maybe("hf", "I50.9", ageEnd >= 60 ? (chronic.containsKey("ihd") || chronic.containsKey("htn") ? 0.06 : 0.015) : 0, 60,
					List.of("furosemide", "spironolactone"));
			maybe("ckd", rng.chance(0.9) ? "N18.9" : "N18.5", ageEnd >= 50 && (chronic.containsKey("dm") || chronic.containsKey("htn")) ? 0.06 : 0,
					50, List.of());
			maybe("copd", "J44.9", ageEnd >= 40 ? (smoker ? 0.1 : 0.015) : 0, 40,
					List.of(rng.chance(0.6) ? "budesonide-formoterol" : "tiotropium", "salbutamol"));
			maybe("asthma", "J45.9", chronic.containsKey("copd") ? 0 : 0.03, 3, List.of("budesonide-formoterol", "salbutamol"));
			boolean vaccinatedGeneration = person.birthDate().getYear() >= 2003;
			maybe("hbv", "B18.1", ageEnd >= 15 ? (vaccinatedGeneration ? 0.015 : 0.08) : 0, 15,
					rng.chance(0.35) ? List.of(rng.chance(0.7) ? "tenofovir" : "entecavir") : List.of());
			maybe("depression", "F32.9", ageEnd >= 18 ? 0.02 : 0, 18, List.of("sertraline"));
			maybe("epilepsy", "G40.9", 0.006, 2, List.of("valproate"));
			maybe("oa", "M17.9", ageEnd >= 50 ? 0.12 : 0, 50, List.of(rng.chance(0.5) ? "meloxicam" : "diclofenac"));
			maybe("gout", "M10.9", male && ageEnd >= 40 ? 0.04 : 0, 40, List.of("allopurinol"));
			maybe("thyroid", "E03.9", !male && ageEnd >= 30 ? 0.015 : 0, 30, List.of("levothyroxine"));
			maybe("anaemia", "D50.9", !male && ageEnd >= 15 && ageEnd < 50 ? 0.05 : 0, 15, List.of("iron", "folic"));
		}

		private void maybe(String key, String icd, double prevalence, int minAge, List<String> drugs) {
			if (prevalence <= 0 || !rng.chance(prevalence)) {
				return;
			}
			LocalDate earliest = person.birthDate().plusYears(minAge);
			LocalDate latest = end.minusMonths(1);
			if (earliest.isAfter(latest)) {
				return;
			}
			// half were known before records began, the others begin during them
			LocalDate from = earliest.isAfter(start.minusYears(10)) ? earliest : start.minusYears(10);
			long span = ChronoUnit.DAYS.between(from, latest);
			LocalDate onset = from.plusDays(span <= 0 ? 0 : rng.nextInt((int) span + 1));
			chronic.put(key, new Chronic(key, icd, onset, new ArrayList<>(drugs)));
		}

		private void mortality() {
			for (LocalDate year = start; year.isBefore(end); year = year.plusYears(1)) {
				int age = age(year);
				// roughly Vietnam's life table: 1 in 80 infants, then about 1 in 400 at 50, 1 in 17 at 80
				double hazard = age < 1 ? 0.012 : age < 30 ? 0.0006 : Math.min(0.4, 0.0009 * Math.exp(0.083 * (age - 30)));
				for (Chronic c : chronic.values()) {
					if (!c.onset.isAfter(year)) {
						hazard *= switch (c.key) {
							case "htn" -> 1.3;
							case "dm" -> 1.5;
							case "copd", "ckd" -> 2.0;
							case "hf" -> 3.0;
							case "ihd" -> 1.6;
							default -> 1.0;
						};
					}
				}
				if (rng.chance(hazard)) {
					death = year.plusDays(rng.between(0, 364));
					if (death.isAfter(asOf)) {
						death = null;
						return;
					}
					deathCause = causeOfDeath(age);
					return;
				}
			}
		}

		private String causeOfDeath(int age) {
			if (age < 1) {
				return rng.pick("P36", "J18.9", "A09", "P22");
			}
			if (age < 45 && rng.chance(0.5)) {
				return "S06";
			}
			List<String> causes = new ArrayList<>(List.of("J18.9", "I64", "I21.9", "A41.9", "K92.2"));
			if (chronic.containsKey("hf")) causes.add("I50.9");
			if (chronic.containsKey("htn")) { causes.add("I64"); causes.add("I63.9"); }
			if (chronic.containsKey("copd")) { causes.add("J44.1"); causes.add("J44.1"); }
			if (chronic.containsKey("dm")) causes.add("E11.7");
			if (chronic.containsKey("ckd")) causes.add("N18.5");
			if (chronic.containsKey("hbv")) { causes.add("C22.0"); causes.add("K74.6"); }
			if (chronic.containsKey("ihd")) causes.add("I21.9");
			if (age >= 45 && rng.chance(0.25)) {
				return rng.pick(person.male() ? List.of("C22.0", "C34.9", "C16.9") : List.of("C50.9", "C53", "C22.0", "C34.9"));
			}
			return rng.pick(causes);
		}

		/** The Condition of a chronic disease, recorded at the first visit that names it. */
		private String conditionFor(Chronic c, Chart.Visit visit) {
			if (c.conditionId == null) {
				boolean known = c.onset.isBefore(visit.start().toLocalDate().minusMonths(1));
				c.conditionId = chart.condition(visit, c.icd, c.onset, true, null,
						known ? "Bệnh đã chẩn đoán từ trước, nay quản lý ngoại trú / known before, now followed up" : null);
			}
			return c.conditionId;
		}

		/**
		 * Monthly follow-up of the diseases managed at the facility of first registration (hypertension,
		 * diabetes, lipids, heart disease, kidney disease), and less often at the provincial hospital for the
		 * others; each visit takes vital signs, renews the prescriptions, and sometimes the tests.
		 */
		private void scheduleChronicCare() {
			List<String> primary = List.of("htn", "dm", "lipid", "ihd", "hf", "ckd");
			LocalDate first = null;
			for (String key : primary) {
				Chronic c = chronic.get(key);
				if (c != null) {
					LocalDate begin = c.onset.isBefore(start) ? start.plusDays(rng.between(0, 60)) : c.onset;
					first = first == null || begin.isBefore(first) ? begin : first;
				}
			}
			if (first != null) {
				int visitNumber = 0;
				for (LocalDate date = first; !date.isAfter(end); date = date.plusDays(rng.between(26, 35))) {
					if (!rng.chance(0.8)) {
						continue;
					}
					int n = visitNumber++;
					LocalDate day = date;
					schedule(day, 0, time -> chronicVisit(time, primary, n));
				}
			}
			Map<String, Integer> intervals = Map.of("copd", 90, "asthma", 120, "hbv", 180, "depression", 60, "epilepsy", 90,
					"oa", 180, "gout", 180, "thyroid", 180, "anaemia", 45);
			for (Chronic c : chronic.values()) {
				Integer interval = intervals.get(c.key);
				if (interval == null) {
					continue;
				}
				LocalDate begin = c.onset.isBefore(start) ? start.plusDays(rng.between(0, interval)) : c.onset;
				LocalDate until = c.key.equals("anaemia") ? begin.plusMonths(rng.between(3, 9)) : end;
				int n = 0;
				for (LocalDate date = begin; !date.isAfter(until) && !date.isAfter(end); date = date.plusDays(interval + rng.between(-10, 20))) {
					if (!rng.chance(0.8)) {
						continue;
					}
					int visitNumber = n++;
					schedule(date, 0, time -> specialistVisit(time, c, visitNumber));
				}
				if (c.key.equals("copd")) {
					for (LocalDate year = begin; year.isBefore(end); year = year.plusYears(1)) {
						if (rng.chance(0.35)) {
							schedule(year.plusDays(rng.between(0, 364)), 0, time -> admission(time, "J44.1", "NOI", rng.between(5, 10), true));
						}
					}
				}
			}
		}

		private void chronicVisit(OffsetDateTime time, List<String> keys, int visitNumber) {
			LocalDate today = time.toLocalDate();
			List<Chronic> active = new ArrayList<>();
			for (String key : keys) {
				Chronic c = chronic.get(key);
				if (c != null && !c.onset.isAfter(today)) {
					active.add(c);
				}
			}
			if (active.isEmpty()) {
				return;
			}
			HealthSystem.Facility facility = registered.kind() == HealthSystem.Kind.CLINIC || rng.chance(0.15)
					? system.of(person.residence(), HealthSystem.Kind.AREA, rng) : registered;
			Chart.Visit visit = chart.encounter("AMB", facility, "KKB", time, time.plusMinutes(rng.between(20, 50)),
					active.stream().map(c -> c.icd).toList(), null, null);
			OffsetDateTime vitalsAt = time.plusMinutes(5);
			bloodPressure(visit, vitalsAt);
			chart.vital(visit, Clinical.HEART_RATE, heartRate(false), vitalsAt);
			if (visitNumber % 3 == 0) {
				chart.vital(visit, Clinical.WEIGHT, weight(today), vitalsAt);
			}
			for (Chronic c : active) {
				conditionFor(c, visit);
			}
			boolean diabetic = active.stream().anyMatch(c -> c.key.equals("dm"));
			if (diabetic && visitNumber % 3 == 0) {
				List<String> results = new ArrayList<>();
				results.add(chart.lab(visit, Clinical.GLUCOSE, Math.max(4, rng.normal(8.2, 1.8)), time.plusMinutes(10)));
				results.add(chart.lab(visit, Clinical.HBA1C, Math.max(5.5, rng.normal(7.6, 1.1)), time.plusMinutes(10)));
				chart.report(visit, "CH", "24323-8", "Comprehensive metabolic 2000 panel - Serum or Plasma",
						"Xét nghiệm đường máu", results, time.plusMinutes(10), null);
			}
			if (visitNumber % 12 == 0) {
				lipidPanel(visit, time.plusMinutes(10), true);
				chemistry(visit, time.plusMinutes(10), false);
				if (active.stream().anyMatch(c -> c.key.equals("htn") || c.key.equals("ihd"))) {
					chart.report(visit, "EC", "11524-6", "EKG study", "Điện tim thường", List.of(), time.plusMinutes(15),
							rng.chance(0.3) ? "Nhịp xoang, dày thất trái" : "Nhịp xoang đều, trục trung gian, không thấy bất thường");
				}
			}
			String prescription = chart.prescriptionCode(facility);
			for (Chronic c : active) {
				for (String drug : c.drugs) {
					chart.prescribe(visit, drug, c.conditionId, 30, "outpatient", prescription, death);
				}
			}
		}

		private void specialistVisit(OffsetDateTime time, Chronic c, int visitNumber) {
			HealthSystem.Facility facility = c.key.equals("anaemia") || c.key.equals("oa")
					? system.of(person.residence(), HealthSystem.Kind.AREA, rng)
					: system.of(person.residence(), HealthSystem.Kind.PROVINCIAL, rng);
			Chart.Visit visit = chart.encounter("AMB", facility, "KKB", time, time.plusMinutes(rng.between(20, 60)),
					List.of(c.icd), null, null);
			OffsetDateTime vitalsAt = time.plusMinutes(5);
			if (age(time.toLocalDate()) >= 12) {
				bloodPressure(visit, vitalsAt);
			}
			chart.vital(visit, Clinical.HEART_RATE, heartRate(false), vitalsAt);
			chart.vital(visit, Clinical.WEIGHT, weight(time.toLocalDate()), vitalsAt);
			if (c.key.equals("copd") || c.key.equals("asthma")) {
				chart.vital(visit, Clinical.SPO2, Math.min(99, rng.normal(c.key.equals("copd") ? 93 : 97, 1.5)), vitalsAt);
				chart.vital(visit, Clinical.RESP_RATE, rng.normal(20, 2), vitalsAt);
			}
			String condition = conditionFor(c, visit);
			OffsetDateTime labAt = time.plusMinutes(15);
			switch (c.key) {
				case "hbv" -> {
					List<String> results = new ArrayList<>();
					results.add(chart.lab(visit, Clinical.ALT, Math.max(12, rng.normal(48, 25)), labAt));
					results.add(chart.lab(visit, Clinical.AST, Math.max(12, rng.normal(40, 18)), labAt));
					chart.report(visit, "CH", "24325-3", "Hepatic function panel - Serum or Plasma", "Xét nghiệm chức năng gan",
							results, labAt, null);
					if (visitNumber % 2 == 0) {
						List<String> markers = new ArrayList<>();
						markers.add(chart.qualitative(visit, Clinical.HBSAG, true, labAt));
						markers.add(chart.lab(visit, Clinical.HBV_DNA, Math.pow(10, rng.uniform(1, 7)), labAt));
						chart.report(visit, "SR", "5196-1", Clinical.HBSAG.display(), "Xét nghiệm vi rút viêm gan B", markers, labAt, null);
						chart.report(visit, "RAD", null, null, "Siêu âm ổ bụng tổng quát", List.of(), labAt.plusMinutes(30),
								rng.chance(0.2) ? "Gan thô, bờ không đều, không thấy khối khu trú" : "Gan không to, nhu mô đều, không thấy khối khu trú");
					}
				}
				case "copd" -> {
					if (visitNumber % 4 == 0) {
						chart.report(visit, "RAD", "36643-5", "XR Chest 2 Views", "Chụp X-quang ngực", List.of(), labAt,
								"Phổi tăng sáng, cơ hoành hạ thấp, hình ảnh khí phế thũng");
					}
				}
				case "thyroid" -> chart.report(visit, "CH", "3016-3", Clinical.TSH.display(), "Xét nghiệm TSH",
						List.of(chart.lab(visit, Clinical.TSH, Math.max(0.3, rng.normal(3.5, 2)), labAt)), labAt, null);
				case "anaemia" -> bloodCount(visit, labAt, false, false, true);
				default -> { }
			}
			String prescription = chart.prescriptionCode(facility);
			for (String drug : c.drugs) {
				chart.prescribe(visit, drug, condition, c.key.equals("oa") ? 14 : 30, "outpatient", prescription, death);
			}
		}

		// -------------------------------------------------------------- acute illness

		private void scheduleAcuteCare() {
			for (LocalDate year = start; year.isBefore(end); year = year.plusYears(1)) {
				int age = age(year);
				double rate = age < 1 ? 5 : age < 5 ? 4 : age < 15 ? 1.8 : age < 45 ? (person.male() ? 0.9 : 1.3) : age < 65 ? 1.4 : 2.0;
				int visits = rng.poisson(rate);
				for (int i = 0; i < visits; i++) {
					LocalDate day = year.plusDays(rng.between(0, 364));
					schedule(day, 0, this::acuteVisit);
				}
			}
		}

		private Acute pickAcute(LocalDate date) {
			int age = age(date);
			int month = date.getMonthValue();
			boolean rainy = month >= 6 && month <= 11;
			boolean south = person.residence().region().south();
			Map<Acute, Double> weights = new LinkedHashMap<>();
			for (Acute acute : ACUTE) {
				double w = acute.weight();
				switch (acute.icd()) {
					case "A90" -> w *= (south ? 2.5 : 1) * (rainy ? 3 : 0.4);
					case "B08.4", "B01.9", "J21.9", "R50.9" -> w *= age < 6 ? 3 : 0.05;
					case "N39.0" -> w *= person.male() || age < 15 ? 0.1 : 1;
					case "K35.8" -> w *= age >= 10 && age <= 45 ? 1 : 0.2;
					case "K80.2", "K29.7", "K21.9", "M54.5" -> w *= age >= 20 ? 1 : 0.05;
					case "S72.0" -> w *= age >= 65 ? 3 : 0.05;
					case "U07.1" -> w *= date.getYear() == 2022 ? 8 : date.getYear() == 2021 ? 2 : date.getYear() == 2023 ? 0.5 : 0;
					case "J18.9" -> w *= age < 5 || age >= 65 ? 3 : 1;
					case "A09.9" -> w *= age < 5 ? 3 : 1;
					case "P59.9" -> w *= 0;
					default -> { }
				}
				if (w > 0) {
					weights.put(acute, w);
				}
			}
			return rng.pick(Weighted.of(weights));
		}

		private void acuteVisit(OffsetDateTime time) {
			LocalDate today = time.toLocalDate();
			Acute acute = pickAcute(today);
			int age = age(today);
			if (rng.chance(acute.admit())) {
				boolean viaEmergency = rng.chance(0.7);
				String ward = acute.icd().startsWith("J") && age < 16 || age < 6 ? "NHI"
						: acute.icd().startsWith("A9") || acute.icd().startsWith("A0") || acute.icd().equals("U07.1") ? "TN"
						: acute.icd().startsWith("K3") || acute.icd().startsWith("K8") || acute.icd().startsWith("S") ? "NGOAI" : "NOI";
				admission(time, acute.icd(), ward, acute.days() + rng.between(0, 3), viaEmergency);
				return;
			}
			double where = rng.uniform(0, 1);
			HealthSystem.Facility facility = where < 0.4 ? registered
					: where < 0.65 ? system.of(person.residence(), HealthSystem.Kind.CLINIC, rng)
					: system.of(person.residence(), HealthSystem.Kind.AREA, rng);
			String ward = facility.hospital() ? "KKB" : "PK";
			Chart.Visit visit = chart.encounter("AMB", facility, ward, time, time.plusMinutes(rng.between(15, 60)),
					List.of(acute.icd()), null, null);
			vitalSigns(visit, time.plusMinutes(5), acute.febrile(), acute.respiratory(), false);
			maybeAllergy(visit);
			LocalDate abatement = today.plusDays(rng.between(5, 14));
			String condition = chart.condition(visit, acute.icd(), today.minusDays(rng.between(1, 4)), false, abatement, null);
			OffsetDateTime labAt = time.plusMinutes(20);
			if (facility.kind() != HealthSystem.Kind.COMMUNE && rng.chance(acute.bloodCount())) {
				bloodCount(visit, labAt, acute.icd().startsWith("A9"), acute.febrile() && !acute.icd().startsWith("A9"), false);
			}
			if (facility.hospital() || facility.kind() == HealthSystem.Kind.CLINIC) {
				if (rng.chance(acute.xray())) {
					chart.report(visit, "RAD", "36643-5", "XR Chest 2 Views", "Chụp X-quang ngực", List.of(), labAt.plusMinutes(20),
							acute.icd().equals("J18.9") ? "Đám mờ không đều thùy dưới phổi phải, phù hợp viêm phổi"
									: "Hình ảnh tim phổi bình thường");
				}
			}
			prescribeAcute(visit, acute, condition, age);
		}

		private void prescribeAcute(Chart.Visit visit, Acute acute, String condition, int age) {
			if (acute.drugs().isEmpty()) {
				return;
			}
			String prescription = chart.prescriptionCode(visit.facility());
			List<String> drugs = new ArrayList<>(acute.drugs());
			int count = Math.min(drugs.size(), rng.between(1, 3));
			for (int i = 0; i < count; i++) {
				String drug = drugs.remove(i == 0 ? 0 : rng.nextInt(drugs.size()));
				if (age < 12 && drug.equals("paracetamol")) {
					drug = "paracetamol-syrup";
				}
				int days = drug.equals("azithromycin") ? 3 : drug.equals("oseltamivir") ? 5 : rng.between(3, 7);
				chart.prescribe(visit, drug, condition, days, visit.category(), prescription, death);
			}
		}

		/** An emergency (or a planned admission), then a hospital stay with a bed, daily vital signs, tests and treatment. */
		private void admission(OffsetDateTime time, String icd, String wardKey, int days, boolean viaEmergency) {
			LocalDate today = time.toLocalDate();
			int age = age(today);
			boolean severe = icd.equals("A91") || icd.equals("I63.9") || icd.equals("I21.9") || icd.startsWith("C") || icd.equals("S72.0");
			HealthSystem.Facility facility = severe || rng.chance(0.4)
					? system.of(person.residence(), HealthSystem.Kind.PROVINCIAL, rng)
					: system.of(person.residence(), HealthSystem.Kind.AREA, rng);
			if ((icd.equals("I21.9") || icd.startsWith("C")) && rng.chance(0.4)) {
				facility = system.centralFor(person.residence());
			}
			if (person.occupation().equals("01") && rng.chance(0.5)) {
				facility = system.army();
			} else if (person.occupation().equals("02") && rng.chance(0.5)) {
				facility = system.police();
			}
			OffsetDateTime admitted = time;
			String admitSource = "outp";
			String condition = null;
			if (viaEmergency) {
				Chart.Visit er = chart.encounter("EMER", facility, "CC", time, time.plusMinutes(rng.between(60, 240)),
						List.of(icd), null, null);
				vitalSigns(er, time.plusMinutes(5), isFebrile(icd), icd.startsWith("J"), true);
				condition = chart.condition(er, icd, today.minusDays(rng.between(0, 3)), false, resolvedAfter(icd, today, days), null);
				bloodCount(er, time.plusMinutes(20), icd.startsWith("A9"), isFebrile(icd), false);
				admitted = er.end();
				admitSource = "emd";
			}
			OffsetDateTime discharged = admitted.plusDays(days).withHour(rng.between(8, 11));
			Chart.Visit stay = chart.encounter("IMP", facility, wardKey, admitted, discharged, List.of(icd), admitSource,
					rng.chance(0.03) ? "aadvice" : "home");
			if (condition == null) {
				condition = chart.condition(stay, icd, today.minusDays(rng.between(0, 7)), false, resolvedAfter(icd, today, days), null);
			}
			inpatientCare(stay, icd, condition, days, age);
			if (!stay.end().toLocalDate().isAfter(asOf) && days >= 3 && !icd.startsWith("O")) {
				String prescription = chart.prescriptionCode(facility);
				for (String drug : dischargeDrugs(icd)) {
					chart.prescribe(stay, drug, condition, 7, "discharge", prescription, death);
				}
			}
		}

		private LocalDate resolvedAfter(String icd, LocalDate today, int days) {
			if (icd.startsWith("C") || icd.equals("J44.1") || icd.equals("I63.9") || icd.equals("I21.9")) {
				return null;
			}
			return today.plusDays(days + rng.between(3, 14));
		}

		private boolean isFebrile(String icd) {
			return icd.startsWith("A") || icd.startsWith("J1") || icd.startsWith("J0") || icd.startsWith("J2") || icd.equals("U07.1")
					|| icd.equals("N39.0") || icd.equals("K35.8");
		}

		private void inpatientCare(Chart.Visit stay, String icd, String condition, int days, int age) {
			OffsetDateTime admitted = stay.start();
			for (int d = 0; d < days; d++) {
				OffsetDateTime round = admitted.plusDays(d).withHour(8).withMinute(rng.between(0, 30));
				if (round.toLocalDate().isAfter(asOf)) {
					break;
				}
				boolean feverish = isFebrile(icd) && d < days / 2 + 1;
				chart.vital(stay, Clinical.TEMPERATURE, feverish ? rng.normal(38.4, 0.5) : rng.normal(36.8, 0.2), round);
				chart.vital(stay, Clinical.HEART_RATE, heartRate(feverish), round);
				if (age >= 12) {
					bloodPressure(stay, round);
				}
				if (icd.startsWith("J") || icd.equals("U07.1")) {
					chart.vital(stay, Clinical.SPO2, Math.min(99, rng.normal(d == 0 ? 91 : 95, 1.8)), round);
				}
			}
			OffsetDateTime labAt = admitted.plusHours(2);
			bloodCount(stay, labAt, icd.startsWith("A9"), isFebrile(icd), false);
			chemistry(stay, labAt, true);
			if (icd.startsWith("A9") && days >= 3) {
				bloodCount(stay, labAt.plusDays(2), true, false, false);
			}
			if (icd.startsWith("J") || icd.equals("U07.1") || icd.equals("A15.0")) {
				chart.report(stay, "RAD", "36643-5", "XR Chest 2 Views", "Chụp X-quang ngực", List.of(), labAt.plusHours(1),
						icd.equals("J44.1") ? "Phổi tăng sáng, tăng đậm các nhánh phế quản hai bên" : "Đám mờ rải rác hai phế trường");
			}
			String prescription = chart.prescriptionCode(stay.facility());
			for (String drug : inpatientDrugs(icd)) {
				chart.prescribe(stay, drug, condition, Math.max(1, days), "inpatient", prescription, death);
			}
			OffsetDateTime surgery = admitted.plusHours(rng.between(3, 20));
			switch (icd) {
				case "K35.8" -> chart.procedure(stay, Clinical.APPENDECTOMY, condition, surgery, rng.between(45, 90));
				case "K80.2" -> chart.procedure(stay, Clinical.CHOLECYSTECTOMY, condition, surgery, rng.between(60, 120));
				case "S72.0" -> chart.procedure(stay, Clinical.FEMUR_FIXATION, condition, surgery.plusDays(1), rng.between(90, 150));
				case "T14.1" -> chart.procedure(stay, Clinical.SUTURE, condition, admitted.plusMinutes(30), rng.between(15, 40));
				case "H25.9" -> chart.procedure(stay, Clinical.PHACO, condition, surgery, rng.between(20, 40));
				case "K29.7", "K92.2" -> chart.procedure(stay, Clinical.GASTROSCOPY, condition, surgery, rng.between(15, 30));
				case "P59.9" -> chart.procedure(stay, Clinical.PHOTOTHERAPY, condition, admitted.plusHours(1), 60 * 24 * Math.max(1, days - 1));
				case "I21.9" -> {
					if (stay.facility().hasWard("TM") || rng.chance(0.3)) {
						chart.procedure(stay, Clinical.CORONARY_STENT, condition, admitted.plusHours(2), rng.between(60, 120));
					}
				}
				case "J18.9", "J44.1", "J21.9", "U07.1" -> {
					if (rng.chance(0.5)) {
						chart.procedure(stay, Clinical.OXYGEN, condition, admitted.plusMinutes(30), 60 * 24 * Math.max(1, days / 2));
					}
				}
				default -> { }
			}
		}

		private List<String> inpatientDrugs(String icd) {
			return switch (icd) {
				case "A90", "A91" -> List.of("ringer", "paracetamol");
				case "J18.9", "J44.1", "A01.0", "N39.0" -> List.of("ceftriaxone", "saline", "paracetamol");
				case "J21.9" -> List.of("saline", "paracetamol-syrup");
				case "K35.8", "K80.2", "S72.0" -> List.of("ceftriaxone", "saline", "paracetamol");
				case "A09.9", "A09" -> List.of("ringer", "ors");
				case "I63.9", "I64" -> List.of("aspirin", "atorvastatin", "saline");
				case "I21.9" -> List.of("aspirin", "atorvastatin", "bisoprolol");
				case "K29.7", "K92.2" -> List.of("esomeprazole", "saline");
				case "U07.1" -> List.of("paracetamol", "saline");
				case "J44.9" -> List.of("budesonide-formoterol", "salbutamol");
				default -> List.of("paracetamol");
			};
		}

		private List<String> dischargeDrugs(String icd) {
			return switch (icd) {
				case "J18.9", "J44.1", "K35.8", "K80.2", "N39.0", "A01.0" -> List.of("amoxiclav", "paracetamol");
				case "I63.9", "I64", "I21.9" -> List.of("aspirin", "atorvastatin");
				case "K29.7", "K92.2" -> List.of("esomeprazole");
				case "S72.0" -> List.of("paracetamol", "calcium");
				default -> List.of("paracetamol");
			};
		}

		private void maybeAllergy(Chart.Visit visit) {
			if (allergyRecorded || allergyChance == 0 || !rng.chance(0.3)) {
				return;
			}
			allergyRecorded = true;
			String[] substance = rng.pick(ALLERGENS);
			String[] reaction = rng.pick(REACTIONS);
			boolean severe = reaction[0].equals("39579001");
			chart.allergy(visit, substance[3], substance[0], substance[1], substance[2], reaction[0], reaction[1], reaction[2], severe);
		}

		// -------------------------------------------------------------- events

		/** Tuberculosis, cancer, stroke, heart attack, cataract and gallstone surgery. */
		private void scheduleEvents() {
			for (LocalDate year = start; year.isBefore(end); year = year.plusYears(1)) {
				int age = age(year);
				LocalDate day = year.plusDays(rng.between(0, 364));
				if (age >= 15 && rng.chance(person.male() ? 0.0025 : 0.0012)) {
					scheduleTuberculosis(day);
				}
				double vascular = age >= 50 ? 0.004 * (chronic.containsKey("htn") ? 2.5 : 1) * (chronic.containsKey("dm") ? 1.5 : 1) : 0;
				if (rng.chance(vascular)) {
					schedule(day, rng.between(5, 22), time -> admission(time, "I63.9", "NOI", rng.between(7, 14), true));
				}
				if (rng.chance(vascular * 0.6)) {
					schedule(day.plusDays(30), rng.between(0, 23), time -> admission(time, "I21.9", "CC", rng.between(5, 10), true));
				}
				if (age >= 60 && rng.chance(0.02)) {
					schedule(day, 7, time -> admission(time, "H25.9", "NGOAI", 1, false));
				}
				if (age >= 35 && rng.chance(0.004)) {
					schedule(day, 7, time -> admission(time, "K80.2", "NGOAI", rng.between(3, 5), false));
				}
			}
			if (cancerDay != null) {
				scheduleCancer();
			}
			if (!person.birthDate().isBefore(start) && rng.chance(0.15)) {
				schedule(person.birthDate().plusDays(rng.between(2, 5)), 0, time -> admission(time, "P59.9", "NHI", rng.between(3, 6), false));
			}
		}

		/** Diagnosis at the provincial hospital, then six months of treatment (2RHZE/4RH) at the area hospital's TB unit. */
		private void scheduleTuberculosis(LocalDate day) {
			String[] condition = new String[1];
			HealthSystem.Facility unit = system.of(person.residence(), HealthSystem.Kind.AREA, rng);
			schedule(day, 8, time -> condition[0] = tuberculosis(time));
			for (int month = 1; month < 6; month++) {
				int m = month;
				schedule(day.plusMonths(month).plusDays(rng.between(-3, 3)), 8, time -> {
					Chart.Visit follow = chart.encounter("AMB", unit, "KKB", time, time.plusMinutes(30), List.of("A15.0"), null, null);
					chart.vital(follow, Clinical.WEIGHT, weight(time.toLocalDate()), time.plusMinutes(5));
					if (m == 2 || m == 5) {
						String smear = chart.qualitative(follow, Clinical.SPUTUM_AFB, m == 2 && rng.chance(0.15), time.plusMinutes(20));
						chart.report(follow, "MB", "11545-1", Clinical.SPUTUM_AFB.display(), "Soi đờm kiểm tra", List.of(smear),
								time.plusMinutes(20), null);
					}
					chart.prescribe(follow, m < 2 ? "rhze" : "rh", condition[0], 30, "outpatient", chart.prescriptionCode(unit), death);
				});
			}
		}

		private String tuberculosis(OffsetDateTime time) {
			HealthSystem.Facility hospital = system.of(person.residence(), HealthSystem.Kind.PROVINCIAL, rng);
			Chart.Visit visit = chart.encounter("AMB", hospital, "KKB", time, time.plusHours(3), List.of("A15.0"), null, null);
			vitalSigns(visit, time.plusMinutes(5), true, true, false);
			LocalDate today = time.toLocalDate();
			String condition = chart.condition(visit, rng.chance(0.8) ? "A15.0" : "A16.2", today.minusWeeks(rng.between(3, 10)), true,
					today.plusMonths(6), "Điều trị theo Chương trình Chống lao Quốc gia, phác đồ 2RHZE/4RH");
			String afb = chart.qualitative(visit, Clinical.SPUTUM_AFB, true, time.plusMinutes(40));
			chart.report(visit, "MB", "11545-1", Clinical.SPUTUM_AFB.display(), "Soi đờm trực tiếp tìm AFB", List.of(afb),
					time.plusMinutes(40), "AFB dương tính (2+)");
			chart.report(visit, "RAD", "36643-5", "XR Chest 2 Views", "Chụp X-quang ngực", List.of(), time.plusMinutes(60),
					"Tổn thương thâm nhiễm và hang vùng đỉnh phổi, nghĩ đến lao phổi");
			chart.prescribe(visit, "rhze", condition, 30, "outpatient", chart.prescriptionCode(hospital), death);
			return condition;
		}

		/** A cancer diagnosed during the records; half of those patients die of it within four years. */
		private void planCancer() {
			for (LocalDate year = start; year.isBefore(end); year = year.plusYears(1)) {
				if (age(year) >= 40 && rng.chance(0.0015 * (chronic.containsKey("hbv") ? 4 : 1))) {
					cancerDay = year.plusDays(rng.between(0, 364));
					break;
				}
			}
			if (cancerDay == null || !cancerDay.isBefore(end)) {
				cancerDay = null;
				return;
			}
			cancerIcd = person.male() ? rng.pick("C22.0", "C34.9", "C16.9", "C22.0") : rng.pick("C50.9", "C53", "C22.0", "C34.9");
			if (chronic.containsKey("hbv") && rng.chance(0.7)) {
				cancerIcd = "C22.0";
			}
			if (rng.chance(0.5)) {
				LocalDate dies = cancerDay.plusDays(rng.between(120, 1500));
				if (!dies.isAfter(asOf) && (death == null || dies.isBefore(death))) {
					death = dies;
					deathCause = cancerIcd;
				}
			}
		}

		private void scheduleCancer() {
			LocalDate day = cancerDay;
			String code = cancerIcd;
			String[] holder = new String[1];
			schedule(day, 8, time -> {
				admission(time, code, "UB", rng.between(5, 8), false);
			});
			for (int cycle = 1; cycle <= 6; cycle++) {
				LocalDate date = day.plusDays(14 + 21L * cycle);
				schedule(date, 8, time -> {
					HealthSystem.Facility facility = system.centralFor(person.residence());
					Chart.Visit stay = chart.encounter("IMP", facility, "UB", time, time.plusDays(2), List.of("Z51.1", code), "outp", "home");
					if (holder[0] == null) {
						holder[0] = chart.condition(stay, code, day, true, null, null);
					}
					chart.vital(stay, Clinical.WEIGHT, weight(time.toLocalDate()) * 0.95, time.plusMinutes(10));
					bloodPressure(stay, time.plusMinutes(10));
					bloodCount(stay, time.plusHours(1), false, false, true);
					chart.procedure(stay, Clinical.CHEMOTHERAPY, holder[0], time.plusHours(3), 180);
					if (code.equals("C50.9") || code.equals("C16.9")) {
						chart.prescribe(stay, "capecitabine", holder[0], 14, "discharge", chart.prescriptionCode(facility), death);
					}
				});
			}
		}

		// -------------------------------------------------------------- prevention

		/** Annual health check (khám sức khỏe định kỳ) of working adults. */
		private void scheduleHealthChecks() {
			boolean employed = person.occupation().length() == 2 && !person.occupation().startsWith("6")
					&& !person.occupation().equals("92") && !person.occupation().equals("63");
			for (LocalDate year = start; year.isBefore(end); year = year.plusYears(1)) {
				int age = age(year);
				if (age >= 18 && age < 60 && rng.chance(employed ? 0.6 : 0.1)) {
					schedule(year.plusDays(rng.between(0, 364)), 7, this::healthCheck);
				}
			}
		}

		private void healthCheck(OffsetDateTime time) {
			HealthSystem.Facility facility = rng.chance(0.5) ? system.of(person.residence(), HealthSystem.Kind.PROVINCIAL, rng)
					: rng.chance(0.5) ? system.of(person.residence(), HealthSystem.Kind.CLINIC, rng)
					: system.of(person.residence(), HealthSystem.Kind.AREA, rng);
			String ward = facility.hospital() ? "KKB" : "PK";
			Chart.Visit visit = chart.encounter("AMB", facility, ward, time, time.plusHours(2), List.of("Z00.0"), null, null);
			LocalDate today = time.toLocalDate();
			OffsetDateTime at = time.plusMinutes(10);
			double height = height(today);
			double weight = weight(today);
			chart.vital(visit, Clinical.HEIGHT, height, at);
			chart.vital(visit, Clinical.WEIGHT, weight, at);
			chart.vital(visit, Clinical.BMI, weight / Math.pow(height / 100, 2), at);
			bloodPressure(visit, at);
			chart.vital(visit, Clinical.HEART_RATE, heartRate(false), at);
			chart.vital(visit, Clinical.TEMPERATURE, rng.normal(36.7, 0.2), at);
			chart.vital(visit, Clinical.RESP_RATE, rng.normal(17, 1.5), at);
			OffsetDateTime labAt = time.plusMinutes(30);
			bloodCount(visit, labAt, false, false, false);
			chemistry(visit, labAt, true);
			if (rng.chance(0.6)) {
				lipidPanel(visit, labAt, chronic.containsKey("lipid"));
			}
			if (rng.chance(0.8)) {
				chart.report(visit, "RAD", "36643-5", "XR Chest 2 Views", "Chụp X-quang ngực", List.of(), labAt.plusMinutes(30),
						"Hình ảnh tim phổi bình thường");
			}
			if (age(today) >= 35 && rng.chance(0.5)) {
				chart.report(visit, "EC", "11524-6", "EKG study", "Điện tim thường", List.of(), labAt.plusMinutes(40),
						"Nhịp xoang đều, tần số " + heartRateInt() + " chu kỳ/phút, không thấy bất thường");
			}
			if (rng.chance(0.3)) {
				chart.report(visit, "RAD", null, null, "Siêu âm ổ bụng tổng quát", List.of(), labAt.plusMinutes(50),
						rng.chance(0.25) ? "Gan nhiễm mỡ độ I" : "Hình ảnh siêu âm ổ bụng bình thường");
			}
		}

		/** The expanded programme on immunization (Tiêm chủng mở rộng) schedule, the COVID-19 campaign, tetanus in pregnancy. */
		private void scheduleImmunizations() {
			LocalDate birth = person.birthDate();
			Map<Integer, List<Clinical.Vaccine>> byDay = new LinkedHashMap<>();
			byDay.put(0, List.of(Clinical.HEPB_BIRTH));
			byDay.put(rng.between(1, 28), List.of(Clinical.BCG));
			for (int month = 2; month <= 4; month++) {
				byDay.put(month * 30 + rng.between(0, 20), List.of(Clinical.PENTAVALENT, Clinical.BOPV));
			}
			byDay.put(150 + rng.between(0, 20), List.of(Clinical.IPV));
			byDay.put(270 + rng.between(0, 25), List.of(Clinical.MEASLES));
			int je = 365 + rng.between(0, 40);
			byDay.put(je, List.of(Clinical.JE));
			byDay.put(je + rng.between(7, 14), List.of(Clinical.JE));
			byDay.put(545 + rng.between(0, 30), List.of(Clinical.MR, Clinical.DTP));
			byDay.put(je + 365 + rng.between(0, 30), List.of(Clinical.JE));
			Map<String, Integer> doses = new LinkedHashMap<>();
			for (Map.Entry<Integer, List<Clinical.Vaccine>> entry : byDay.entrySet()) {
				List<Clinical.Vaccine> vaccines = entry.getValue();
				List<Integer> doseNumbers = new ArrayList<>();
				for (Clinical.Vaccine vaccine : vaccines) {
					doseNumbers.add(doses.merge(vaccine.cvx(), 1, Integer::sum));
				}
				if (!rng.chance(0.95)) {
					continue;
				}
				LocalDate date = birth.plusDays(entry.getKey());
				boolean atBirth = entry.getKey() == 0;
				schedule(date, atBirth ? 9 : 8, time -> epiVisit(time, vaccines, doseNumbers, atBirth));
			}
			covidVaccines();
			if (age(end) >= 60) {
				for (LocalDate year = LocalDate.of(Math.max(start.getYear(), 2016), 10, 1); year.isBefore(end); year = year.plusYears(1)) {
					if (rng.chance(0.06)) {
						LocalDate day = year.plusDays(rng.between(0, 60));
						schedule(day, 9, time -> {
							HealthSystem.Facility clinic = system.of(person.residence(), HealthSystem.Kind.CLINIC, rng);
							chart.immunization(null, clinic, system.nurse(clinic, rng), Clinical.INFLUENZA, time, 1, "Tiêm chủng dịch vụ");
						});
					}
				}
			}
		}

		private void epiVisit(OffsetDateTime time, List<Clinical.Vaccine> vaccines, List<Integer> doses, boolean atBirth) {
			HealthSystem.Facility facility = atBirth ? system.of(person.residence(), HealthSystem.Kind.AREA, rng)
					: system.of(person.residence(), HealthSystem.Kind.COMMUNE, rng);
			String ward = atBirth ? "SAN" : "PK";
			Chart.Visit visit = chart.encounter("AMB", facility, ward, time, time.plusMinutes(45), List.of("Z23"), null, null);
			chart.vital(visit, Clinical.WEIGHT, weight(time.toLocalDate()), time.plusMinutes(5));
			if (!atBirth) {
				chart.vital(visit, Clinical.TEMPERATURE, rng.normal(36.8, 0.2), time.plusMinutes(5));
			}
			for (int i = 0; i < vaccines.size(); i++) {
				chart.immunization(visit, facility, visit.nurse(), vaccines.get(i), time.plusMinutes(15 + i * 5), doses.get(i),
						"Tiêm chủng mở rộng");
			}
		}

		private void covidVaccines() {
			LocalDate campaign = LocalDate.of(2021, 7, 15);
			int ageThen = age(campaign);
			if (ageThen < 5 || !rng.chance(ageThen >= 18 ? 0.92 : 0.75)) {
				return;
			}
			LocalDate first;
			Clinical.Vaccine vaccine;
			if (ageThen >= 18) {
				first = campaign.plusDays(rng.between(0, 100));
				vaccine = rng.pick(Weighted.of(Clinical.COVID.get(0), 45, Clinical.COVID.get(1), 25, Clinical.COVID.get(2), 10,
						Clinical.COVID.get(3), 20));
			} else if (ageThen >= 12) {
				first = LocalDate.of(2021, 10, 20).plusDays(rng.between(0, 60));
				vaccine = Clinical.COVID.get(1);
			} else {
				first = LocalDate.of(2022, 4, 14).plusDays(rng.between(0, 120));
				vaccine = new Clinical.Vaccine("218", "COVID-19, mRNA, LNP-S, PF, 10 mcg/0.2 mL dose, tris-sucrose",
						"Vắc xin Comirnaty cho trẻ 5–11 tuổi", Clinical.IM);
			}
			HealthSystem.Facility station = system.of(person.residence(), HealthSystem.Kind.COMMUNE, rng);
			Clinical.Vaccine given = vaccine;
			schedule(first, 8, time -> chart.immunization(null, station, system.nurse(station, rng), given, time, 1, "Chiến dịch tiêm vắc xin COVID-19"));
			LocalDate second = first.plusDays(vaccine.cvx().equals("210") ? rng.between(56, 84) : rng.between(21, 35));
			schedule(second, 8, time -> chart.immunization(null, station, system.nurse(station, rng), given, time, 2, "Chiến dịch tiêm vắc xin COVID-19"));
			if (ageThen >= 18 && rng.chance(0.7)) {
				Clinical.Vaccine booster = rng.pick(Clinical.COVID.get(1), Clinical.COVID.get(2));
				schedule(second.plusDays(rng.between(120, 200)), 8,
						time -> chart.immunization(null, station, system.nurse(station, rng), booster, time, 3, "Chiến dịch tiêm vắc xin COVID-19"));
			}
		}

		/** Antenatal care (Z34) with tetanus vaccination, then delivery: vaginal or caesarean. */
		private void schedulePregnancies() {
			if (person.male()) {
				return;
			}
			LocalDate next = start;
			int pregnancies = 0;
			for (LocalDate year = start; year.isBefore(end); year = year.plusYears(1)) {
				int age = age(year);
				double p = age < 18 || age > 42 ? 0 : age < 20 ? 0.04 : age < 25 ? 0.12 : age < 30 ? 0.13 : age < 35 ? 0.09 : age < 40 ? 0.04 : 0.01;
				if (year.isBefore(next) || !rng.chance(p)) {
					continue;
				}
				LocalDate conception = year.plusDays(rng.between(0, 364));
				int n = ++pregnancies;
				for (int week : List.of(12, 22, 28, 32, 36)) {
					if (rng.chance(0.85)) {
						int w = week;
						schedule(conception.plusWeeks(week).plusDays(rng.between(0, 6)), 0, time -> antenatal(time, w, n));
					}
				}
				LocalDate birth = conception.plusWeeks(39).plusDays(rng.between(-7, 7));
				boolean caesarean = rng.chance(0.35);
				schedule(birth, rng.between(0, 23), time -> delivery(time, caesarean));
				next = birth.plusMonths(18);
			}
		}

		private void antenatal(OffsetDateTime time, int week, int pregnancy) {
			HealthSystem.Facility facility = rng.chance(0.5) ? registered : system.of(person.residence(), HealthSystem.Kind.AREA, rng);
			String ward = facility.hasWard("SAN") ? "SAN" : facility.hospital() ? "KKB" : "PK";
			Chart.Visit visit = chart.encounter("AMB", facility, ward, time, time.plusMinutes(40), List.of("Z34"), null, null);
			bloodPressure(visit, time.plusMinutes(5));
			chart.vital(visit, Clinical.WEIGHT, weight(time.toLocalDate()) + week * 0.35, time.plusMinutes(5));
			if (week == 22 || week == 32) {
				chart.report(visit, "RAD", null, null, "Siêu âm thai", List.of(), time.plusMinutes(20),
						"Một thai sống trong buồng tử cung, tương đương " + week + " tuần, tim thai đều");
			}
			if ((week == 22 || (week == 28 && pregnancy == 1)) && facility.kind() != HealthSystem.Kind.CLINIC) {
				chart.immunization(visit, facility, visit.nurse(), Clinical.TETANUS, time.plusMinutes(30), week == 22 ? 1 : 2,
						"Tiêm chủng mở rộng (phụ nữ có thai)");
			}
			if (week == 12) {
				String prescription = chart.prescriptionCode(facility);
				chart.prescribe(visit, "iron", null, 90, "outpatient", prescription, death);
				chart.prescribe(visit, "folic", null, 90, "outpatient", prescription, death);
			}
			if (week == 28) {
				chart.prescribe(visit, "calcium", null, 60, "outpatient", chart.prescriptionCode(facility), death);
			}
		}

		private void delivery(OffsetDateTime time, boolean caesarean) {
			HealthSystem.Facility facility = rng.chance(0.6) ? system.of(person.residence(), HealthSystem.Kind.AREA, rng)
					: system.of(person.residence(), HealthSystem.Kind.PROVINCIAL, rng);
			String icd = caesarean ? (rng.chance(0.6) ? "O82.0" : "O82.1") : "O80.0";
			int days = caesarean ? rng.between(4, 6) : rng.between(2, 3);
			Chart.Visit stay = chart.encounter("IMP", facility, "SAN", time, time.plusDays(days), List.of(icd), "outp", "home");
			String condition = chart.condition(stay, icd, time.toLocalDate(), false, time.toLocalDate().plusDays(days), null);
			for (int d = 0; d < days; d++) {
				OffsetDateTime round = time.plusDays(d).plusHours(2);
				bloodPressure(stay, round);
				chart.vital(stay, Clinical.TEMPERATURE, rng.normal(36.9, 0.3), round);
				chart.vital(stay, Clinical.HEART_RATE, heartRate(false), round);
			}
			bloodCount(stay, time.plusHours(1), false, false, false);
			chart.procedure(stay, caesarean ? Clinical.CAESAREAN : Clinical.VAGINAL_DELIVERY, condition, time.plusHours(rng.between(2, 8)),
					caesarean ? rng.between(45, 75) : rng.between(30, 120));
			String prescription = chart.prescriptionCode(facility);
			chart.prescribe(stay, "oxytocin", condition, 1, "inpatient", prescription, death);
			chart.prescribe(stay, caesarean ? "cefuroxime" : "paracetamol", condition, 5, "discharge", prescription, death);
		}

		// -------------------------------------------------------------- death

		private void die(OffsetDateTime time) {
			OffsetDateTime when = deathTime;
			boolean inHospital = deathCause.equals("S06") || rng.chance(0.65);
			if (inHospital) {
				HealthSystem.Facility facility = rng.chance(0.6) ? system.of(person.residence(), HealthSystem.Kind.PROVINCIAL, rng)
						: system.of(person.residence(), HealthSystem.Kind.AREA, rng);
				boolean diedInEmergency = deathCause.equals("S06") || rng.chance(0.3);
				OffsetDateTime arrived = diedInEmergency ? when.minusHours(rng.between(1, 5)) : when.minusDays(rng.between(1, 10));
				Chart.Visit er = chart.encounter("EMER", facility, "CC", arrived, diedInEmergency ? when : arrived.plusHours(2),
						List.of(deathCause), null, diedInEmergency ? "exp" : null);
				vitalSigns(er, arrived.plusMinutes(5), false, deathCause.startsWith("J"), true);
				String condition = chart.condition(er, deathCause, arrived.toLocalDate().minusDays(rng.between(0, 3)), false, null,
						deathCause.equals("S06") ? "Tai nạn giao thông (xe máy) / road traffic injury, motorcycle" : null);
				Chart.Visit last = er;
				if (!diedInEmergency) {
					Chart.Visit stay = chart.encounter("IMP", facility, deathCause.startsWith("C") ? "NOI" : "HSTC", er.end(), when,
							List.of(deathCause), "emd", "exp");
					inpatientCare(stay, deathCause, condition, (int) Math.max(1, ChronoUnit.DAYS.between(er.end(), when)), age(death));
					if (rng.chance(0.5)) {
						chart.procedure(stay, Clinical.INTUBATION, condition, when.minusHours(rng.between(2, 12)), 20);
					}
					last = stay;
				}
				chart.causeOfDeath(last, facility, last.doctor(), deathCause, when);
			} else {
				// at home: the commune health station issues the death notice (giấy báo tử)
				HealthSystem.Facility station = system.of(person.residence(), HealthSystem.Kind.COMMUNE, rng);
				chart.causeOfDeath(null, station, system.doctor(station, "PK", rng), deathCause, when);
			}
		}

		// -------------------------------------------------------------- measurements

		private void vitalSigns(Chart.Visit visit, OffsetDateTime at, boolean febrile, boolean respiratory, boolean emergency) {
			LocalDate today = at.toLocalDate();
			int age = age(today);
			chart.vital(visit, Clinical.TEMPERATURE, febrile ? rng.normal(38.6, 0.5) : rng.normal(36.8, 0.2), at);
			chart.vital(visit, Clinical.HEART_RATE, heartRate(febrile), at);
			if (age >= 12) {
				bloodPressure(visit, at);
			}
			if (respiratory || age < 6 || emergency) {
				chart.vital(visit, Clinical.RESP_RATE, respiratoryRate(age, respiratory), at);
			}
			if (respiratory || emergency) {
				chart.vital(visit, Clinical.SPO2, Math.min(100, rng.normal(respiratory ? 94 : 97.5, 1.5)), at);
			}
			if (age < 16 || rng.chance(0.5)) {
				chart.vital(visit, Clinical.WEIGHT, weight(today), at);
			}
		}

		private void bloodPressure(Chart.Visit visit, OffsetDateTime at) {
			LocalDate today = at.toLocalDate();
			int age = age(today);
			double systolic = 105 + 0.45 * Math.max(0, age - 20) + (person.male() ? 5 : 0) + rng.normal(0, 8);
			Chronic htn = chronic.get("htn");
			if (htn != null && !htn.onset.isAfter(today)) {
				systolic += htn.conditionId == null ? 30 : 14;
			}
			double diastolic = 0.6 * systolic + rng.normal(8, 5);
			chart.bloodPressure(visit, Math.round(systolic), Math.round(Math.min(diastolic, systolic - 20)), at);
		}

		private double heartRate(boolean febrile) {
			return rng.normal(78, 8) + (febrile ? 14 : 0);
		}

		private int heartRateInt() {
			return (int) Math.round(rng.normal(76, 7));
		}

		private double respiratoryRate(int age, boolean respiratory) {
			double base = age < 1 ? 40 : age < 6 ? 30 : age < 12 ? 22 : 18;
			return Math.round(rng.normal(base + (respiratory ? 4 : 0), 2));
		}

		/** Height: WHO-like growth to the person's adult height. */
		private double height(LocalDate date) {
			double years = ChronoUnit.DAYS.between(person.birthDate(), date) / 365.25;
			double scale = 1 + 0.035 * growth;
			if (years < 1) return (50 + 25 * years) * scale;
			if (years < 2) return (75 + 12 * (years - 1)) * scale;
			if (years < 12) return (87 + 6 * (years - 2)) * scale;
			if (years < 18) return 147 * scale + (adultHeight - 147 * scale) * (years - 12) / 6;
			return adultHeight;
		}

		private double weight(LocalDate date) {
			double years = ChronoUnit.DAYS.between(person.birthDate(), date) / 365.25;
			double scale = 1 + 0.1 * growth;
			double adult = bmi * Math.pow(adultHeight / 100, 2);
			double weight;
			if (years < 1) weight = (3.2 + 6.4 * years) * scale;
			else if (years < 2) weight = (9.6 + 2.6 * (years - 1)) * scale;
			else if (years < 10) weight = (12.2 + 2.3 * (years - 2)) * scale;
			else if (years < 18) weight = 30.6 * scale + (adult - 30.6 * scale) * (years - 10) / 8;
			else weight = adult + 0.08 * Math.min(30, years - 18);
			return weight + rng.normal(0, weight * 0.01);
		}

		/** Complete blood count (công thức máu) with its report. */
		private void bloodCount(Chart.Visit visit, OffsetDateTime at, boolean dengue, boolean infection, boolean anaemia) {
			List<String> results = new ArrayList<>();
			double hb = (person.male() ? rng.normal(14.5, 1.1) : rng.normal(12.8, 1.0)) - (anaemia ? 3 : 0);
			results.add(chart.lab(visit, Clinical.HEMOGLOBIN, hb, at));
			results.add(chart.lab(visit, Clinical.WBC, Math.max(1.5, infection ? rng.normal(13.5, 3) : dengue ? rng.normal(3.5, 0.8) : rng.normal(7, 1.6)), at));
			results.add(chart.lab(visit, Clinical.PLATELETS, Math.max(8, dengue ? rng.normal(70, 35) : rng.normal(255, 55)), at));
			results.add(chart.lab(visit, Clinical.HEMATOCRIT, dengue ? rng.normal(47, 3) : hb * 3 + rng.normal(0, 1.2), at));
			chart.report(visit, "HM", "58410-2", "CBC panel - Blood by Automated count", "Tổng phân tích tế bào máu ngoại vi",
					results, at, dengue ? "Tiểu cầu giảm, hematocrit tăng" : null);
		}

		private void chemistry(Chart.Visit visit, OffsetDateTime at, boolean withGlucose) {
			List<String> results = new ArrayList<>();
			boolean diabetic = chronic.containsKey("dm") && !chronic.get("dm").onset.isAfter(at.toLocalDate());
			if (withGlucose) {
				results.add(chart.lab(visit, Clinical.GLUCOSE, diabetic ? Math.max(4, rng.normal(8.5, 2)) : rng.normal(5.2, 0.5), at));
			}
			boolean ckd = chronic.containsKey("ckd") && !chronic.get("ckd").onset.isAfter(at.toLocalDate());
			results.add(chart.lab(visit, Clinical.CREATININE, (person.male() ? rng.normal(85, 12) : rng.normal(66, 10)) * (ckd ? 2.4 : 1), at));
			boolean liver = chronic.containsKey("hbv");
			results.add(chart.lab(visit, Clinical.ALT, Math.max(8, rng.normal(liver ? 45 : 24, liver ? 20 : 8)), at));
			results.add(chart.lab(visit, Clinical.AST, Math.max(8, rng.normal(liver ? 38 : 24, liver ? 15 : 7)), at));
			chart.report(visit, "CH", "24323-8", "Comprehensive metabolic 2000 panel - Serum or Plasma", "Xét nghiệm sinh hóa máu",
					results, at, null);
		}

		private void lipidPanel(Chart.Visit visit, OffsetDateTime at, boolean high) {
			List<String> results = new ArrayList<>();
			results.add(chart.lab(visit, Clinical.CHOLESTEROL, rng.normal(high ? 5.9 : 4.8, 0.7), at));
			results.add(chart.lab(visit, Clinical.TRIGLYCERIDE, Math.max(0.4, rng.normal(high ? 2.4 : 1.4, 0.6)), at));
			results.add(chart.lab(visit, Clinical.LDL, rng.normal(high ? 3.8 : 2.8, 0.6), at));
			results.add(chart.lab(visit, Clinical.HDL, Math.max(0.5, rng.normal(1.2, 0.25)), at));
			chart.report(visit, "CH", "57698-3", "Lipid panel with direct LDL - Serum or Plasma", "Bộ mỡ máu", results, at, null);
		}
	}

	// ------------------------------------------------------------------ data

	private static final List<Acute> ACUTE = List.of(
			new Acute("J06.9", 30, List.of("paracetamol", "cetirizine", "amoxicillin"), true, true, 0.05, 0, 0.002, 3),
			new Acute("J02.9", 10, List.of("amoxicillin", "paracetamol"), true, false, 0.05, 0, 0, 3),
			new Acute("J03.9", 5, List.of("amoxiclav", "paracetamol"), true, false, 0.1, 0, 0.005, 3),
			new Acute("J20.9", 8, List.of("amoxiclav", "paracetamol", "azithromycin"), true, true, 0.2, 0.3, 0.01, 4),
			new Acute("J18.9", 3, List.of("amoxiclav", "paracetamol", "azithromycin"), true, true, 0.7, 0.9, 0.35, 6),
			new Acute("J21.9", 4, List.of("paracetamol"), true, true, 0.3, 0.3, 0.2, 4),
			new Acute("J11.1", 5, List.of("paracetamol", "oseltamivir"), true, true, 0.1, 0.05, 0.01, 4),
			new Acute("J01.9", 3, List.of("amoxiclav", "paracetamol"), false, true, 0, 0, 0, 3),
			new Acute("J30.4", 3, List.of("loratadine"), false, true, 0, 0, 0, 1),
			new Acute("A09.9", 8, List.of("ors", "diosmectite"), true, false, 0.2, 0, 0.05, 3),
			new Acute("A90", 2, List.of("paracetamol", "ors"), true, false, 0.95, 0, 0.25, 4),
			new Acute("A91", 0.3, List.of("paracetamol", "ors"), true, false, 1, 0, 0.9, 5),
			new Acute("B08.4", 4, List.of("paracetamol"), true, false, 0.2, 0, 0.05, 4),
			new Acute("B01.9", 2, List.of("acyclovir", "paracetamol"), true, false, 0, 0, 0, 3),
			new Acute("R50.9", 3, List.of("paracetamol"), true, false, 0.3, 0, 0.02, 2),
			new Acute("H10.9", 3, List.of("tobramycin-eye"), false, false, 0, 0, 0, 1),
			new Acute("T78.4", 1, List.of("cetirizine"), false, false, 0, 0, 0, 1),
			new Acute("L30.9", 4, List.of("cetirizine"), false, false, 0, 0, 0, 1),
			new Acute("B86", 0.5, List.of("cetirizine"), false, false, 0, 0, 0, 1),
			new Acute("N39.0", 4, List.of("ciprofloxacin"), true, false, 0.3, 0, 0.02, 4),
			new Acute("K29.7", 6, List.of("omeprazole", "domperidone"), false, false, 0.1, 0, 0.01, 2),
			new Acute("K21.9", 3, List.of("esomeprazole"), false, false, 0, 0, 0, 1),
			new Acute("K59.0", 1, List.of(), false, false, 0, 0, 0, 1),
			new Acute("R10.4", 2, List.of("omeprazole", "paracetamol"), false, false, 0.3, 0, 0.02, 2),
			new Acute("M54.5", 5, List.of("meloxicam", "paracetamol"), false, false, 0, 0, 0, 1),
			new Acute("S93.4", 1.5, List.of("paracetamol", "diclofenac"), false, false, 0, 0, 0, 1),
			new Acute("T14.1", 2, List.of("amoxicillin", "paracetamol"), false, false, 0, 0, 0.15, 1),
			new Acute("S06.0", 0.6, List.of("paracetamol"), false, false, 0.3, 0, 0.6, 3),
			new Acute("S72.0", 0.3, List.of("paracetamol"), false, false, 1, 0, 1, 8),
			new Acute("K35.8", 0.4, List.of("ceftriaxone"), true, false, 1, 0, 1, 4),
			new Acute("A01.0", 0.2, List.of("ciprofloxacin", "paracetamol"), true, false, 1, 0, 0.8, 7),
			new Acute("U07.1", 1, List.of("paracetamol"), true, true, 0.1, 0.1, 0.04, 7));

	/** SNOMED CT substance, its display, Vietnamese text, category. */
	private static final List<String[]> ALLERGENS = List.of(
			new String[] {"764146007", "Penicillin", "Penicillin", "medication"},
			new String[] {"372687004", "Amoxicillin", "Amoxicilin", "medication"},
			new String[] {"387207008", "Ibuprofen", "Ibuprofen", "medication"},
			new String[] {"387458008", "Aspirin", "Aspirin", "medication"},
			new String[] {"44027008", "Seafood", "Hải sản (tôm, cua)", "food"},
			new String[] {"256349002", "Peanut", "Lạc (đậu phộng)", "food"},
			new String[] {"111088007", "Latex", "Cao su (găng tay)", "environment"});

	/** SNOMED CT clinical finding, its display, Vietnamese text. */
	private static final List<String[]> REACTIONS = List.of(
			new String[] {"126485001", "Urticaria", "Nổi mề đay"},
			new String[] {"271807003", "Eruption of skin", "Phát ban"},
			new String[] {"418290006", "Itching", "Ngứa"},
			new String[] {"267036007", "Dyspnea", "Khó thở"},
			new String[] {"39579001", "Anaphylaxis", "Sốc phản vệ"});
}
