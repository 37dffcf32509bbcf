package vn.ehealth.fhir.server.rest;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.sql.SQLException;
import java.time.Duration;
import org.apache.commons.lang3.exception.ExceptionUtils;

/**
 * A statement PostgreSQL cancelled at {@code vietfhir.fhir.statement-timeout} answers 503 with an
 * OperationOutcome of type {@code timeout} that says so, not HAPI's 500. A search runs on HAPI's
 * search thread, which keeps only the root cause's message for the request thread, so besides the
 * SQLSTATE (57014, query_canceled) the server's message is recognised.
 */
public class StatementTimeoutIs503 {

	static final int STATUS_CODE = 503;
	private static final String QUERY_CANCELED = "57014";
	private static final String SERVER_MESSAGE = "canceling statement due to statement timeout";

	private final Duration timeout;

	StatementTimeoutIs503(Duration timeout) {
		this.timeout = timeout;
	}

	@Hook(value = Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION, order = RequestPipeline.OutgoingException.STATEMENT_TIMEOUT)
	public BaseServerResponseException mapTimeout(Throwable exception) {
		if (!cancelledByTimeout(exception)) {
			return null;
		}
		String message = "Truy vấn chạy quá thời gian cho phép nên đã bị hủy / The query ran longer than "
				+ timeout.toSeconds() + " s (vietfhir.fhir.statement-timeout) and was cancelled; narrow the search"
				+ " (fewer _sort keys, more specific parameters) or page through smaller results";
		return new StatementTimeoutException(message);
	}

	private static boolean cancelledByTimeout(Throwable exception) {
		for (Throwable t : ExceptionUtils.getThrowableList(exception)) {
			if (t instanceof StatementTimeoutException) {
				return false;
			}
			if (t instanceof SQLException sql && QUERY_CANCELED.equals(sql.getSQLState())) {
				return true;
			}
			if (t.getMessage() != null && t.getMessage().contains(SERVER_MESSAGE)) {
				return true;
			}
		}
		return false;
	}

	/** 503: the database gave up on the statement; HAPI has no class for this status. */
	static final class StatementTimeoutException extends BaseServerResponseException {
		StatementTimeoutException(String message) {
			super(STATUS_CODE, message, OperationOutcomes.error("timeout", message));
		}
	}
}
