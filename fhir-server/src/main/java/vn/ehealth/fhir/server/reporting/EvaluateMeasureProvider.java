package vn.ehealth.fhir.server.reporting;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.StringType;

/**
 * {@code Measure/[id]/$evaluate-measure} (FHIR R4 Measure operation, reportType summary) for the
 * indicators of {@link Indicator}: counts read from the fact tables, never from the resources. The
 * access control has required read on MeasureReport; the purpose and small cells are settled here;
 * the audit trail records the request like any other.
 */
public class EvaluateMeasureProvider {

	static final String DEFINITION = "http://hl7.org/fhir/OperationDefinition/Measure-evaluate-measure";

	private final ReportQuery query;
	private final ReportingSettings settings;

	EvaluateMeasureProvider(ReportQuery query, ReportingSettings settings) {
		this.query = query;
		this.settings = settings;
	}

	@Operation(name = "$evaluate-measure", typeName = "Measure", idempotent = true, canonicalUrl = DEFINITION)
	public MeasureReport evaluate(@IdParam IIdType id,
			@OperationParam(name = "periodStart", min = 1, max = 1) StringType periodStart,
			@OperationParam(name = "periodEnd", min = 1, max = 1) StringType periodEnd,
			@OperationParam(name = "facility", max = 1) StringType facility,
			@OperationParam(name = "province", max = 1) StringType province,
			@OperationParam(name = "reportType", max = 1) StringType reportType,
			RequestDetails request) {
		ReportAccess.requirePublicHealth(request);
		ReportQuery.Request parsed = ReportParameters.parse(id.getIdPart(), text(periodStart), text(periodEnd), text(facility),
				text(province), text(reportType));
		return report(parsed, ReportAccess.patientLevel(request));
	}

	/** The report of a checked request, with or without small cells. */
	MeasureReport report(ReportQuery.Request request, boolean patientLevel) {
		ReportQuery.Result result = query.run(request, request.indicator().stratifiers());
		return MeasureReports.build(request, result, settings.minCellSize(), patientLevel,
				query.facilityNames(MeasureReports.facilityCodes(result)));
	}

	private static String text(StringType value) {
		return value == null ? null : value.getValue();
	}
}
