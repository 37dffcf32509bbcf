package vn.ehealth.fhir.server.rest;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.DispatcherType;
import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tomcat and the servlet layer in front of HAPI: requests as clients send them accepted (raw UTF-8 in
 * the query), errors answered before HAPI (by Tomcat, or on the servlet error dispatch) as
 * OperationOutcomes for /fhir, and request headers HTTP says to ignore kept from HAPI.
 */
@Configuration(proxyBeanMethods = false)
class ServletContainerConfig {

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> utf8RequestTargets() {
		return factory -> factory.setProtocol(Utf8RequestTargetProtocol.class.getName());
	}

	/**
	 * Replaces the host's error report valve (Spring Boot adds a plain ErrorReportValve) with
	 * {@link OperationOutcomeErrorReportValve}. Runs after Spring Boot's own customizer, so its valve
	 * is already there to be replaced; naming the class on the host keeps Tomcat from adding another.
	 */
	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> operationOutcomeErrorReports() {
		return new WebServerFactoryCustomizer<>() {
			@Override
			public void customize(TomcatServletWebServerFactory factory) {
				factory.addContextCustomizers(context -> {
					Host host = (Host) context.getParent();
					for (Valve valve : host.getPipeline().getValves()) {
						if (valve instanceof ErrorReportValve) {
							host.getPipeline().removeValve(valve);
						}
					}
					if (host instanceof StandardHost standardHost) {
						standardHost.setErrorReportValveClass(OperationOutcomeErrorReportValve.class.getName());
					}
					host.getPipeline().addValve(new OperationOutcomeErrorReportValve());
				});
			}
		};
	}

	@Bean
	FilterRegistrationBean<ErrorDispatchOutcomeFilter> errorDispatchOutcomeFilter(FhirContext fhirContext) {
		FilterRegistrationBean<ErrorDispatchOutcomeFilter> registration =
				new FilterRegistrationBean<>(new ErrorDispatchOutcomeFilter(fhirContext));
		registration.setDispatcherTypes(DispatcherType.ERROR);
		registration.addUrlPatterns("/*");
		registration.setOrder(RequestPipeline.OtherFilters.ERROR_DISPATCH_OUTCOME);
		return registration;
	}

	@Bean
	FilterRegistrationBean<InvalidIfModifiedSinceIgnored> invalidIfModifiedSinceIgnored() {
		FilterRegistrationBean<InvalidIfModifiedSinceIgnored> registration =
				new FilterRegistrationBean<>(new InvalidIfModifiedSinceIgnored());
		registration.addUrlPatterns(FhirRestServerConfig.FHIR_PATH + "/*");
		registration.setOrder(RequestPipeline.Filters.INVALID_IF_MODIFIED_SINCE_IGNORED);
		return registration;
	}

	@Bean
	FilterRegistrationBean<Utf8QueryString> utf8QueryString() {
		FilterRegistrationBean<Utf8QueryString> registration = new FilterRegistrationBean<>(new Utf8QueryString());
		registration.addUrlPatterns(FhirRestServerConfig.FHIR_PATH + "/*");
		registration.setOrder(RequestPipeline.Filters.UTF8_QUERY_STRING);
		return registration;
	}
}
