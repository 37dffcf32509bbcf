package vn.ehealth.fhir.server.rest;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.commons.lang3.exception.ExceptionUtils;

/**
 * Failures HAPI 8.8 answers with a 500 although the request caused them, recognised by the exception
 * and where it was raised, and answered with a 400 that names the problem. Only these causes are
 * mapped; any other failure stays a server error (500).
 */
public class KnownClientFaultsAre400 {

	/** A recognised cause: which throwable, and the message the client gets. */
	private record Fault(Predicate<Throwable> raised, Function<Throwable, String> message) {}

	private static final List<Fault> FAULTS = List.of(
			// HAPI decodes the query string itself (RestfulServer → UrlUtil.parseQueryString) with URLDecoder
			new Fault(t -> t instanceof IllegalArgumentException && raisedIn(t, "ca.uhn.fhir.util.UrlUtil"),
					t -> "Chuỗi truy vấn có mã % không hợp lệ / The query has a malformed %-escape (" + t.getMessage()
							+ "); a literal % is written %25 (RFC 3986 section 2.1)"),
			// the patch libraries throw plain runtime exceptions (or overflow the stack) on a patch they cannot apply
			new Fault(t -> t instanceof StackOverflowError && raisedIn(t, "ca.uhn.fhir.jpa.patch."),
					t -> "Biểu thức FHIRPath lồng nhau quá sâu / The patch's FHIRPath expression is nested too deeply"),
			new Fault(t -> t instanceof RuntimeException
							&& raisedIn(t, "ca.uhn.fhir.jpa.patch.", "com.github.fge.jsonpatch.", "com.github.dnault.xmlpatch."),
					t -> "Không áp dụng được bản vá / The patch cannot be applied: " + t.getMessage()),
			// $validate: the HL7 validator throws on some inputs (a NullPointerException on a narrative of a
			// resource with a language); writes turn that into an error message (PooledInstanceValidator)
			new Fault(t -> t instanceof RuntimeException && raisedIn(t, "org.hl7.fhir.validation."),
					t -> "Bộ kiểm tra HL7 không kiểm được tài nguyên này / The HL7 validator failed on this resource ("
							+ t.getClass().getSimpleName() + "), so it cannot be shown to conform"),
			// the quantity index stores a double: a decimal beyond ±1.8e308 becomes Infinity
			new Fault(t -> t instanceof NumberFormatException
							&& raisedIn(t, "ca.uhn.fhir.jpa.model.entity.ResourceIndexedSearchParamQuantity"),
					t -> "Giá trị số vượt quá giới hạn lưu trữ / A decimal value is beyond what the server can index"
							+ " (at most about 1.8e308 in magnitude)"),
			// $expand of a ValueSet over a code system the server does not have: HAPI-0888 wraps the
			// validation support's ExpansionCouldNotBeCompletedInternallyException in a 500 (without its cause)
			new Fault(t -> t instanceof InternalErrorException && t.getMessage() != null && t.getMessage().startsWith("HAPI-0888")
							&& raisedIn(t, "ca.uhn.fhir.jpa.term."),
					t -> "Không mở rộng được ValueSet / The ValueSet cannot be expanded: "
							+ t.getMessage().replaceFirst("^HAPI-0888: \\S+Exception: ", "")));

	@Hook(value = Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION, order = RequestPipeline.OutgoingException.KNOWN_CLIENT_FAULTS)
	public BaseServerResponseException mapKnownFault(Throwable exception) {
		if (exception instanceof BaseServerResponseException response && response.getStatusCode() < 500) {
			return null;
		}
		for (Throwable t : ExceptionUtils.getThrowableList(exception)) {
			for (Fault fault : FAULTS) {
				if (fault.raised().test(t)) {
					InvalidRequestException mapped = new InvalidRequestException(fault.message().apply(t));
					mapped.initCause(exception);
					return mapped;
				}
			}
		}
		return null;
	}

	/** Whether the throwable was raised inside one of the classes or packages (its top frames). */
	private static boolean raisedIn(Throwable t, String... classPrefixes) {
		StackTraceElement[] frames = t.getStackTrace();
		// a few frames deep: the library's own helpers sit on top of the class that threw (e.g. MessageBundle under JsonPatch)
		for (int i = 0; i < Math.min(frames.length, 12); i++) {
			for (String prefix : classPrefixes) {
				if (frames[i].getClassName().startsWith(prefix)) {
					return true;
				}
			}
		}
		return false;
	}
}
