package vn.ehealth.fhir.server.reporting;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;

/**
 * The parameters of a report, as $evaluate-measure and the downloads take them, checked: a bad one is
 * a 400 naming it (Vietnamese first), an unknown indicator a 404.
 */
final class ReportParameters {

	private ReportParameters() {}

	static ReportQuery.Request parse(String measureId, String periodStart, String periodEnd, String facility, String province,
			String reportType) {
		Indicator indicator = Indicator.byId(measureId).orElseThrow(() -> new ResourceNotFoundException(
				"Không có chỉ số thống kê " + measureId + " / No such measure: " + measureId
						+ " (vn-encounters, vn-admissions, vn-discharges, vn-morbidity, vn-deaths, vn-length-of-stay)"));
		if (reportType != null && !reportType.isBlank() && !reportType.equals("summary")) {
			throw new InvalidRequestException("reportType chỉ nhận summary / reportType must be summary, not " + reportType);
		}
		LocalDate start = day(periodStart, "periodStart", true);
		LocalDate end = day(periodEnd, "periodEnd", false);
		if (end.isBefore(start)) {
			throw new InvalidRequestException("periodEnd (" + periodEnd + ") trước periodStart (" + periodStart
					+ ") / periodEnd is before periodStart");
		}
		if (facility != null && !facility.isBlank() && !facility.trim().matches("\\d{5}")) {
			throw new InvalidRequestException("facility phải là mã cơ sở KCB 5 chữ số / facility must be a 5-digit facility code, not "
					+ facility);
		}
		String provinceCode = null;
		if (province != null && !province.isBlank()) {
			provinceCode = Provinces.code2025(province);
			if (provinceCode == null) {
				throw new InvalidRequestException("province không phải mã tỉnh (vn-province, hoặc mã cũ vn-province-legacy)"
						+ " / province is no province code (vn-province, or a legacy vn-province-legacy code): " + province);
			}
		}
		return new ReportQuery.Request(indicator, start, end,
				facility == null || facility.isBlank() ? null : facility.trim(), provinceCode);
	}

	/** A FHIR date (YYYY, YYYY-MM or YYYY-MM-DD): its first day for a start, its last day for an end. */
	private static LocalDate day(String value, String name, boolean first) {
		if (value == null || value.isBlank()) {
			throw new InvalidRequestException("Thiếu tham số " + name + " (YYYY-MM-DD) / The parameter " + name
					+ " (YYYY-MM-DD) is required");
		}
		String text = value.trim();
		try {
			if (text.matches("\\d{4}")) {
				int year = Integer.parseInt(text);
				return first ? LocalDate.of(year, 1, 1) : LocalDate.of(year, 12, 31);
			}
			if (text.matches("\\d{4}-\\d{2}")) {
				YearMonth month = YearMonth.parse(text);
				return first ? month.atDay(1) : month.atEndOfMonth();
			}
			if (text.matches("\\d{4}-\\d{2}-\\d{2}")) {
				return LocalDate.parse(text);
			}
		} catch (DateTimeParseException e) {
			// falls through to the refusal below
		}
		throw new InvalidRequestException(name + " không phải ngày FHIR (YYYY-MM-DD) / " + name
				+ " is not a FHIR date (YYYY-MM-DD): " + value);
	}
}
