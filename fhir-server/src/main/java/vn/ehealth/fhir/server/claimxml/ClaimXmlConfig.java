package vn.ehealth.fhir.server.claimxml;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import vn.ehealth.fhir.server.rest.FhirServerCustomizer;
import vn.ehealth.fhir.server.rest.RequestSizeLimitFilter;
import vn.ehealth.fhir.server.validation.ProfileEnforcingInterceptor;

/** $import-claim-xml: the operation and its own request size limit. */
@Configuration(proxyBeanMethods = false)
class ClaimXmlConfig {

	@Bean
	FhirServerCustomizer claimXmlImport(FhirContext fhirContext, IFhirSystemDao<Bundle, Meta> systemDao,
			ProfileEnforcingInterceptor validation, DaoRegistry daos, ClaimXmlSettings settings) {
		ClaimXmlProvider provider = new ClaimXmlProvider(fhirContext, systemDao, validation, new ExistingRecords(daos), settings);
		return server -> server.registerProvider(provider);
	}

	/** An envelope carries its tables base64-encoded: it gets its own limit, the one the reader enforces too. */
	@Bean
	RequestSizeLimitFilter.OwnLimit claimXmlLimit(ClaimXmlSettings settings) {
		return new RequestSizeLimitFilter.OwnLimit(ClaimXmlProvider::isClaimXml, settings.maxEnvelopeSize().toBytes(),
				ClaimXmlSettings.PREFIX + ".max-envelope-size");
	}
}
