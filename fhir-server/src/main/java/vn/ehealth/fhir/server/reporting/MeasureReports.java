package vn.ehealth.fhir.server.reporting;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Quantity;

/**
 * A report's counts as a FHIR MeasureReport (summary), in the shape the dashboard reads: one group,
 * its initial population, a stratifier per code with a stratum per value. Small cells are suppressed
 * (count absent, {@link #SUPPRESSED} true) unless the caller may read patients.
 */
final class MeasureReports {

	static final String SUPPRESSED = "https://vietfhir.org/fhir/StructureDefinition/vn-ext-suppressed";
	static final String MEASURE_POPULATION = "http://terminology.hl7.org/CodeSystem/measure-population";
	/** The code of a stratum whose value is not recorded (no address, no birth date…). */
	static final String UNKNOWN = "unknown";

	private MeasureReports() {}

	/** Whether a count is hidden: between 1 and the threshold, for a caller without patient-level read. */
	static boolean suppressed(long count, int minCellSize, boolean patientLevel) {
		return !patientLevel && count > 0 && count < minCellSize;
	}

	static MeasureReport build(ReportQuery.Request request, ReportQuery.Result result, int minCellSize, boolean patientLevel,
			Map<String, String> facilityNames) {
		Indicator indicator = request.indicator();
		MeasureReport report = new MeasureReport();
		report.setStatus(MeasureReport.MeasureReportStatus.COMPLETE);
		report.setType(MeasureReport.MeasureReportType.SUMMARY);
		report.setMeasure(indicator.url());
		report.setDate(new Date());
		report.getPeriod().setStartElement(new org.hl7.fhir.r4.model.DateTimeType(request.start().toString()))
				.setEndElement(new org.hl7.fhir.r4.model.DateTimeType(request.end().toString()));
		MeasureReport.MeasureReportGroupComponent group = report.addGroup();
		group.setCode(new CodeableConcept().setText(indicator.titleVi + " / " + indicator.titleEn));
		boolean hidden = suppressed(result.total().count(), minCellSize, patientLevel);
		count(group.addPopulation().setCode(population()), result.total().count(), hidden);
		if (indicator.scoresLengthOfStay() && !hidden) {
			group.setMeasureScore(meanStay(result.total()));
		}
		for (Map.Entry<Stratifier, Map<String, ReportQuery.Cell>> entry : result.strata().entrySet()) {
			Stratifier stratifier = entry.getKey();
			MeasureReport.MeasureReportGroupStratifierComponent component = group.addStratifier();
			component.addCode(new CodeableConcept(new Coding(null, stratifier.code, stratifier.nameVi))
					.setText(stratifier.nameVi + " / " + stratifier.nameEn));
			java.util.Set<String> hiddenValues = hiddenCells(entry.getValue(), hidden, minCellSize, patientLevel);
			for (Map.Entry<String, ReportQuery.Cell> cell : entry.getValue().entrySet()) {
				String value = cell.getKey() == null ? UNKNOWN : cell.getKey();
				String display = cell.getKey() == null ? "Không rõ" : stratifier.display(value, facilityNames::get);
				MeasureReport.StratifierGroupComponent stratum = component.addStratum();
				stratum.setValue(new CodeableConcept(new Coding(null, value, display)));
				boolean cellHidden = hiddenValues.contains(value);
				count(stratum.addPopulation().setCode(population()), cell.getValue().count(), cellHidden);
				if (indicator.scoresLengthOfStay() && !cellHidden) {
					stratum.setMeasureScore(meanStay(cell.getValue()));
				}
			}
		}
		return report;
	}

	/**
	 * The values of one stratifier's cells that are hidden: the small ones and, when a single one is
	 * small while the total is shown, the next smallest as well, or the total minus the shown cells would
	 * give it back (complementary suppression, as statistics offices do it).
	 */
	static java.util.Set<String> hiddenCells(Map<String, ReportQuery.Cell> cells, boolean totalHidden, int minCellSize,
			boolean patientLevel) {
		java.util.Set<String> hidden = new java.util.HashSet<>();
		cells.forEach((value, cell) -> {
			if (suppressed(cell.count(), minCellSize, patientLevel)) {
				hidden.add(value == null ? UNKNOWN : value);
			}
		});
		if (hidden.size() == 1 && !totalHidden) {
			cells.entrySet().stream().filter(e -> e.getValue().count() > 0)
					.filter(e -> !hidden.contains(e.getKey() == null ? UNKNOWN : e.getKey()))
					.min(java.util.Comparator.comparingLong(e -> e.getValue().count()))
					.ifPresent(e -> hidden.add(e.getKey() == null ? UNKNOWN : e.getKey()));
		}
		return hidden;
	}

	/** The facility codes the strata name, for their displays. */
	static List<String> facilityCodes(ReportQuery.Result result) {
		Map<String, ReportQuery.Cell> facilities = result.strata().get(Stratifier.FACILITY);
		List<String> codes = new ArrayList<>();
		if (facilities != null) {
			facilities.keySet().stream().filter(code -> code != null).forEach(codes::add);
		}
		return codes;
	}

	private static CodeableConcept population() {
		return new CodeableConcept(new Coding(MEASURE_POPULATION, "initial-population", "Initial Population"));
	}

	private static void count(org.hl7.fhir.r4.model.Element population, long count, boolean hidden) {
		if (hidden) {
			population.addExtension(SUPPRESSED, new BooleanType(true));
		} else if (population instanceof MeasureReport.MeasureReportGroupPopulationComponent groupPopulation) {
			groupPopulation.setCount((int) count);
		} else {
			((MeasureReport.StratifierGroupPopulationComponent) population).setCount((int) count);
		}
	}

	private static Quantity meanStay(ReportQuery.Cell cell) {
		Double mean = cell.meanLengthOfStay();
		if (mean == null) {
			return null;
		}
		return new Quantity().setValue(Math.round(mean * 100) / 100.0).setUnit("ngày").setSystem("http://unitsofmeasure.org")
				.setCode("d");
	}

}
