package vn.ehealth.fhir.server.reporting;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Statistics (Measure/$evaluate-measure, /reports downloads).
 *
 * @param minCellSize a count below this (and above zero) is suppressed in reports for a caller without
 *     patient-level read (Patient.r): fewer people than this could be recognised (Decree 13/2023/NĐ-CP on
 *     personal data; the usual statistical disclosure rule of 5)
 * @param maintainFacts keep the statistics' fact tables current on every write (default); false only to
 *     measure what maintaining them costs on ingest (the benchmark): reports are then wrong until
 *     {@code POST /admin/reports/rebuild}
 */
@ConfigurationProperties("vietfhir.reports")
@Validated
public record ReportingSettings(
		@DefaultValue("5") @Min(1) int minCellSize,
		@DefaultValue("true") boolean maintainFacts) {}
