package vn.ehealth.fhir.server.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;
import vn.ehealth.fhir.server.rest.FhirRestServerConfig;

/**
 * Times every /fhir request into {@code vietfhir.fhir.requests} (tags interaction, resource_type, status,
 * outcome), and gives Spring's {@code http.server.requests} a URI template for it: HAPI's servlet is not
 * a Spring MVC handler, so Spring would tag every FHIR request {@code UNKNOWN}.
 */
class FhirRequestMetricsFilter extends OncePerRequestFilter {

	static final String TIMER = "vietfhir.fhir.requests";

	private final MeterRegistry registry;
	private final Set<String> resourceTypes;

	FhirRequestMetricsFilter(MeterRegistry registry, Set<String> resourceTypes) {
		this.registry = registry;
		this.resourceTypes = resourceTypes;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Timer.Sample sample = Timer.start(registry);
		try {
			chain.doFilter(request, response);
		} finally {
			int status = response.getStatus();
			sample.stop(Timer.builder(TIMER)
					.description("FHIR requests by interaction, resource type and status")
					.tag("interaction", RequestFacts.interaction(request))
					.tag("resource_type", RequestFacts.resourceType(request))
					.tag("status", Integer.toString(status))
					.tag("outcome", outcome(status))
					.register(registry));
			ServerHttpObservationFilter.findObservationContext(request)
					.ifPresent(context -> context.setPathPattern(uriTemplate(request)));
		}
	}

	private static String outcome(int status) {
		return status >= 500 ? "SERVER_ERROR" : status >= 400 ? "CLIENT_ERROR" : status >= 300 ? "REDIRECTION" : "SUCCESS";
	}

	/**
	 * The request path with ids, types and operations replaced by placeholders
	 * ({@code /fhir/{type}/{id}/_history/{id}}, {@code /fhir/{type}/{operation}}): a handful of values.
	 */
	String uriTemplate(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		StringBuilder template = new StringBuilder(FhirRestServerConfig.FHIR_PATH);
		String[] segments = path.substring(Math.min(path.length(), FhirRestServerConfig.FHIR_PATH.length())).split("/");
		int position = 0;
		for (String segment : segments) {
			if (segment.isEmpty()) {
				continue;
			}
			template.append('/').append(placeholder(segment, position++));
		}
		return template.toString();
	}

	private String placeholder(String segment, int position) {
		if (segment.startsWith("$")) {
			return "{operation}";
		}
		if (segment.equals("_history") || segment.equals("_search") || position == 0 && segment.equals(".well-known")) {
			return segment;
		}
		if (position == 0) {
			return segment.equals("metadata") ? segment : resourceTypes.contains(segment) ? "{type}" : "{unknown}";
		}
		return "{id}";
	}
}
