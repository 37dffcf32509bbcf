package vn.ehealth.fhir.server.security;

/** A bearer token that does not verify; the message says why, for the 401 response. */
public class InvalidTokenException extends Exception {

	public InvalidTokenException(String message) {
		super(message);
	}
}
