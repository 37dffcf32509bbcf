package vn.ehealth.fhir.server.rest;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.sql.SQLException;
import java.util.List;
import org.apache.commons.lang3.exception.ExceptionUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL out of disk, memory or connections (SQLSTATE class 53, "insufficient resources")
 * answers 503 with an OperationOutcome of type {@code no-store} that names what ran out, not HAPI's
 * 500 (the database's own message, with its file names, goes to the log only):
 * the request was fine and may be sent again once the operator has made room; nothing of it was
 * stored (the transaction rolled back). A search runs on HAPI's search thread, which keeps only the
 * root cause's message, so the server's messages are recognised as well as the SQLSTATE.
 */
public class DatabaseOutOfResourcesIs503 {

	private static final Logger LOG = LoggerFactory.getLogger(DatabaseOutOfResourcesIs503.class);
	private static final String INSUFFICIENT_RESOURCES_CLASS = "53";
	private static final String DISK_FULL = "53100";
	/** PostgreSQL's own words for a full disk (src/backend/storage/smgr/md.c) and the kernel's. */
	private static final List<String> SERVER_MESSAGES = List.of("could not extend file", "No space left on device");

	@Hook(value = Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION, order = RequestPipeline.OutgoingException.DATABASE_OUT_OF_RESOURCES)
	public BaseServerResponseException mapOutOfResources(Throwable exception) {
		Cause cause = outOfResources(exception);
		if (cause == null) {
			return null;
		}
		// the database's own message (file names and all) is for the operator, the kind for the client
		LOG.error("The database is out of resources ({}); requests answer 503 until it recovers: {}", cause.kind(), cause.message());
		String message = "Cơ sở dữ liệu tạm thời hết tài nguyên (ổ đĩa, bộ nhớ hoặc kết nối), yêu cầu chưa được lưu; hãy"
				+ " gửi lại sau / The database is out of resources (" + cause.kind() + ") and stored nothing of this"
				+ " request; send it again later";
		return new OutOfResourcesException(message);
	}

	/** What ran out (SQLSTATE and its name) and the database's first line about it. */
	record Cause(String kind, String message) {}

	/** What ran out when the failure is one of the database's resources running out, else null. */
	static Cause outOfResources(Throwable exception) {
		for (Throwable t : ExceptionUtils.getThrowableList(exception)) {
			if (t instanceof OutOfResourcesException) {
				return null;
			}
			if (t instanceof SQLException sql && sql.getSQLState() != null
					&& sql.getSQLState().startsWith(INSUFFICIENT_RESOURCES_CLASS)) {
				return new Cause(kind(sql.getSQLState()), firstLine(sql.getMessage()));
			}
			String message = t.getMessage();
			if (message != null && SERVER_MESSAGES.stream().anyMatch(message::contains)) {
				return new Cause(kind(DISK_FULL), firstLine(message));
			}
		}
		return null;
	}

	/** The SQLSTATE with its name in PostgreSQL's table of error codes (Appendix A, class 53). */
	private static String kind(String sqlState) {
		String name = switch (sqlState) {
			case DISK_FULL -> "disk_full";
			case "53200" -> "out_of_memory";
			case "53300" -> "too_many_connections";
			case "53400" -> "configuration_limit_exceeded";
			default -> "insufficient_resources";
		};
		return "SQLSTATE " + sqlState + " " + name;
	}

	private static String firstLine(String message) {
		if (message == null) {
			return "";
		}
		int end = message.indexOf('\n');
		return end < 0 ? message : message.substring(0, end);
	}

	/** 503: the database could not take the request; HAPI has no class for this status. */
	static final class OutOfResourcesException extends BaseServerResponseException {
		OutOfResourcesException(String message) {
			super(StatementTimeoutIs503.STATUS_CODE, message, OperationOutcomes.error("no-store", message));
		}
	}
}
