package vn.ehealth.fhir.server.rest;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies above the configured limit with 413 and an OperationOutcome. A declared
 * Content-Length is checked before anything is read; a chunked body is counted as HAPI reads it and
 * stops with {@link PayloadTooLargeException}, which HAPI turns into the same 413.
 */
public class RequestSizeLimitFilter extends OncePerRequestFilter {

	/**
	 * Request attribute set by an earlier filter for a request whose body has its own, larger limit
	 * (bulk import uploads, streamed to disk rather than read into memory).
	 */
	public static final String OWN_LIMIT = RequestSizeLimitFilter.class.getName() + ".ownLimit";

	private final long maxBytes;
	private final FhirContext fhirContext;

	public RequestSizeLimitFilter(long maxBytes, FhirContext fhirContext) {
		this.maxBytes = maxBytes;
		this.fhirContext = fhirContext;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return request.getAttribute(OWN_LIMIT) != null;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long declared = request.getContentLengthLong();
		if (declared > maxBytes) {
			OperationOutcomes.write(
					fhirContext,
					response,
					PayloadTooLargeException.STATUS_CODE,
					"too-costly",
					tooLargeMessage());
			return;
		}
		chain.doFilter(declared >= 0 ? request : new LimitedRequest(request), response);
	}

	private String tooLargeMessage() {
		return "Request body exceeds the limit of " + maxBytes + " bytes (vietfhir.fhir.max-request-size)";
	}

	private final class LimitedRequest extends HttpServletRequestWrapper {
		private ServletInputStream stream;

		LimitedRequest(HttpServletRequest request) {
			super(request);
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (stream == null) {
				stream = new CountingStream(super.getInputStream());
			}
			return stream;
		}

		@Override
		public BufferedReader getReader() throws IOException {
			String encoding = getCharacterEncoding();
			return new BufferedReader(new InputStreamReader(
					getInputStream(), encoding != null ? java.nio.charset.Charset.forName(encoding) : StandardCharsets.UTF_8));
		}
	}

	private final class CountingStream extends ServletInputStream {
		private final ServletInputStream delegate;
		private long count;

		CountingStream(ServletInputStream delegate) {
			this.delegate = delegate;
		}

		@Override
		public int read() throws IOException {
			int b = delegate.read();
			if (b >= 0) {
				add(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = delegate.read(buffer, offset, length);
			if (n > 0) {
				add(n);
			}
			return n;
		}

		private void add(long n) {
			count += n;
			if (count > maxBytes) {
				throw new PayloadTooLargeException(tooLargeMessage());
			}
		}

		@Override
		public boolean isFinished() {
			return delegate.isFinished();
		}

		@Override
		public boolean isReady() {
			return delegate.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			delegate.setReadListener(listener);
		}
	}
}
