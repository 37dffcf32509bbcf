package vn.ehealth.fhir.server.terminology;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.term.api.ITermDeferredStorageSvc;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.ValueSet;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import vn.ehealth.fhir.server.rest.FhirServerCustomizer;
import vn.ehealth.fhir.server.validation.GuideValidationSupport;

/** Terminology services on top of HAPI's: accent-insensitive $expand filter, ICD-10 and commune file imports. */
@Configuration(proxyBeanMethods = false)
class TerminologyConfig {

	@Bean
	@DependsOn("guidePackageInstaller") // read imported lists after the package has (re)written the curated ones
	ImportedCodeSystems importedCodeSystems(
			GuideValidationSupport guideSupport, IValidationSupport validationChain, DaoRegistry daoRegistry) {
		return new ImportedCodeSystems(
				guideSupport, validationChain, daoRegistry.getResourceDao(CodeSystem.class), daoRegistry.getResourceDao(ValueSet.class));
	}

	/** Lists imported through another node sharing the database reach this node's validator too. */
	@Bean(destroyMethod = "close")
	ImportedCodeSystems.Refresher importedCodeSystemsRefresher(
			ImportedCodeSystems importedCodeSystems, vn.ehealth.fhir.server.storage.ClusterSettings cluster) {
		return importedCodeSystems.refreshEvery(cluster.terminologyRefresh());
	}

	@Bean
	FhirServerCustomizer terminologyServices(
			ImportedCodeSystems importedCodeSystems, DaoRegistry daoRegistry, ITermDeferredStorageSvc deferredStorage) {
		CodeSystemImportProvider imports = new CodeSystemImportProvider(
				daoRegistry.getResourceDao(CodeSystem.class),
				daoRegistry.getResourceDao(ValueSet.class),
				importedCodeSystems,
				deferredStorage);
		return server -> {
			server.registerInterceptor(new AccentInsensitiveExpansionInterceptor());
			server.registerProvider(imports);
		};
	}
}
