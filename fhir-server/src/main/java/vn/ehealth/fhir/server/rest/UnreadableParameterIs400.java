package vn.ehealth.fhir.server.rest;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.apache.commons.lang3.exception.ExceptionUtils;

/**
 * An operation parameter HAPI cannot convert (e.g. {@code ValueSet/$expand?count=abc}, HAPI's type-level
 * {@code Patient/$everything?_count=abc}) is the client's mistake: 400 with what could not be read,
 * not the 500 HAPI gives when the conversion throws. Only failures raised while HAPI turns request
 * parameters into operation arguments are mapped; anything else stays a server error.
 */
public class UnreadableParameterIs400 {

	private static final String CONVERSION = "ca.uhn.fhir.rest.server.method.OperationParameter";

	@Hook(value = Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION, order = RequestPipeline.OutgoingException.UNREADABLE_PARAMETER)
	public BaseServerResponseException mapConversionFailure(RequestDetails request, Throwable exception) {
		if (exception instanceof BaseServerResponseException || !raisedWhileConverting(exception)) {
			return null;
		}
		Throwable cause = exception;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		String operation = request != null && request.getOperation() != null ? request.getOperation() + ": " : "";
		return new InvalidRequestException(operation + "a parameter could not be read (" + cause.getMessage()
				+ "); check that numbers, dates and codes are written as the operation expects");
	}

	private static boolean raisedWhileConverting(Throwable exception) {
		for (Throwable t : ExceptionUtils.getThrowableList(exception)) {
			for (StackTraceElement frame : t.getStackTrace()) {
				if (frame.getClassName().equals(CONVERSION)) {
					return true;
				}
			}
		}
		return false;
	}
}
