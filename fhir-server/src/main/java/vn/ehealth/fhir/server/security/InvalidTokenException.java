package vn.ehealth.fhir.server.security;

/** A bearer token that does not verify; the message says why, for the 401 response. */
class InvalidTokenException extends Exception {

	InvalidTokenException(String message) {
		super(message);
	}
}
