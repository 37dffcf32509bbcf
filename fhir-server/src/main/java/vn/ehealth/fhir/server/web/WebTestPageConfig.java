package vn.ehealth.fhir.server.web;

import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.to.FhirTesterMvcConfig;
import ca.uhn.fhir.to.TesterConfig;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * HAPI's web test page at the site root (http://localhost:8080/), pointed at our own /fhir endpoint.
 * Its files are unpacked from the hapi-fhir-testpage-overlay war at build time (see the pom).
 */
@Configuration(proxyBeanMethods = false)
@Import(FhirTesterMvcConfig.class)
@ConditionalOnProperty(name = "vietfhir.web-test-page", havingValue = "true", matchIfMissing = true)
public class WebTestPageConfig {

	@Bean
	public TesterConfig testerConfig() {
		TesterConfig tester = new TesterConfig();
		tester.addServer()
				.withId("vietfhir")
				.withFhirVersion(FhirVersionEnum.R4)
				.withBaseUrl("${serverBase}/fhir")
				.withName("VietFHIR");
		// the page only talks to this server
		tester.setRefuseToFetchThirdPartyUrls(true);
		return tester;
	}
}
