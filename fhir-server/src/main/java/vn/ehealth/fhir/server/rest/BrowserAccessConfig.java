package vn.ehealth.fhir.server.rest;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;
import vn.ehealth.fhir.server.security.PurposeOfUse;

/**
 * CORS for browser apps of the origins in {@code vietfhir.fhir.cors.allowed-origins} (none by default:
 * a server holding patient records answers no other site's page unless the operator says so). A servlet
 * filter ahead of everything else, so a preflight (OPTIONS, which carries no token) is answered 200
 * before the access control of /fhir or /admin sees it.
 */
@Configuration(proxyBeanMethods = false)
class BrowserAccessConfig {

	/** Headers a FHIR app sends: the token, the purpose of use, conditional and Prefer headers. */
	private static final List<String> REQUEST_HEADERS = List.of(
			"Authorization", "Content-Type", "Accept", PurposeOfUse.HEADER, "Prefer", "If-Match", "If-None-Match",
			"If-None-Exist", "If-Modified-Since", "X-Request-ID");
	/** Response headers a script may read: where a created resource or export job is, versions, progress. */
	private static final List<String> RESPONSE_HEADERS = List.of(
			"Location", "Content-Location", "ETag", "Last-Modified", "X-Progress", "Retry-After", "X-Request-ID",
			"WWW-Authenticate");

	private static final List<String> API_PATHS = List.of(FhirRestServerConfig.FHIR_PATH, "/auth", "/admin", "/.well-known");

	/** Just after Spring's observation filter, so preflights are still timed and logged. */
	static final int ORDER = RequestPipeline.Filters.CORS;

	@Bean
	FilterRegistrationBean<CorsFilter> corsFilter(FhirSettings fhir) {
		List<String> origins = fhir.cors().allowedOrigins();
		CorsConfiguration cors = new CorsConfiguration();
		cors.setAllowedOrigins(origins);
		cors.setAllowedMethods(List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"));
		cors.setAllowedHeaders(REQUEST_HEADERS);
		cors.setExposedHeaders(RESPONSE_HEADERS);
		// bearer tokens, not cookies: no credentials mode, so "*" stays possible
		cors.setAllowCredentials(false);
		cors.setMaxAge(Duration.ofHours(1));
		// the APIs only (by full path: Spring's path matching would see /fhir/Patient as /Patient of the
		// fhir servlet); the web test page and Swagger UI are same-origin pages
		CorsConfigurationSource source = request -> isApi(request.getRequestURI().substring(request.getContextPath().length()))
				? cors : null;
		FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(new CorsFilter(source));
		registration.setOrder(ORDER);
		registration.setEnabled(!origins.isEmpty());
		return registration;
	}

	private static boolean isApi(String path) {
		return API_PATHS.stream().anyMatch(api -> path.equals(api) || path.startsWith(api + "/"));
	}
}
