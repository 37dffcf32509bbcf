package vn.ehealth.fhir.server.directory;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import vn.ehealth.fhir.server.audit.SafeguardSettings;
import vn.ehealth.fhir.server.security.PublicReadPolicy;

/** The public directory on /fhir (on unless {@code vietfhir.safeguards.public-directory=false}). */
@Configuration(proxyBeanMethods = false)
class DirectoryConfig {

	@Bean
	@ConditionalOnProperty(name = SafeguardSettings.PUBLIC_DIRECTORY_KEY, havingValue = "true", matchIfMissing = true)
	PublicReadPolicy publicDirectory(
			FhirContext fhirContext, ISearchParamRegistry searchParams, SafeguardSettings settings) {
		return new PublicDirectory(fhirContext, searchParams, settings);
	}
}
