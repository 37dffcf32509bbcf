package vn.ehealth.fhir.server.security;

/** An OAuth 2.0 error response (RFC 6749 section 5.2): status, error code, description. */
public class OAuthError extends RuntimeException {

	private final int status;
	private final String error;

	public OAuthError(int status, String error, String description) {
		super(description);
		this.status = status;
		this.error = error;
	}

	static OAuthError invalidClient(String description) {
		return new OAuthError(401, "invalid_client", description);
	}

	public static OAuthError invalidRequest(String description) {
		return new OAuthError(400, "invalid_request", description);
	}

	int status() {
		return status;
	}

	String error() {
		return error;
	}

	/** The JSON body of the error response. */
	java.util.Map<String, Object> body() {
		java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
		body.put("error", error);
		body.put("error_description", getMessage());
		return body;
	}
}
