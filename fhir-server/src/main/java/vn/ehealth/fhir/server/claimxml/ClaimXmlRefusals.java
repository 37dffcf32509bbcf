package vn.ehealth.fhir.server.claimxml;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.hl7.fhir.r4.model.OperationOutcome;

/** The 400s of claim XML input: what is wrong, where (the XML path), Vietnamese first, English beside it. */
final class ClaimXmlRefusals {

	private ClaimXmlRefusals() {}

	static InvalidRequestException refused(String where, String vietnamese, String english) {
		String message = vietnamese + " / " + english + (where == null ? "" : " (" + where + ")");
		OperationOutcome outcome = new OperationOutcome();
		OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue()
				.setSeverity(OperationOutcome.IssueSeverity.ERROR)
				.setCode(OperationOutcome.IssueType.INVALID)
				.setDiagnostics(message);
		if (where != null) {
			issue.addExpression(where);
		}
		return new InvalidRequestException(message, outcome);
	}

	static InvalidRequestException badXml(String where, String reason) {
		return refused(where, "XML không hợp lệ hoặc bị từ chối: " + reason,
				"The XML is malformed or refused: " + reason);
	}

	/** A refusal of one file of a ZIP, its name put first. */
	static InvalidRequestException inFile(String name, InvalidRequestException refusal) {
		String message = "ZIP '" + name + "': " + refusal.getMessage();
		OperationOutcome outcome = refusal.getOperationOutcome() instanceof OperationOutcome given ? given.copy() : new OperationOutcome();
		outcome.getIssue().forEach(issue -> issue.setDiagnostics("ZIP '" + name + "': " + issue.getDiagnostics()));
		return new InvalidRequestException(message, outcome);
	}
}
