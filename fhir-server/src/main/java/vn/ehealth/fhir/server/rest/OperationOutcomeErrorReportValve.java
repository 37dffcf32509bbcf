package vn.ehealth.fhir.server.rest;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.PrintWriter;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat's error report for the FHIR endpoint: an OperationOutcome in JSON instead of Tomcat's HTML
 * page, for the errors Tomcat answers itself before any servlet runs (400 for a request line or
 * headers it cannot parse or that are too large, 400 for a path above the root, 501 for a transfer
 * encoding it does not implement). Other paths keep Tomcat's page.
 */
public class OperationOutcomeErrorReportValve extends ErrorReportValve {

	private final FhirContext fhirContext = FhirContext.forR4Cached();

	public OperationOutcomeErrorReportValve() {
		setShowReport(false);
		setShowServerInfo(false);
	}

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		if (!ContainerErrors.isFhir(request.getRequestURI())) {
			super.report(request, response, throwable);
			return;
		}
		int status = response.getStatus();
		// as ErrorReportValve: not for non-errors, nor when something was written or already reported
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		String detail = throwable != null ? throwable.getMessage() : response.getMessage();
		try {
			response.setContentType(ContainerErrors.FHIR_JSON);
			PrintWriter writer = response.getReporter();
			if (writer != null) {
				writer.write(ContainerErrors.json(fhirContext, status, detail));
				response.finishResponse();
			}
		} catch (IOException | IllegalStateException e) {
			// the connection is closing after the error: nothing more to tell the client
		}
	}
}
