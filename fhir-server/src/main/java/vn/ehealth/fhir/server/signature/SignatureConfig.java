package vn.ehealth.fhir.server.signature;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import vn.ehealth.fhir.server.rest.FhirServerCustomizer;
import vn.ehealth.fhir.server.security.ClientRegistry;

/** Verification of signed transaction bundles on /fhir. */
@Configuration(proxyBeanMethods = false)
class SignatureConfig {

	@Bean
	FhirServerCustomizer signedSubmissions(ClientRegistry registry, DaoRegistry daos) {
		return server -> server.registerInterceptor(new SignedSubmissionInterceptor(registry, daos));
	}
}
