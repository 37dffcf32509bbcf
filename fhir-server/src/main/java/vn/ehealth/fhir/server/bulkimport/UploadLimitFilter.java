package vn.ehealth.fhir.server.bulkimport;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;
import vn.ehealth.fhir.server.rest.OperationOutcomes;
import vn.ehealth.fhir.server.rest.RequestSizeLimitFilter;

/**
 * NDJSON uploads to $import are streamed to disk, so they get their own limit
 * ({@code vietfhir.bulk-import.max-upload-size}) instead of the general request limit: a declared
 * Content-Length above it is refused with 413 before anything is read; a chunked body is counted as
 * it is written to disk.
 */
public class UploadLimitFilter extends OncePerRequestFilter {

	private final long maxBytes;
	private final FhirContext fhirContext;

	public UploadLimitFilter(long maxBytes, FhirContext fhirContext) {
		this.maxBytes = maxBytes;
		this.fhirContext = fhirContext;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI();
		return !"POST".equals(request.getMethod())
				|| path == null
				|| !(path.endsWith("/" + BulkImportProvider.IMPORT) || path.endsWith("/%24import"))
				|| !BulkImportProvider.isNdjson(request.getContentType());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > maxBytes) {
			OperationOutcomes.write(fhirContext, response, PayloadTooLargeException.STATUS_CODE, "too-costly",
					"The upload exceeds the limit of " + maxBytes + " bytes (vietfhir.bulk-import.max-upload-size)");
			return;
		}
		request.setAttribute(RequestSizeLimitFilter.OWN_LIMIT, Boolean.TRUE);
		chain.doFilter(request, response);
	}
}
