package vn.ehealth.fhir.server.rest;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Errors raised for /fhir in the servlet layer but outside HAPI (e.g. HttpServlet's 501 for an HTTP
 * method it does not know, an exception escaping a filter) are forwarded by Tomcat to Spring's
 * /error page, which answers in Spring's own JSON. On that error dispatch, a /fhir request gets an
 * OperationOutcome instead; other paths keep Spring's answer.
 */
class ErrorDispatchOutcomeFilter extends OncePerRequestFilter {

	private final FhirContext fhirContext;

	ErrorDispatchOutcomeFilter(FhirContext fhirContext) {
		this.fhirContext = fhirContext;
	}

	@Override
	protected boolean shouldNotFilterErrorDispatch() {
		return false;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		if (!(path instanceof String uri) || !uri.startsWith(FhirRestServerConfig.FHIR_PATH) || !(status instanceof Integer code)
				|| response.isCommitted()) {
			chain.doFilter(request, response);
			return;
		}
		Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
		// a server fault's own message stays in the log, not in the answer
		String detail = code != HttpServletResponse.SC_INTERNAL_SERVER_ERROR && message instanceof String text ? text : null;
		OperationOutcomes.write(fhirContext, response, code, ContainerErrors.outcome(code, detail));
	}
}
