package vn.ehealth.fhir.tests.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import vn.ehealth.fhir.synth.SyntheticData;
import vn.ehealth.fhir.tests.security.RegisteredClients;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * Statistics (issue 20) on a server of their own (its facts hold this population only): a small
 * synthetic population loaded as transactions, then every indicator's totals and strata compared with
 * counts made here from the generator's resources; then writes that must move the counts, small-cell
 * suppression, the purpose PUBHLTH and the audit record.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class MeasureReportTest {

	private static final long SEED = 2038;
	private static final int PATIENTS = 10;
	static final LocalDate FROM = LocalDate.of(2016, 1, 1);
	static final LocalDate TO = LocalDate.of(2026, 6, 30);

	static TestServer server;
	static SyntheticData data;
	static ExpectedCounts expected;
	static String suiteToken;

	@BeforeAll
	static void loadPopulation() {
		server = TestServer.start("reports-", Map.of());
		data = new SyntheticData(SEED, PATIENTS);
		store(data.directory());
		for (int n : data.patientNumbers()) {
			store(data.patient(n));
		}
		expected = new ExpectedCounts(data);
		suiteToken = server.tokens().token();
	}

	/** In storing order, as transactions of at most 200 entries (the server's request size limit). */
	static void store(List<Resource> resources) {
		for (int from = 0; from < resources.size(); from += 200) {
			server.client().transaction()
					.withBundle(SyntheticData.transaction(resources.subList(from, Math.min(resources.size(), from + 200)))).execute();
		}
	}

	@AfterAll
	static void stop() {
		server.stop();
	}

	static Http.Response evaluate(String bearer, String purpose, String measure, String query) {
		Http http = server.anonymousHttp();
		HttpRequest.Builder request = HttpRequest.newBuilder(http.uri("/fhir/Measure/" + measure + "/$evaluate-measure?" + query))
				.header("Accept", "application/fhir+json").GET();
		if (bearer != null) {
			request.header("Authorization", "Bearer " + bearer);
		}
		if (purpose != null) {
			request.header("X-Purpose-Of-Use", purpose);
		}
		return http.send(request);
	}

	static MeasureReport report(String measure, LocalDate from, LocalDate to, String extra) {
		Http.Response response = evaluate(suiteToken, "PUBHLTH", measure, "periodStart=" + from + "&periodEnd=" + to + extra);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.resource(MeasureReport.class);
	}

	static int total(MeasureReport report) {
		return report.getGroupFirstRep().getPopulationFirstRep().getCount();
	}

	/** The stratum counts of one stratifier, by value code (suppressed cells left out). */
	static Map<String, Integer> strata(MeasureReport report, String stratifier) {
		Map<String, Integer> counts = new TreeMap<>();
		for (MeasureReport.MeasureReportGroupStratifierComponent component : report.getGroupFirstRep().getStratifier()) {
			if (component.getCodeFirstRep().getCodingFirstRep().getCode().equals(stratifier)) {
				for (MeasureReport.StratifierGroupComponent stratum : component.getStratum()) {
					if (stratum.getPopulationFirstRep().hasCount()) {
						counts.put(stratum.getValue().getCodingFirstRep().getCode(), stratum.getPopulationFirstRep().getCount());
					}
				}
				return counts;
			}
		}
		throw new AssertionError("no stratifier " + stratifier);
	}

	@Test
	@org.junit.jupiter.api.Order(1)
	void encountersEqualTheGeneratorsCounts() {
		MeasureReport report = report("vn-encounters", FROM, TO, "");
		assertThat(report.getStatus()).isEqualTo(MeasureReport.MeasureReportStatus.COMPLETE);
		assertThat(report.getType()).isEqualTo(MeasureReport.MeasureReportType.SUMMARY);
		assertThat(report.getMeasure()).isEqualTo("https://vietfhir.org/fhir/Measure/vn-encounters");
		assertThat(total(report)).isEqualTo(expected.encounters(FROM, TO, v -> "all").get("all"));
		DateTimeFormatter month = DateTimeFormatter.ofPattern("yyyy-MM");
		assertThat(strata(report, "month")).isEqualTo(expected.encounters(FROM, TO, v -> v.start().format(month)));
		assertThat(strata(report, "encounter-class")).isEqualTo(expected.encounters(FROM, TO, ExpectedCounts.Visit::classCode));
		assertThat(strata(report, "facility")).isEqualTo(expected.encounters(FROM, TO, ExpectedCounts.Visit::facility));
		assertThat(strata(report, "sex")).isEqualTo(expected.encounters(FROM, TO, v -> expected.people.get(v.patient()).sex()));
		assertThat(strata(report, "province"))
				.isEqualTo(expected.encounters(FROM, TO, v -> expected.people.get(v.patient()).province()));
		assertThat(strata(report, "age-band")).isEqualTo(expected.encounters(FROM, TO, expected::ageBand));
	}

	@Test
	@org.junit.jupiter.api.Order(1)
	void aYearsIndicatorsEqualTheGeneratorsCounts() {
		LocalDate from = LocalDate.of(2024, 1, 1);
		LocalDate to = LocalDate.of(2024, 12, 31);
		assertThat(total(report("vn-admissions", from, to, ""))).isEqualTo(
				expected.encounters(from, to, v -> v.classCode()).getOrDefault("IMP", 0));
		List<ExpectedCounts.Visit> discharges = expected.discharges(FROM, TO);
		MeasureReport discharged = report("vn-discharges", FROM, TO, "");
		assertThat(total(discharged)).isEqualTo(discharges.size());
		Map<String, Integer> outcomes = new TreeMap<>();
		discharges.forEach(v -> outcomes.merge(v.disposition() == null ? "unknown" : v.disposition(), 1, Integer::sum));
		assertThat(strata(discharged, "outcome")).isEqualTo(outcomes);
		MeasureReport stay = report("vn-length-of-stay", FROM, TO, "");
		double mean = discharges.stream().mapToLong(ExpectedCounts.Visit::stayDays).average().orElseThrow();
		assertThat(stay.getGroupFirstRep().getMeasureScore().getValue().doubleValue()).isCloseTo(mean, org.assertj.core.data.Offset.offset(0.01));
		MeasureReport morbidity = report("vn-morbidity", FROM, TO, "");
		assertThat(strata(morbidity, "diagnosis-role")).isEqualTo(expected.diagnosisRoles(FROM, TO));
		assertThat(strata(morbidity, "icd10-code")).isEqualTo(expected.diagnosisCodes(FROM, TO));
		assertThat(strata(morbidity, "icd10-chapter").values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(total(morbidity));
		assertThat(total(report("vn-deaths", FROM, TO, ""))).isEqualTo((int) expected.deaths(FROM, TO));
	}

	@Test
	@org.junit.jupiter.api.Order(1)
	void facilityAndProvinceFilterTheCounts() {
		ExpectedCounts.Visit any = expected.visits.values().iterator().next();
		MeasureReport atFacility = report("vn-encounters", FROM, TO, "&facility=" + any.facility());
		assertThat(total(atFacility)).isEqualTo(expected.encounters(FROM, TO, ExpectedCounts.Visit::facility).get(any.facility()));
		String province = expected.people.get(any.patient()).province();
		MeasureReport inProvince = report("vn-encounters", FROM, TO, "&province=" + province);
		assertThat(total(inProvince)).isEqualTo(
				expected.encounters(FROM, TO, v -> expected.people.get(v.patient()).province()).get(province));
	}

	@Test
	void badParametersAre400() {
		Http.Response noStart = evaluate(suiteToken, "PUBHLTH", "vn-encounters", "periodEnd=2024-12-31");
		assertThat(noStart.status()).isEqualTo(400);
		assertThat(noStart.diagnostics()).contains("periodStart");
		assertThat(evaluate(suiteToken, "PUBHLTH", "vn-encounters", "periodStart=2024-13-01&periodEnd=2024-12-31").status())
				.isEqualTo(400);
		assertThat(evaluate(suiteToken, "PUBHLTH", "vn-encounters", "periodStart=2024-01-01&periodEnd=2024-12-31&province=zz")
				.status()).isEqualTo(400);
		assertThat(evaluate(suiteToken, "PUBHLTH", "vn-nothing", "periodStart=2024-01-01&periodEnd=2024-12-31").status())
				.isEqualTo(404);
	}

	@Test
	@org.junit.jupiter.api.Order(2)
	void aChangedPatientOrEncounterMovesTheCounts() {
		ExpectedCounts.Visit visit = expected.visits.values().stream()
				.filter(v -> v.classCode().equals("AMB") && v.start().getYear() == 2023).findFirst().orElseThrow();
		LocalDate from = LocalDate.of(2023, 1, 1);
		LocalDate to = LocalDate.of(2023, 12, 31);
		Map<String, Integer> before = strata(report("vn-encounters", from, to, ""), "sex");
		int patientsVisits = expected.encounters(from, to, v -> v.patient()).get(visit.patient());
		// the patient's sex changes: all their encounters of the year move to the other sex
		Patient patient = server.client().read().resource(Patient.class).withId(visit.patient()).execute();
		String was = patient.getGender().toCode();
		String now = was.equals("male") ? "female" : "male";
		setSex(patient, now);
		server.client().update().resource(patient).execute();
		Map<String, Integer> after = strata(report("vn-encounters", from, to, ""), "sex");
		assertThat(after.getOrDefault(was, 0)).isEqualTo(before.getOrDefault(was, 0) - patientsVisits);
		assertThat(after.getOrDefault(now, 0)).isEqualTo(before.getOrDefault(now, 0) + patientsVisits);
		setSex(patient, was);
		patient.setId(patient.getIdElement().toUnqualifiedVersionless());
		server.client().update().resource(patient).execute();

		// an extra encounter: counted, moved to another month by a new period, gone when deleted
		Encounter extra = (Encounter) storedEncounter(visit.id()).copy();
		extra.setId("rpt-extra-visit");
		extra.getIdentifierFirstRep().setValue("rpt-extra-visit");
		extra.getPeriod().setStartElement(new org.hl7.fhir.r4.model.DateTimeType("2023-03-10T08:00:00+07:00"))
				.setEndElement(new org.hl7.fhir.r4.model.DateTimeType("2023-03-10T09:00:00+07:00"));
		Map<String, Integer> months = strata(report("vn-encounters", from, to, ""), "month");
		server.client().update().resource(extra).execute();
		Map<String, Integer> added = strata(report("vn-encounters", from, to, ""), "month");
		assertThat(added.get("2023-03")).isEqualTo(months.getOrDefault("2023-03", 0) + 1);
		extra.getPeriod().setStartElement(new org.hl7.fhir.r4.model.DateTimeType("2023-11-20T23:30:00+07:00"))
				.setEndElement(new org.hl7.fhir.r4.model.DateTimeType("2023-11-20T23:50:00+07:00"));
		server.client().update().resource(extra).execute();
		Map<String, Integer> moved = strata(report("vn-encounters", from, to, ""), "month");
		assertThat(moved.getOrDefault("2023-03", 0)).isEqualTo(months.getOrDefault("2023-03", 0));
		assertThat(moved.get("2023-11")).isEqualTo(months.getOrDefault("2023-11", 0) + 1);
		server.client().delete().resourceById("Encounter", "rpt-extra-visit").execute();
		assertThat(strata(report("vn-encounters", from, to, ""), "month")).isEqualTo(months);
	}

	/**
	 * After the writes above (updates, deletes, $import, claim XML) and two more here: every indicator's
	 * whole-month report (from the monthly roll-up) equals the same population grouped from the fact
	 * rows (a period starting the day before care starts, which no month bounds), stratum by stratum;
	 * and the roll-up kept by the writes equals the one the rebuild sums from scratch.
	 */
	@Test
	@org.junit.jupiter.api.Order(3)
	void theMonthlyRollupEqualsTheFactsAfterUpdatesAndDeletes() {
		// a further diagnosis: counted, moved to another year by a new recorded date, then gone when deleted
		MeasureReport morbidity = report("vn-morbidity", FROM, TO, "");
		org.hl7.fhir.r4.model.Condition diagnosis = (org.hl7.fhir.r4.model.Condition) server.client().search()
				.forResource(org.hl7.fhir.r4.model.Condition.class).returnBundle(org.hl7.fhir.r4.model.Bundle.class).count(1)
				.execute().getEntryFirstRep().getResource().copy();
		diagnosis.setId("rpt-extra-diagnosis");
		diagnosis.getIdentifier().clear();
		diagnosis.getMeta().setVersionId(null).setLastUpdated(null);
		diagnosis.setRecordedDateElement(new org.hl7.fhir.r4.model.DateTimeType("2019-05-05T10:00:00+07:00"));
		server.client().update().resource(diagnosis).execute();
		assertThat(total(report("vn-morbidity", FROM, TO, ""))).isEqualTo(total(morbidity) + 1);
		diagnosis.setRecordedDateElement(new org.hl7.fhir.r4.model.DateTimeType("2020-07-07T10:00:00+07:00"));
		server.client().update().resource(diagnosis).execute();
		assertThat(strata(report("vn-morbidity", FROM, TO, ""), "month").get("2020-07"))
				.isEqualTo(strata(morbidity, "month").getOrDefault("2020-07", 0) + 1);
		server.client().delete().resourceById("Condition", "rpt-extra-diagnosis").execute();
		assertThat(everything(report("vn-morbidity", FROM, TO, ""))).isEqualTo(everything(morbidity));
		// written again after its delete: counted again (a new write has no earlier fact row to replace)
		server.client().update().resource(diagnosis).execute();
		assertThat(strata(report("vn-morbidity", FROM, TO, ""), "month").get("2020-07"))
				.isEqualTo(strata(morbidity, "month").getOrDefault("2020-07", 0) + 1);
		server.client().delete().resourceById("Condition", "rpt-extra-diagnosis").execute();
		assertThat(everything(report("vn-morbidity", FROM, TO, ""))).isEqualTo(everything(morbidity));
		ExpectedCounts.Visit inpatient = expected.visits.values().stream().filter(v -> v.classCode().equals("IMP"))
				.findFirst().orElseThrow();
		Encounter stay = (Encounter) storedEncounter(inpatient.id());
		stay.getClass_().setCode("EMER");
		stay.setId(stay.getIdElement().toUnqualifiedVersionless());
		server.client().update().resource(stay).execute();

		LocalDate dayBefore = SyntheticData.DEFAULT_CARE_START.minusDays(1);
		for (String measure : List.of("vn-encounters", "vn-admissions", "vn-discharges", "vn-morbidity", "vn-deaths",
				"vn-length-of-stay")) {
			Map<String, Object> rolledUp = everything(report(measure, FROM, TO, ""));
			assertThat(everything(report(measure, dayBefore, TO, ""))).as(measure).isEqualTo(rolledUp);
			assertThat(everything(report(measure, FROM.minusMonths(2), TO.plusMonths(1), ""))).as(measure).isEqualTo(rolledUp);
			String facility = inpatient.facility();
			assertThat(everything(report(measure, dayBefore, TO, "&facility=" + facility))).as(measure + " at " + facility)
					.isEqualTo(everything(report(measure, FROM, TO, "&facility=" + facility)));
		}

		JdbcTemplate jdbc = new JdbcTemplate(server.context().getBean(javax.sql.DataSource.class));
		String rows = "SELECT indicator, month, facility, province, stratum, value, n, los_sum, los_n FROM vf_report_rollup"
				+ " WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5, 6";
		List<Map<String, Object>> kept = jdbc.queryForList(rows);
		assertThat(kept).isNotEmpty();
		Http http = server.anonymousHttp();
		Http.Response rebuilt = http.send(HttpRequest.newBuilder(http.uri("/admin/reports/rebuild"))
				.header("Authorization", "Bearer " + RegisteredClients.adminSecret(server))
				.POST(HttpRequest.BodyPublishers.noBody()));
		assertThat(rebuilt.status()).as(rebuilt.body()).isEqualTo(200);
		assertThat(jdbc.queryForList(rows)).isEqualTo(kept);
	}

	/** A report's total, score and every stratum's count, by stratifier and value. */
	private static Map<String, Object> everything(MeasureReport report) {
		Map<String, Object> all = new TreeMap<>();
		MeasureReport.MeasureReportGroupComponent group = report.getGroupFirstRep();
		all.put("total", total(report));
		all.put("score", group.hasMeasureScore() ? group.getMeasureScore().getValue().doubleValue() : null);
		for (MeasureReport.MeasureReportGroupStratifierComponent component : group.getStratifier()) {
			Map<String, String> strata = new TreeMap<>();
			for (MeasureReport.StratifierGroupComponent stratum : component.getStratum()) {
				strata.put(stratum.getValue().getCodingFirstRep().getCode(), stratum.getPopulationFirstRep().getCount()
						+ (stratum.hasMeasureScore() ? " " + stratum.getMeasureScore().getValue() : ""));
			}
			all.put(component.getCodeFirstRep().getCodingFirstRep().getCode(), strata);
		}
		return all;
	}

	/** The sex, and the CCCD's fourth digit that encodes it (even: male, odd: female; the profile checks it). */
	private static void setSex(Patient patient, String sex) {
		patient.setGender(org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.fromCode(sex));
		String cccd = patient.getIdentifier().stream().filter(i -> i.getValue() != null && i.getValue().matches("\\d{12}"))
				.map(org.hl7.fhir.r4.model.Identifier::getValue).findFirst().orElseThrow();
		int digit = cccd.charAt(3) - '0';
		int wanted = (digit & ~1) | (sex.equals("female") ? 1 : 0);
		String changed = cccd.substring(0, 3) + wanted + cccd.substring(4);
		patient.getIdentifier().stream().filter(i -> cccd.equals(i.getValue())).forEach(i -> i.setValue(changed));
	}

	private static Resource storedEncounter(String id) {
		return server.client().read().resource(Encounter.class).withId(id).execute();
	}

	/** A token of a newly registered client that may read statistics only (no Patient.r), for PUBHLTH. */
	private static String statisticianToken(String clientName) {
		RegisteredClients.Client statistician = RegisteredClients.register(server, clientName,
				List.of("system/MeasureReport.r"), List.of("PUBHLTH"));
		return RegisteredClients.token(server, statistician, "system/MeasureReport.r");
	}

	@Test
	@org.junit.jupiter.api.Order(1)
	void smallCellsAreSuppressedWithoutPatientLevelRead() {
		String token = statisticianToken("thong-ke");
		String query = "periodStart=" + FROM + "&periodEnd=" + TO;
		Http.Response response = evaluate(token, null, "vn-encounters", query);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		MeasureReport suppressed = response.resource(MeasureReport.class);
		Map<String, Integer> full = expected.encounters(FROM, TO, ExpectedCounts.Visit::facility);
		int small = 0;
		for (MeasureReport.MeasureReportGroupStratifierComponent component : suppressed.getGroupFirstRep().getStratifier()) {
			if (!component.getCodeFirstRep().getCodingFirstRep().getCode().equals("facility")) {
				continue;
			}
			int smallHere = 0;
			int largeHidden = 0;
			for (MeasureReport.StratifierGroupComponent stratum : component.getStratum()) {
				int count = full.get(stratum.getValue().getCodingFirstRep().getCode());
				MeasureReport.StratifierGroupPopulationComponent population = stratum.getPopulationFirstRep();
				if (count < 5) {
					smallHere++;
					assertThat(population.hasCount()).isFalse();
					assertThat(population.getExtensionByUrl("https://vietfhir.org/fhir/StructureDefinition/vn-ext-suppressed")
							.getValue().primitiveValue()).isEqualTo("true");
				} else if (population.hasCount()) {
					assertThat(population.getCount()).isEqualTo(count);
				} else {
					largeHidden++;
				}
			}
			// a larger cell is hidden only beside a single small one (complementary suppression)
			assertThat(largeHidden).isEqualTo(smallHere == 1 ? 1 : 0);
			small += smallHere;
		}
		assertThat(small).as("facilities with fewer than 5 encounters in the data").isPositive();
		// with patient-level read (the suite's system/*.cruds) every cell is shown
		assertThat(strata(report("vn-encounters", FROM, TO, ""), "facility")).isEqualTo(full);
	}

	/**
	 * A single small cell beside a shown total could be recovered by subtraction: the next smallest
	 * cell of the same stratifier is hidden too, and no other. The case is looked up in the generator's
	 * data: a facility whose encounters over the care period have exactly one small class or sex.
	 */
	@Test
	@org.junit.jupiter.api.Order(1)
	void aSingleSmallCellTakesTheNextSmallestWithIt() {
		String token = statisticianToken("thong-ke-bu");
		Map<String, java.util.function.Function<ExpectedCounts.Visit, String>> stratifiers = Map.of(
				"encounter-class", ExpectedCounts.Visit::classCode, "sex", v -> expected.people.get(v.patient()).sex());
		int checked = 0;
		for (String facility : expected.encounters(FROM, TO, ExpectedCounts.Visit::facility).keySet()) {
			for (Map.Entry<String, java.util.function.Function<ExpectedCounts.Visit, String>> stratifier : stratifiers.entrySet()) {
				Map<String, Integer> cells = new TreeMap<>(expected.encounters(FROM, TO,
						v -> v.facility().equals(facility) ? stratifier.getValue().apply(v) : "~elsewhere"));
				cells.remove("~elsewhere");
				int total = cells.values().stream().mapToInt(Integer::intValue).sum();
				List<String> small = cells.keySet().stream().filter(k -> cells.get(k) < 5).toList();
				if (total < 5 || small.size() != 1 || cells.size() < 2) {
					continue;
				}
				String partner = cells.keySet().stream().filter(k -> !small.contains(k))
						.min(java.util.Comparator.comparing(cells::get)).orElseThrow();
				Http.Response response = evaluate(token, null, "vn-encounters",
						"periodStart=" + FROM + "&periodEnd=" + TO + "&facility=" + facility);
				assertThat(response.status()).as(response.body()).isEqualTo(200);
				MeasureReport report = response.resource(MeasureReport.class);
				assertThat(total(report)).isEqualTo(total);
				Map<String, Integer> shown = strata(report, stratifier.getKey());
				Map<String, Integer> expectedShown = new TreeMap<>(cells);
				expectedShown.remove(small.get(0));
				expectedShown.remove(partner);
				assertThat(shown).as(facility + " " + stratifier.getKey() + " " + cells).isEqualTo(expectedShown);
				checked++;
			}
		}
		assertThat(checked).as("facilities with exactly one small class or sex in the data").isPositive();
	}

	@Test
	void statisticsNeedPurposePublicHealthAndTheScope() {
		String query = "periodStart=2024-01-01&periodEnd=2024-12-31";
		Http.Response treatment = evaluate(suiteToken, "TREAT", "vn-encounters", query);
		assertThat(treatment.status()).isEqualTo(403);
		assertThat(treatment.diagnostics()).contains("PUBHLTH");
		RegisteredClients.Client reader = RegisteredClients.register(server, "doc-benh-nhan",
				List.of("system/Patient.r"), List.of("PUBHLTH"));
		Http.Response noScope = evaluate(RegisteredClients.token(server, reader, "system/Patient.r"), null, "vn-encounters", query);
		assertThat(noScope.status()).isEqualTo(403);
		assertThat(noScope.diagnostics()).contains("MeasureReport");
		assertThat(evaluate(null, null, "vn-encounters", query).status()).isEqualTo(401);
	}

	@Test
	void everyReportRequestIsAudited() {
		JdbcTemplate jdbc = new JdbcTemplate(server.context().getBean(javax.sql.DataSource.class));
		String count = "SELECT count(*) FROM vf_audit_event WHERE record LIKE '%$evaluate-measure%' AND record LIKE '%PUBHLTH%'";
		long before = jdbc.queryForObject(count, Long.class);
		report("vn-deaths", FROM, TO, "");
		assertThat(jdbc.queryForObject(count, Long.class)).isEqualTo(before + 1);
	}

	@Test
	void theMeasuresArePublishedAndPublic() {
		for (String id : List.of("vn-encounters", "vn-admissions", "vn-discharges", "vn-morbidity", "vn-deaths", "vn-length-of-stay")) {
			Http.Response measure = server.anonymousHttp().get("/fhir/Measure/" + id);
			assertThat(measure.status()).as(id + " " + measure.body()).isEqualTo(200);
			assertThat(measure.resource(org.hl7.fhir.r4.model.Measure.class).getUrl()).isEqualTo("https://vietfhir.org/fhir/Measure/" + id);
		}
	}

	static java.net.http.HttpResponse<byte[]> download(String bearer, String path) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(java.net.URI.create(server.rootUrl() + path))
				.header("Authorization", "Bearer " + bearer).header("X-Purpose-Of-Use", "PUBHLTH").GET();
		return java.net.http.HttpClient.newHttpClient().send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
	}

	@Test
	@org.junit.jupiter.api.Order(1)
	void csvIsUtf8WithBomAndVietnameseHeaders() throws Exception {
		var response = download(suiteToken, "/reports/vn-encounters.csv?periodStart=" + FROM + "&periodEnd=" + TO + "&stratifier=sex");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
		byte[] body = response.body();
		assertThat(new byte[] {body[0], body[1], body[2]}).containsExactly(0xEF, 0xBB, 0xBF);
		List<String> lines = new String(body, 3, body.length - 3, java.nio.charset.StandardCharsets.UTF_8).lines().toList();
		assertThat(lines.get(0)).startsWith("Giới tính / Sex,Tên / Name,Số lượng / Count");
		Map<String, Integer> expectedSexes = expected.encounters(FROM, TO, v -> expected.people.get(v.patient()).sex());
		Map<String, Integer> csvSexes = new TreeMap<>();
		for (String line : lines.subList(1, lines.size())) {
			String[] fields = line.split(",");
			csvSexes.put(fields[0], Integer.parseInt(fields[2]));
		}
		assertThat(csvSexes).isEqualTo(expectedSexes);
		assertThat(lines.stream().anyMatch(line -> line.contains(",Nữ,") || line.contains(",Nam,"))).isTrue();
		var totals = download(suiteToken, "/reports/vn-encounters.csv?periodStart=" + FROM + "&periodEnd=" + TO);
		assertThat(new String(totals.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("Lượt khám chữa bệnh / Encounters");
	}

	@Test
	@org.junit.jupiter.api.Order(1)
	void xlsxReadsBackWithPoi() throws Exception {
		var response = download(suiteToken, "/reports/vn-morbidity.xlsx?periodStart=" + FROM + "&periodEnd=" + TO
				+ "&stratifier=diagnosis-role");
		assertThat(response.statusCode()).isEqualTo(200);
		try (var workbook = new org.apache.poi.xssf.usermodel.XSSFWorkbook(new java.io.ByteArrayInputStream(response.body()))) {
			var sheet = workbook.getSheetAt(0);
			assertThat(sheet.getRow(0).getCell(0).getStringCellValue()).isEqualTo("Vai trò chẩn đoán / Diagnosis role");
			Map<String, Integer> roles = new TreeMap<>();
			for (int r = 1; r <= sheet.getLastRowNum(); r++) {
				var row = sheet.getRow(r);
				roles.put(row.getCell(0).getStringCellValue(), (int) row.getCell(2).getNumericCellValue());
				assertThat(row.getCell(1).getStringCellValue()).isIn("Bệnh chính", "Bệnh kèm theo");
			}
			assertThat(roles).isEqualTo(expected.diagnosisRoles(FROM, TO));
		}
	}

	@Test
	void downloadsFollowTheSameAccessRules() throws Exception {
		var treatment = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(java.net.URI.create(server.rootUrl()
				+ "/reports/vn-encounters.csv?periodStart=2024-01-01&periodEnd=2024-12-31"))
				.header("Authorization", "Bearer " + suiteToken).header("X-Purpose-Of-Use", "TREAT").GET().build(),
				java.net.http.HttpResponse.BodyHandlers.ofString());
		assertThat(treatment.statusCode()).isEqualTo(403);
		assertThat(treatment.body()).contains("PUBHLTH");
		assertThat(server.anonymousHttp().get("/reports/vn-encounters.csv?periodStart=2024-01-01&periodEnd=2024-12-31").status())
				.isEqualTo(401);
		assertThat(download(suiteToken, "/reports/vn-encounters.csv?periodStart=2024-01-01&periodEnd=2024-12-31&stratifier=outcome")
				.statusCode()).isEqualTo(400);
		assertThat(download(suiteToken, "/reports/vn-encounters.csv?periodEnd=2024-12-31").statusCode()).isEqualTo(400);
	}

	@Test
	@org.junit.jupiter.api.Order(2)
	void bulkImportAndClaimXmlMoveTheCountsToo() throws Exception {
		int before = total(report("vn-encounters", FROM, TO, ""));
		// $import: an NDJSON upload stored by the import's chunks
		Encounter imported = (Encounter) storedEncounter(expected.visits.keySet().iterator().next()).copy();
		imported.setId("rpt-imported-visit");
		imported.getIdentifierFirstRep().setValue("rpt-imported-visit");
		imported.getMeta().setVersionId(null).setLastUpdated(null);
		String line = TestServer.fhirContext().newJsonParser().setPrettyPrint(false).encodeResourceToString(imported) + "\n";
		Http http = server.http();
		Http.Response kickOff = http.post("/fhir/$import", "application/fhir+ndjson", line);
		assertThat(kickOff.status()).as(kickOff.body()).isEqualTo(202);
		String status = kickOff.header("Content-Location");
		Http.Response done = http.get(status.substring(status.indexOf("/fhir/")));
		for (int i = 0; i < 600 && done.status() == 202; i++) {
			Thread.sleep(300);
			done = http.get(status.substring(status.indexOf("/fhir/")));
		}
		assertThat(done.status()).as(done.body()).isEqualTo(200);
		assertThat(total(report("vn-encounters", FROM, TO, ""))).isEqualTo(before + 1);

		// claim XML: a patient not loaded yet, two of their visits as episodes
		int n = PATIENTS + 7;
		SyntheticData other = new SyntheticData(SEED, List.of(n), SyntheticData.DEFAULT_CARE_START, SyntheticData.DEFAULT_AS_OF);
		store(other.directory());
		var episodes = vn.ehealth.fhir.synth.ClaimXml.episodes(other, n, 2);
		int diagnoses = 0;
		MeasureReport morbidityBefore = report("vn-morbidity", FROM, TO, "");
		for (var episode : episodes) {
			String main = episode.xml1().get("MA_BENH_CHINH");
			String extra = episode.xml1().get("MA_BENH_KT");
			diagnoses += (main == null || main.isBlank() ? 0 : 1)
					+ (extra == null || extra.isBlank() ? 0 : extra.split(";").length);
			Http.Response posted = http.send(HttpRequest.newBuilder(http.uri("/fhir/$import-claim-xml"))
					.header("Content-Type", "application/xml").header("Accept", "application/fhir+json")
					.POST(HttpRequest.BodyPublishers.ofString(vn.ehealth.fhir.synth.ClaimXml.envelope(episode.facility(), List.of(episode)),
							java.nio.charset.StandardCharsets.UTF_8)));
			assertThat(posted.status()).as(posted.body()).isEqualTo(200);
		}
		assertThat(total(report("vn-encounters", FROM, TO, ""))).isEqualTo(before + 1 + episodes.size());
		MeasureReport morbidityAfter = report("vn-morbidity", FROM, TO, "");
		assertThat(total(morbidityAfter)).isEqualTo(total(morbidityBefore) + diagnoses);
		// each episode's MA_BENH_CHINH is its Encounter.diagnosis rank 1
		assertThat(strata(morbidityAfter, "diagnosis-role").get("primary"))
				.isGreaterThan(strata(morbidityBefore, "diagnosis-role").get("primary"));
	}
}
