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
import java.util.List;
import java.util.function.Predicate;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies above the configured limit with 413 and an OperationOutcome. A declared
 * Content-Length is checked before anything is read; a chunked body is counted as HAPI reads it and
 * stops with {@link PayloadTooLargeException}, which HAPI turns into the same 413.
 */
public class RequestSizeLimitFilter extends OncePerRequestFilter {

	/**
	 * A limit of its own for the requests it applies to, e.g. bulk import uploads, which are streamed
	 * to disk rather than read into memory; contributed as a bean by the feature that needs it.
	 *
	 * @param setting the configuration key named in the 413's message
	 */
	public record OwnLimit(Predicate<HttpServletRequest> appliesTo, long maxBytes, String setting) {}

	private final OwnLimit general;
	private final List<OwnLimit> ownLimits;
	private final FhirContext fhirContext;

	public RequestSizeLimitFilter(long maxBytes, List<OwnLimit> ownLimits, FhirContext fhirContext) {
		this.general = new OwnLimit(request -> true, maxBytes, "vietfhir.fhir.max-request-size");
		this.ownLimits = List.copyOf(ownLimits);
		this.fhirContext = fhirContext;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		OwnLimit limit = ownLimits.stream().filter(l -> l.appliesTo().test(request)).findFirst().orElse(general);
		long declared = request.getContentLengthLong();
		if (declared > limit.maxBytes()) {
			OperationOutcomes.write(
					fhirContext,
					response,
					PayloadTooLargeException.STATUS_CODE,
					"too-costly",
					tooLargeMessage(limit));
			return;
		}
		chain.doFilter(declared >= 0 ? request : new LimitedRequest(request, limit), response);
	}

	private static String tooLargeMessage(OwnLimit limit) {
		return "Request body exceeds the limit of " + limit.maxBytes() + " bytes (" + limit.setting() + ")";
	}

	private static final class LimitedRequest extends HttpServletRequestWrapper {
		private final OwnLimit limit;
		private ServletInputStream stream;

		LimitedRequest(HttpServletRequest request, OwnLimit limit) {
			super(request);
			this.limit = limit;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (stream == null) {
				stream = new CountingStream(super.getInputStream(), limit);
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

	private static final class CountingStream extends ServletInputStream {
		private final ServletInputStream delegate;
		private final OwnLimit limit;
		private long count;

		CountingStream(ServletInputStream delegate, OwnLimit limit) {
			this.delegate = delegate;
			this.limit = limit;
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
			if (count > limit.maxBytes()) {
				throw new PayloadTooLargeException(tooLargeMessage(limit));
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
