package vn.ehealth.fhir.server.rest;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
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
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies above the configured limit with 413 and an OperationOutcome. A declared
 * Content-Length is checked before anything is read; a chunked body is counted as HAPI reads it and
 * stops with {@link PayloadTooLargeException}, which HAPI turns into the same 413.
 *
 * <p>A gzip body ({@code Content-Encoding: gzip}) is decompressed here, as it is read, and the limit
 * counts the decompressed bytes: HAPI would otherwise inflate the whole body in memory, and a 200 KB
 * gzip bomb expanding to 200 MB would exhaust the heap. HAPI then sees a plain body (the header is
 * hidden from it) and does not decompress again.
 *
 * <p>A body under the general limit that is large ({@link LargeBodyPermits}) takes a permit when it is
 * first read (after authentication, which reads no body) and holds it until the answer is sent, as
 * its parsed resources live that long; it gets 503 when no permit frees up in time. Requests with
 * a limit of their own ({@link OwnLimit}: uploads streamed to disk) need no permit.
 */
public class RequestSizeLimitFilter extends OncePerRequestFilter {

	private static final Logger LOG = LoggerFactory.getLogger(RequestSizeLimitFilter.class);
	private static final String CONTENT_ENCODING = "Content-Encoding";

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
	private final LargeBodyPermits permits;

	RequestSizeLimitFilter(long maxBytes, List<OwnLimit> ownLimits, FhirContext fhirContext, LargeBodyPermits permits) {
		if (maxBytes > permits.largestBody()) {
			LOG.warn("Request bodies above {} bytes get 413 although vietfhir.fhir.max-request-size is {}: {}",
					permits.largestBody(), maxBytes, permits.heapLimitReason());
		}
		this.general = maxBytes <= permits.largestBody()
				? new OwnLimit(request -> true, maxBytes, "vietfhir.fhir.max-request-size")
				: new OwnLimit(request -> true, permits.largestBody(),
						"vietfhir.fhir.max-request-size capped by the heap: " + permits.heapLimitReason());
		this.ownLimits = List.copyOf(ownLimits);
		this.fhirContext = fhirContext;
		this.permits = permits;
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
		LargeBodyPermits permitsFor = limit == general ? permits : null;
		LimitedRequest limited;
		if (isGzip(request)) {
			limited = new GunzippedRequest(request, limit, permitsFor);
		} else if (declared < 0 || (permitsFor != null && permits.isLarge(declared))) {
			limited = new LimitedRequest(request, limit, permitsFor);
		} else {
			chain.doFilter(request, response);
			return;
		}
		try {
			chain.doFilter(limited, response);
		} catch (LargeBodyPermits.BusyException e) {
			// the body was read by a filter before HAPI (HAPI answers this exception itself)
			if (response.isCommitted()) {
				throw e;
			}
			response.setHeader("Retry-After", String.valueOf(e.retryAfterSeconds()));
			OperationOutcomes.write(fhirContext, response, e.getStatusCode(), (OperationOutcome) e.getOperationOutcome());
		} finally {
			limited.releasePermit();
		}
	}

	/** The only coding HAPI decompresses ({@code ServletRequestDetails}); others reach the parser as they are. */
	private static boolean isGzip(HttpServletRequest request) {
		String coding = request.getHeader(CONTENT_ENCODING);
		return coding != null && coding.trim().equalsIgnoreCase("gzip");
	}

	private static String tooLargeMessage(OwnLimit limit) {
		return "Nội dung yêu cầu vượt quá giới hạn / Request body exceeds the limit of " + limit.maxBytes()
				+ " bytes (" + limit.setting() + "; a compressed body counts decompressed)";
	}

	private static class LimitedRequest extends HttpServletRequestWrapper {
		private final OwnLimit limit;
		/** null: this body needs no permit. */
		private final LargeBodyPermits permits;
		/** null: none taken (yet). */
		private LargeBodyPermits.Permit permit;
		private ServletInputStream stream;

		LimitedRequest(HttpServletRequest request, OwnLimit limit, LargeBodyPermits permits) {
			super(request);
			this.limit = limit;
			this.permits = permits;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (stream == null) {
				// a declared large body waits before its first byte is read, an undeclared one once it grows large
				if (permits != null && permits.isLarge(getContentLengthLong())) {
					takePermit();
				}
				stream = new CountingStream(body(), limit, this::counted);
			}
			return stream;
		}

		private void counted(long bytes) {
			if (permits != null && permit == null && permits.isLarge(bytes)) {
				takePermit();
			}
		}

		private void takePermit() {
			permit = permits.acquire(getContentLengthLong());
		}

		void releasePermit() {
			if (permit != null) {
				permits.release(permit);
				permit = null;
			}
		}

		/** The bytes to count. */
		InputStream body() throws IOException {
			return super.getInputStream();
		}

		@Override
		public BufferedReader getReader() throws IOException {
			String encoding = getCharacterEncoding();
			return new BufferedReader(new InputStreamReader(
					getInputStream(), encoding != null ? java.nio.charset.Charset.forName(encoding) : StandardCharsets.UTF_8));
		}
	}

	/** A gzip body, decompressed as it is read and counted decompressed; to HAPI an unencoded body of unknown length. */
	private static final class GunzippedRequest extends LimitedRequest {

		GunzippedRequest(HttpServletRequest request, OwnLimit limit, LargeBodyPermits permits) {
			super(request, limit, permits);
		}

		@Override
		InputStream body() throws IOException {
			try {
				return new GZIPInputStream(super.body());
			} catch (ZipException e) {
				throw new InvalidRequestException("Nội dung không phải gzip hợp lệ / Content-Encoding is gzip but the body is not: "
						+ e.getMessage());
			}
		}

		@Override
		public String getHeader(String name) {
			return isHidden(name) ? null : super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			return isHidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
		}

		@Override
		public Enumeration<String> getHeaderNames() {
			return Collections.enumeration(
					Collections.list(super.getHeaderNames()).stream().filter(n -> !isHidden(n)).toList());
		}

		@Override
		public int getContentLength() {
			return -1;
		}

		@Override
		public long getContentLengthLong() {
			return -1;
		}

		private static boolean isHidden(String name) {
			return CONTENT_ENCODING.equalsIgnoreCase(name) || "Content-Length".equalsIgnoreCase(name);
		}
	}

	private static final class CountingStream extends ServletInputStream {
		private final InputStream delegate;
		private final OwnLimit limit;
		private final LongConsumer onCount;
		private long count;

		CountingStream(InputStream delegate, OwnLimit limit, LongConsumer onCount) {
			this.delegate = delegate;
			this.limit = limit;
			this.onCount = onCount;
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
			onCount.accept(count);
		}

		@Override
		public void close() throws IOException {
			delegate.close();
		}

		// a decompressed body is read blocking only (HAPI and our providers read bodies synchronously)
		@Override
		public boolean isFinished() {
			return delegate instanceof ServletInputStream servlet && servlet.isFinished();
		}

		@Override
		public boolean isReady() {
			return !(delegate instanceof ServletInputStream servlet) || servlet.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			if (!(delegate instanceof ServletInputStream servlet)) {
				// Servlet 6 ServletInputStream#setReadListener: IllegalStateException when the request is not in
				// async mode, which is never the case on /fhir (no async servlet or filter is registered there)
				throw new IllegalStateException("Non-blocking reads need an async request; /fhir reads bodies blocking");
			}
			servlet.setReadListener(listener);
		}
	}
}
