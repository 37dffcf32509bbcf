package vn.ehealth.fhir.server.observability;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Iterator;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Keeps refused requests (401, 403, 404, 422…) out of the WARN and ERROR logs. HAPI logs an exception
 * thrown by any interceptor at ERROR with its stack trace (BaseInterceptorService), and every 4xx once
 * more at WARN (ExceptionHandlingInterceptor): for a server that refuses requests for a living, that
 * buries real failures. The access log ({@code vietfhir.access}) has each refused request's status;
 * with {@code vietfhir.refusals} at DEBUG, HAPI's one-line reason is kept. Server errors (5xx) are
 * logged as before.
 *
 * <p>A filter on the appenders, so it sees only what is logged: as a logback turbo filter it was asked
 * about every {@code isTraceEnabled()} of HAPI and Hibernate, about 2 % of the CPU of a write.
 */
public class RefusalLogFilter extends Filter<ILoggingEvent> {

	private static final String INTERCEPTOR_SERVICE = "ca.uhn.fhir.interceptor.executor.BaseInterceptorService";
	private static final String EXCEPTION_HANDLING = "ca.uhn.fhir.rest.server.interceptor.ExceptionHandlingInterceptor";
	/** ExceptionHandlingInterceptor's one-line message, which it writes for statuses below 500 only. */
	private static final String CLIENT_ERROR_LINE = "Failure during REST processing: {}";
	private static final org.slf4j.Logger refusals = LoggerFactory.getLogger("vietfhir.refusals");

	@Override
	public FilterReply decide(ILoggingEvent event) {
		if (!event.getLevel().isGreaterOrEqual(Level.WARN)) {
			return FilterReply.NEUTRAL;
		}
		if (event.getLoggerName().equals(INTERCEPTOR_SERVICE) && isRefusal(thrown(event))) {
			return FilterReply.DENY; // ExceptionHandlingInterceptor reports it once the response is written
		}
		if (event.getLoggerName().equals(EXCEPTION_HANDLING) && CLIENT_ERROR_LINE.equals(event.getMessage())) {
			return refusals.isDebugEnabled() ? FilterReply.NEUTRAL : FilterReply.DENY;
		}
		return FilterReply.NEUTRAL;
	}

	private static Throwable thrown(ILoggingEvent event) {
		IThrowableProxy proxy = event.getThrowableProxy();
		return proxy instanceof ThrowableProxy thrown ? thrown.getThrowable() : null;
	}

	private static boolean isRefusal(Throwable thrown) {
		return thrown instanceof BaseServerResponseException response && response.getStatusCode() < 500;
	}

	/**
	 * Puts the filter on every appender of the root logger once Spring Boot has set logging up (its
	 * own console appender, and the file appender when {@code logging.file.name} is set). Registered
	 * in META-INF/spring.factories, so it runs before any bean logs.
	 */
	public static final class Installer implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

		@Override
		public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
			if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
				return;
			}
			ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
			for (Iterator<Appender<ILoggingEvent>> appenders = root.iteratorForAppenders(); appenders.hasNext(); ) {
				Appender<ILoggingEvent> appender = appenders.next();
				if (appender.getCopyOfAttachedFiltersList().stream().noneMatch(RefusalLogFilter.class::isInstance)) {
					RefusalLogFilter filter = new RefusalLogFilter();
					filter.setContext(context);
					filter.start();
					appender.addFilter(filter);
				}
			}
		}

		/** Right after Spring Boot's logging set-up, which replaces the appenders. */
		@Override
		public int getOrder() {
			return LoggingApplicationListener.DEFAULT_ORDER + 1;
		}
	}
}
