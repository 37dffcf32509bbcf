package vn.ehealth.fhir.server.observability;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Counts token requests into {@code vietfhir.tokens} by result (granted or refused) and status: a run
 * of 401s is a client with a wrong key or a probe, a run of 403s a client asking beyond its registration.
 */
class TokenRequestMetricsFilter extends OncePerRequestFilter {

	private final MeterRegistry registry;

	TokenRequestMetricsFilter(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(request, response);
		} finally {
			int status = response.getStatus();
			registry.counter("vietfhir.tokens", "result", status == 200 ? "granted" : "refused",
					"status", Integer.toString(status)).increment();
		}
	}
}
