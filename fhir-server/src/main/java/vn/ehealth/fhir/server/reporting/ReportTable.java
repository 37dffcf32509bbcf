package vn.ehealth.fhir.server.reporting;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.MeasureReport;

/**
 * A MeasureReport as the rows of a download: without a stratifier, one row of totals; with one, a row
 * per stratum. Headers Vietnamese first, English beside ("Số lượng / Count"). A suppressed cell has
 * no count and "x" in the suppressed column.
 */
record ReportTable(List<String> headers, List<List<Object>> rows) {

	static ReportTable of(MeasureReport report, Indicator indicator, Stratifier stratifier) {
		List<String> headers = new ArrayList<>();
		List<List<Object>> rows = new ArrayList<>();
		boolean score = indicator.scoresLengthOfStay();
		String start = report.getPeriod().getStartElement().getValueAsString();
		String end = report.getPeriod().getEndElement().getValueAsString();
		MeasureReport.MeasureReportGroupComponent group = report.getGroupFirstRep();
		if (stratifier == null) {
			headers.addAll(List.of("Chỉ số / Measure", "Từ ngày / Period start", "Đến ngày / Period end", "Số lượng / Count",
					"Ẩn vì ô nhỏ / Suppressed"));
			if (score) {
				headers.add("Số ngày điều trị bình quân / Mean length of stay (days)");
			}
			List<Object> row = new ArrayList<>(List.of(indicator.titleVi + " / " + indicator.titleEn, start, end));
			cells(row, group.getPopulationFirstRep().hasCount() ? group.getPopulationFirstRep().getCount() : null,
					group.hasMeasureScore() ? group.getMeasureScore().getValue() : null, score);
			rows.add(row);
			return new ReportTable(headers, rows);
		}
		headers.addAll(List.of(stratifier.nameVi + " / " + stratifier.nameEn, "Tên / Name", "Số lượng / Count",
				"Ẩn vì ô nhỏ / Suppressed"));
		if (score) {
			headers.add("Số ngày điều trị bình quân / Mean length of stay (days)");
		}
		for (MeasureReport.MeasureReportGroupStratifierComponent component : group.getStratifier()) {
			if (!component.getCodeFirstRep().getCodingFirstRep().getCode().equals(stratifier.code)) {
				continue;
			}
			for (MeasureReport.StratifierGroupComponent stratum : component.getStratum()) {
				var value = stratum.getValue().getCodingFirstRep();
				List<Object> row = new ArrayList<>();
				row.add(value.getCode());
				row.add(value.getDisplay() == null ? "" : value.getDisplay());
				cells(row, stratum.getPopulationFirstRep().hasCount() ? stratum.getPopulationFirstRep().getCount() : null,
						stratum.hasMeasureScore() ? stratum.getMeasureScore().getValue() : null, score);
				rows.add(row);
			}
		}
		return new ReportTable(headers, rows);
	}

	private static void cells(List<Object> row, Integer count, java.math.BigDecimal mean, boolean score) {
		row.add(count);
		row.add(count == null ? "x" : "");
		if (score) {
			row.add(mean == null ? null : mean.doubleValue());
		}
	}
}
