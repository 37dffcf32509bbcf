package vn.ehealth.fhir.server.rest;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * The OperationOutcome for an error Tomcat or the servlet layer answers before HAPI sees the request
 * (a request line Tomcat cannot parse, headers too large, a path above the root, an HTTP method or
 * transfer encoding it does not implement): what the status means, in Vietnamese and English, and
 * the container's own detail when it gives one.
 */
final class ContainerErrors {

	static final String FHIR_JSON = "application/fhir+json;charset=UTF-8";

	private ContainerErrors() {}

	static OperationOutcome outcome(int status, String detail) {
		String text = meaning(status) + (detail == null || detail.isBlank() ? "" : ": " + detail);
		return OperationOutcomes.error(issueType(status), text);
	}

	static String json(FhirContext fhirContext, int status, String detail) {
		return fhirContext.newJsonParser().encodeResourceToString(outcome(status, detail));
	}

	/** Whether an error on this path gets an OperationOutcome: the FHIR endpoint, and requests whose path Tomcat could not read. */
	static boolean isFhir(String path) {
		return path == null || path.isEmpty() || path.startsWith(FhirRestServerConfig.FHIR_PATH);
	}

	private static String meaning(int status) {
		return switch (status) {
			case 400 -> "Yêu cầu HTTP không hợp lệ / Malformed HTTP request (characters in the URL that must be"
					+ " percent-encoded, a path above the root, or a request line or headers above 8 KB)";
			case 404 -> "Không tìm thấy / Not found";
			case 405 -> "Phương thức không được phép / Method not allowed";
			case 413 -> "Yêu cầu quá lớn / Request too large";
			case 414 -> "Địa chỉ URL quá dài / URI too long";
			case 431 -> "Phần đầu yêu cầu quá lớn / Request header fields too large";
			case 501 -> "Máy chủ không hỗ trợ phương thức HTTP hoặc Transfer-Encoding này / Not implemented: the server"
					+ " does not support this HTTP method or Transfer-Encoding (bodies may be chunked, and compressed with"
					+ " Content-Encoding: gzip)";
			default -> status >= 500 ? "Lỗi máy chủ / Server error " + status : "Lỗi HTTP / HTTP error " + status;
		};
	}

	private static String issueType(int status) {
		return switch (status) {
			case 401 -> "login";
			case 403 -> "forbidden";
			case 404 -> "not-found";
			case 405, 501 -> "not-supported";
			case 413 -> "too-costly";
			default -> status >= 500 ? "exception" : "invalid";
		};
	}
}
