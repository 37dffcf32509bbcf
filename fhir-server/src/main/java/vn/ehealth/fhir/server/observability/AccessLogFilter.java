package vn.ehealth.fhir.server.observability;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * One line per request on the logger {@code vietfhir.access} (INFO): method, path, the names of the
 * query parameters but never their values (a search by CCCD or name must not put the citizen's number
 * into log files, Decree 13/2023 on personal data), status, duration, calling client and request id.
 */
class AccessLogFilter extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger("vietfhir.access");
	/** Longest parameter name written: a parameter name is not a place for data either. */
	private static final int MAX_NAME = 60;

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long start = System.nanoTime();
		try {
			chain.doFilter(request, response);
		} finally {
			if (log.isInfoEnabled()) {
				long millis = (System.nanoTime() - start) / 1_000_000;
				String requestId = response.getHeader("X-Request-ID");
				log.info("{} {}{} {} {}ms client={}{}", request.getMethod(), request.getRequestURI(),
						parameterNames(request.getQueryString()), response.getStatus(), millis,
						RequestFacts.clientId(request), requestId == null ? "" : " request=" + requestId);
			}
		}
	}

	/** {@code ?name&other} for {@code ?name=x&other=y}: the names, each once, in order. */
	static String parameterNames(String query) {
		if (query == null || query.isEmpty()) {
			return "";
		}
		Set<String> names = new LinkedHashSet<>();
		for (String pair : query.split("&")) {
			int equals = pair.indexOf('=');
			String name = decode(equals < 0 ? pair : pair.substring(0, equals));
			if (!name.isEmpty()) {
				names.add(name.length() > MAX_NAME ? name.substring(0, MAX_NAME) + "…" : name);
			}
		}
		return names.isEmpty() ? "" : "?" + String.join("&", names);
	}

	private static String decode(String text) {
		try {
			return URLDecoder.decode(text, StandardCharsets.UTF_8).replaceAll("[\\s&=]", "_");
		} catch (IllegalArgumentException e) {
			return "?";
		}
	}
}
