package vn.ehealth.fhir.server.rest;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;

/**
 * 429 Too Many Requests (RFC 6585) with an OperationOutcome, for the limits on /fhir (anonymous
 * directory requests per address, distinct patients per client and day). HAPI has no such class.
 */
public class TooManyRequestsException extends BaseServerResponseException {

	static final int STATUS_CODE = 429;

	public TooManyRequestsException(String message, int retryAfterSeconds) {
		super(STATUS_CODE, message, OperationOutcomes.error("throttled", message));
		addResponseHeader("Retry-After", String.valueOf(retryAfterSeconds));
	}
}
