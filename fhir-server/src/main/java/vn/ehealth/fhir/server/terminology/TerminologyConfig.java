package vn.ehealth.fhir.server.terminology;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.term.api.ITermDeferredStorageSvc;
import org.hl7.fhir.r4.model.CodeSystem;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import vn.ehealth.fhir.server.rest.FhirServerCustomizer;
import vn.ehealth.fhir.server.validation.GuideValidationSupport;

/** Terminology services on top of HAPI's: accent-insensitive $expand filter, ICD-10 file import. */
@Configuration(proxyBeanMethods = false)
public class TerminologyConfig {

	@Bean
	@DependsOn("guidePackageInstaller") // read imported lists after the package has (re)written the curated ones
	public ImportedCodeSystems importedCodeSystems(
			GuideValidationSupport guideSupport, IValidationSupport validationChain, DaoRegistry daoRegistry) {
		@SuppressWarnings("unchecked")
		IFhirResourceDao<CodeSystem> codeSystems = daoRegistry.getResourceDao("CodeSystem");
		return new ImportedCodeSystems(guideSupport, validationChain, codeSystems);
	}

	@Bean
	public FhirServerCustomizer terminologyServices(
			ImportedCodeSystems importedCodeSystems, DaoRegistry daoRegistry, ITermDeferredStorageSvc deferredStorage) {
		@SuppressWarnings("unchecked")
		IFhirResourceDao<CodeSystem> codeSystems = daoRegistry.getResourceDao("CodeSystem");
		return server -> {
			server.registerInterceptor(new AccentInsensitiveExpansionInterceptor());
			server.registerProvider(new Icd10ImportProvider(codeSystems, importedCodeSystems, deferredStorage));
		};
	}
}
