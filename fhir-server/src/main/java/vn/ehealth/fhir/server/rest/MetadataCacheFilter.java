package vn.ehealth.fhir.server.rest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Serves {@code GET /fhir/metadata} from the bytes of the last answer to the same request for a
 * minute. HAPI keeps the CapabilityStatement for a minute too, but encodes its 1.6 MB (every type,
 * every search parameter) on each call: about 150 ms of CPU for a URL anyone may call without a
 * token. Keyed by the request URL (host and scheme included: the statement names the base URL),
 * the query, Accept, Origin and the forwarding headers, so each form and each public address gets
 * its own copy, headers included. {@value #CACHE_HEADER} says whether the answer came from the copy.
 */
class MetadataCacheFilter extends OncePerRequestFilter {

	static final String CACHE_HEADER = "X-Cache";
	private static final Set<String> NOT_REPLAYED =
			Set.of("date", "content-length", "transfer-encoding", "set-cookie", "connection", "x-request-id",
					CACHE_HEADER.toLowerCase(Locale.ROOT));
	private static final int LARGEST_KEPT = 16 * 1024 * 1024;

	private record Copy(String contentType, List<String[]> headers, byte[] body) {}

	private final Cache<String, Copy> copies;

	MetadataCacheFilter(Duration keepFor) {
		this.copies = Caffeine.newBuilder().expireAfterWrite(keepFor).maximumSize(64).build();
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !"GET".equals(request.getMethod()) || !request.getRequestURI().endsWith("/metadata");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String key = key(request);
		Copy copy = copies.getIfPresent(key);
		if (copy != null) {
			response.setStatus(HttpServletResponse.SC_OK);
			for (String[] header : copy.headers()) {
				response.addHeader(header[0], header[1]);
			}
			response.setContentType(copy.contentType());
			response.setHeader(CACHE_HEADER, "hit");
			response.setContentLength(copy.body().length);
			response.getOutputStream().write(copy.body());
			return;
		}
		ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
		captured.setHeader(CACHE_HEADER, "miss");
		chain.doFilter(request, captured);
		byte[] body = captured.getContentAsByteArray();
		if (captured.getStatus() == HttpServletResponse.SC_OK && body.length > 0 && body.length <= LARGEST_KEPT) {
			List<String[]> headers = new ArrayList<>();
			for (String name : captured.getHeaderNames()) {
				if (!NOT_REPLAYED.contains(name.toLowerCase(Locale.ROOT)) && !"content-type".equalsIgnoreCase(name)) {
					for (String value : captured.getHeaders(name)) {
						headers.add(new String[] {name, value});
					}
				}
			}
			copies.put(key, new Copy(captured.getContentType(), headers, body));
		}
		captured.copyBodyToResponse();
	}

	private static String key(HttpServletRequest request) {
		return request.getRequestURL() + "?" + request.getQueryString()
				+ "|" + request.getHeader("Accept")
				+ "|" + request.getHeader("Origin")
				+ "|" + request.getHeader("Forwarded")
				+ "|" + request.getHeader("X-Forwarded-Host")
				+ "|" + request.getHeader("X-Forwarded-Proto")
				+ "|" + request.getHeader("X-Forwarded-Prefix");
	}
}
