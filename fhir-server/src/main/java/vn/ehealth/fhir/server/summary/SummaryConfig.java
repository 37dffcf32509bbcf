package vn.ehealth.fhir.server.summary;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import vn.ehealth.fhir.server.rest.FhirServerCustomizer;

/** Patient/$summary: the IPS-shaped patient summary document the national EHR portal reads. */
@Configuration(proxyBeanMethods = false)
public class SummaryConfig {

	@Bean
	public FhirServerCustomizer patientSummary(FhirContext fhirContext, DaoRegistry daoRegistry) {
		PatientSummaryProvider provider =
				new PatientSummaryProvider(daoRegistry, new PatientSummaryBuilder(fhirContext, daoRegistry));
		return server -> {
			server.registerProvider(provider);
			server.registerInterceptor(new EverythingSinceInterceptor());
		};
	}
}
