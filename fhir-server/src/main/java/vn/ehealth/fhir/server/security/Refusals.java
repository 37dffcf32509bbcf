package vn.ehealth.fhir.server.security;

import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import vn.ehealth.fhir.server.rest.OperationOutcomes;

/**
 * The security layer's refusals on /fhir, as HAPI exceptions carrying their OperationOutcome: 401
 * with issue code {@code login} and a Bearer challenge, 403 with issue code {@code forbidden} and
 * the {@code insufficient_scope} challenge of RFC 6750 section 3.1 (naming the scope needed, if one).
 */
public final class Refusals {

	private Refusals() {}

	/** 401: no token, or one that does not verify; {@code error} is the RFC 6750 error code, or null when no token came. */
	static AuthenticationException unauthorised(String message, String error) {
		String text = "Chưa xác thực / " + message;
		AuthenticationException e = new AuthenticationException(text);
		e.setOperationOutcome(OperationOutcomes.error("login", text));
		e.addResponseHeader("WWW-Authenticate", error == null ? "Bearer" : "Bearer error=\"" + error + "\"");
		return e;
	}

	/** 403: the token is valid but does not allow this; {@code scope} is the scope that would, or null. */
	public static ForbiddenOperationException forbidden(String message, String scope) {
		String text = "Không đủ quyền / " + message;
		ForbiddenOperationException e = new ForbiddenOperationException(text, OperationOutcomes.error("forbidden", text));
		e.addResponseHeader("WWW-Authenticate",
				"Bearer error=\"insufficient_scope\"" + (scope == null ? "" : ", scope=\"" + scope + "\""));
		return e;
	}
}
