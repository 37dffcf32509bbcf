package vn.ehealth.fhir.server.observability;

import ca.uhn.fhir.context.FhirContext;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import vn.ehealth.fhir.server.rest.FhirRestServerConfig;
import vn.ehealth.fhir.server.rest.FhirServerCustomizer;
import vn.ehealth.fhir.server.rest.RequestPipeline;
import vn.ehealth.fhir.server.security.TokenEndpoint;

/**
 * What operators watch: the access log ({@code vietfhir.access}) and the Prometheus metrics at
 * /actuator/prometheus ({@code vietfhir.fhir.requests}, token, validation, audit and bulk counters).
 * The filters sit just inside Spring's observation filter (order +1), outside everything else.
 */
@Configuration(proxyBeanMethods = false)
class ObservabilityConfig {

	@Bean
	ServerMetrics serverMetrics(MeterRegistry registry) {
		return new ServerMetrics(registry);
	}

	@Bean
	FhirServerCustomizer requestFacts(FhirContext fhirContext) {
		return server -> server.registerInterceptor(new RequestFacts(fhirContext));
	}

	@Bean
	FilterRegistrationBean<AccessLogFilter> accessLogFilter() {
		FilterRegistrationBean<AccessLogFilter> registration = new FilterRegistrationBean<>(new AccessLogFilter());
		registration.setOrder(RequestPipeline.Filters.ACCESS_LOG);
		return registration;
	}

	@Bean
	FilterRegistrationBean<FhirRequestMetricsFilter> fhirRequestMetricsFilter(
			MeterRegistry registry, FhirContext fhirContext) {
		FilterRegistrationBean<FhirRequestMetricsFilter> registration =
				new FilterRegistrationBean<>(new FhirRequestMetricsFilter(registry, fhirContext.getResourceTypes()));
		registration.addUrlPatterns(FhirRestServerConfig.FHIR_PATH, FhirRestServerConfig.FHIR_PATH + "/*");
		registration.setOrder(RequestPipeline.Filters.FHIR_REQUEST_METRICS);
		return registration;
	}

	@Bean
	FilterRegistrationBean<TokenRequestMetricsFilter> tokenRequestMetricsFilter(MeterRegistry registry) {
		FilterRegistrationBean<TokenRequestMetricsFilter> registration =
				new FilterRegistrationBean<>(new TokenRequestMetricsFilter(registry));
		registration.addUrlPatterns(TokenEndpoint.PATH);
		registration.setOrder(RequestPipeline.OtherFilters.TOKEN_REQUEST_METRICS);
		return registration;
	}
}
