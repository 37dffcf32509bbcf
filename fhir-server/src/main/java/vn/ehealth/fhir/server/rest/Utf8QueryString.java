package vn.ehealth.fhir.server.rest;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The raw query string as UTF-8. HAPI parses {@code getQueryString()} itself, and Tomcat turns its
 * bytes into text as ISO-8859-1, so raw UTF-8 bytes ({@link Utf8RequestTargetProtocol}) would reach
 * HAPI as "NguyÃ¡Â»â€¦n". ISO-8859-1 maps each byte to one char, so the bytes are recovered exactly and
 * decoded as UTF-8; a percent-encoded (ASCII) query is passed on untouched.
 */
class Utf8QueryString extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String query = request.getQueryString();
		if (query == null || query.chars().allMatch(c -> c < 0x80)) {
			chain.doFilter(request, response);
			return;
		}
		String decoded = new String(query.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
		chain.doFilter(new HttpServletRequestWrapper(request) {
			@Override
			public String getQueryString() {
				return decoded;
			}
		}, response);
	}
}
