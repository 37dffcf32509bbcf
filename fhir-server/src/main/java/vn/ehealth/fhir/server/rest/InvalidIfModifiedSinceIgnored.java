package vn.ehealth.fhir.server.rest;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import ca.uhn.fhir.util.DateUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * "A recipient MUST ignore If-Modified-Since if the received field value is not a valid HTTP-date"
 * (RFC 9110 section 13.1.3). HAPI 8.8 parses it (with the same DateUtils) to null and fails with a 500; the header is
 * hidden from it instead, so the request is answered as if it had not been sent.
 */
class InvalidIfModifiedSinceIgnored extends OncePerRequestFilter {

	static final String IF_MODIFIED_SINCE = "If-Modified-Since";

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String value = request.getHeader(IF_MODIFIED_SINCE);
		chain.doFilter(value == null || DateUtils.parseDate(value) != null ? request : new WithoutIfModifiedSince(request),
				response);
	}

	private static final class WithoutIfModifiedSince extends HttpServletRequestWrapper {
		WithoutIfModifiedSince(HttpServletRequest request) {
			super(request);
		}

		@Override
		public String getHeader(String name) {
			return IF_MODIFIED_SINCE.equalsIgnoreCase(name) ? null : super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			return IF_MODIFIED_SINCE.equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
		}

		@Override
		public long getDateHeader(String name) {
			return IF_MODIFIED_SINCE.equalsIgnoreCase(name) ? -1 : super.getDateHeader(name);
		}

		@Override
		public Enumeration<String> getHeaderNames() {
			return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
					.filter(name -> !IF_MODIFIED_SINCE.equalsIgnoreCase(name))
					.toList());
		}
	}
}
