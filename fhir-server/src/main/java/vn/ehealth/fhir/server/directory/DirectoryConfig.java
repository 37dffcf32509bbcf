package vn.ehealth.fhir.server.directory;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import vn.ehealth.fhir.server.config.VietFhirProperties;
import vn.ehealth.fhir.server.security.PublicReadPolicy;

/** The public directory on /fhir (on unless {@code vietfhir.safeguards.public-directory=false}). */
@Configuration(proxyBeanMethods = false)
public class DirectoryConfig {

	@Bean
	@ConditionalOnProperty(prefix = "vietfhir.safeguards", name = "public-directory", havingValue = "true", matchIfMissing = true)
	public PublicReadPolicy publicDirectory(
			FhirContext fhirContext, ISearchParamRegistry searchParams, VietFhirProperties properties) {
		return new PublicDirectory(fhirContext, searchParams, properties.getSafeguards());
	}
}
