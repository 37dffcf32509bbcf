package vn.ehealth.fhir.server.observability;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Keeps refused requests (401, 403, 404, 422…) out of the WARN and ERROR logs. HAPI logs an exception
 * thrown by any interceptor at ERROR with its stack trace (BaseInterceptorService), and every 4xx once
 * more at WARN (ExceptionHandlingInterceptor): for a server that refuses requests for a living, that
 * buries real failures. The access log ({@code vietfhir.access}) has each refused request's status;
 * the reason goes to {@code vietfhir.refusals} at DEBUG. Server errors (5xx) are logged as before.
 * Installed by logback-spring.xml.
 */
public class RefusalLogFilter extends TurboFilter {

	private static final String INTERCEPTOR_SERVICE = "ca.uhn.fhir.interceptor.executor.BaseInterceptorService";
	private static final String EXCEPTION_HANDLING = "ca.uhn.fhir.rest.server.interceptor.ExceptionHandlingInterceptor";
	/** ExceptionHandlingInterceptor's one-line message, which it writes for statuses below 500 only. */
	private static final String CLIENT_ERROR_LINE = "Failure during REST processing: {}";
	private static final org.slf4j.Logger refusals = LoggerFactory.getLogger("vietfhir.refusals");

	@Override
	public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
		if (logger == null || level == null || !level.isGreaterOrEqual(Level.WARN)) {
			return FilterReply.NEUTRAL;
		}
		Throwable thrown = t != null ? t : lastThrowable(params);
		if (logger.getName().equals(INTERCEPTOR_SERVICE) && isRefusal(thrown)) {
			return FilterReply.DENY; // ExceptionHandlingInterceptor reports it once the response is written
		}
		if (logger.getName().equals(EXCEPTION_HANDLING) && CLIENT_ERROR_LINE.equals(format) && params != null && params.length == 1) {
			refusals.debug("Refused: {}", params[0]);
			return FilterReply.DENY;
		}
		return FilterReply.NEUTRAL;
	}

	private static Throwable lastThrowable(Object[] params) {
		return params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last ? last : null;
	}

	private static boolean isRefusal(Throwable thrown) {
		return thrown instanceof BaseServerResponseException response && response.getStatusCode() < 500;
	}
}
