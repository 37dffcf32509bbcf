package vn.ehealth.fhir.server.web;

import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.to.FhirTesterMvcConfig;
import ca.uhn.fhir.to.TesterConfig;
import ca.uhn.fhir.to.client.BearerTokenClientFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.thymeleaf.spring6.templateresolver.SpringResourceTemplateResolver;
import org.thymeleaf.templatemode.TemplateMode;

/**
 * HAPI's web test page at the site root (http://localhost:8080/), pointed at our own /fhir endpoint.
 * Its files are unpacked from the hapi-fhir-testpage-overlay war into classpath:/testpage at build
 * time (see the pom). HAPI's config looks for them in a war's servlet context; the template resolver
 * and static file filter here read the classpath instead, so the executable jar serves them too.
 */
@Configuration(proxyBeanMethods = false)
@Import(FhirTesterMvcConfig.class)
@ConditionalOnProperty(name = WebTestPageSettings.KEY, havingValue = "true", matchIfMissing = true)
class WebTestPageConfig {

	private static final String ROOT = "classpath:/testpage/";

	@Bean
	TesterConfig testerConfig() {
		TesterConfig tester = new TesterConfig();
		tester.addServer()
				.withId("vietfhir")
				.withFhirVersion(FhirVersionEnum.R4)
				.withBaseUrl("${serverBase}/fhir")
				.withName("VietFHIR")
				// /fhir needs a token: the page gets a field for one and sends it as a Bearer token
				.allowsApiKey();
		tester.setClientFactory(new BearerTokenClientFactory());
		// the page only talks to this server
		tester.setRefuseToFetchThirdPartyUrls(true);
		return tester;
	}

	/**
	 * Replaces FhirTesterMvcConfig's resolver of the same name, which reads /WEB-INF of a war; its
	 * templates post the page form, so the token field stays out of URLs ({@link TokenSafeTemplateResolver}).
	 */
	@Bean
	SpringResourceTemplateResolver templateResolver() {
		SpringResourceTemplateResolver resolver = new TokenSafeTemplateResolver();
		resolver.setPrefix(ROOT + "WEB-INF/templates/");
		resolver.setSuffix(".html");
		resolver.setTemplateMode(TemplateMode.HTML);
		resolver.setCharacterEncoding("UTF-8");
		return resolver;
	}

	/**
	 * The page's own css/img/js. A servlet filter rather than an MVC resource handler because HAPI's
	 * config maps the same paths to the (absent) war folders and MVC keeps only one mapping per path.
	 */
	@Bean
	FilterRegistrationBean<TestPageStaticFilter> testPageStaticFilter() {
		FilterRegistrationBean<TestPageStaticFilter> registration =
				new FilterRegistrationBean<>(new TestPageStaticFilter("testpage"));
		registration.addUrlPatterns("/css/*", "/img/*", "/js/*");
		return registration;
	}
}
