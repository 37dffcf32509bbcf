package vn.ehealth.fhir.server.rest;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.OperationOutcome;

/** Writing an OperationOutcome from places outside HAPI's own exception handling (servlet filters). */
public final class OperationOutcomes {

	private OperationOutcomes() {}

	public static OperationOutcome error(String issueType, String message) {
		OperationOutcome outcome = new OperationOutcome();
		outcome.addIssue()
				.setSeverity(OperationOutcome.IssueSeverity.ERROR)
				.setCode(OperationOutcome.IssueType.fromCode(issueType))
				.setDiagnostics(message);
		return outcome;
	}

	/** An informational outcome (a job accepted, in progress, cancelled). */
	public static OperationOutcome info(String message) {
		OperationOutcome outcome = new OperationOutcome();
		outcome.addIssue()
				.setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
				.setCode(OperationOutcome.IssueType.INFORMATIONAL)
				.setDiagnostics(message);
		return outcome;
	}

	public static void write(
			FhirContext fhirContext, HttpServletResponse response, int status, String issueType, String message)
			throws IOException {
		write(fhirContext, response, status, error(issueType, message));
	}

	public static void write(FhirContext fhirContext, HttpServletResponse response, int status, OperationOutcome outcome)
			throws IOException {
		response.setStatus(status);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.setContentType("application/fhir+json;charset=UTF-8");
		response.getWriter().write(fhirContext.newJsonParser().encodeResourceToString(outcome));
		response.getWriter().flush();
	}
}
