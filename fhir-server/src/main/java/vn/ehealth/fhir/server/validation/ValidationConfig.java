package vn.ehealth.fhir.server.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.packages.IHapiPackageCacheManager;
import ca.uhn.fhir.jpa.packages.IPackageInstallerSvc;
import ca.uhn.fhir.jpa.validation.JpaValidationSupportChain;
import ca.uhn.fhir.validation.IValidatorModule;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import vn.ehealth.fhir.server.observability.ServerMetrics;
import vn.ehealth.fhir.server.rest.FhirRestServerConfig;
import vn.ehealth.fhir.server.rest.FhirServerCustomizer;
import vn.ehealth.fhir.server.rest.RequestPipeline;

/** VietFHIR Core (and any extra packages) loaded into validation, the database, and write enforcement. */
@Configuration(proxyBeanMethods = false)
class ValidationConfig {

	@Bean
	GuidePackage corePackage() {
		return GuidePackage.core();
	}

	@Bean
	GuideValidationSupport guideValidationSupport(
			FhirContext fhirContext,
			GuidePackage corePackage,
			ValidationSettings settings,
			JpaValidationSupportChain validationChain) {
		List<GuidePackage> extras =
				settings.extraPackages().stream().map(GuidePackage::file).toList();
		GuideValidationSupport support = new GuideValidationSupport(fhirContext, corePackage, extras);
		// right after FHIR's own definitions, ahead of the database lookups
		validationChain.addValidationSupport(1, support);
		return support;
	}

	@Bean
	GuidePackageInstaller guidePackageInstaller(
			GuidePackage corePackage,
			ValidationSettings settings,
			IPackageInstallerSvc installer,
			IHapiPackageCacheManager packageCache) {
		List<GuidePackage> packages = new ArrayList<>();
		packages.add(corePackage);
		settings.extraPackages().stream().map(GuidePackage::file).forEach(packages::add);
		return new GuidePackageInstaller(packages, installer, packageCache);
	}

	/**
	 * The validator of writes: HAPI's instance validator as the JPA server configures it, on HL7
	 * validators reused from call to call ({@link PooledInstanceValidator}).
	 */
	@Bean
	IValidatorModule pooledInstanceValidator(@Qualifier("myInstanceValidator") IValidatorModule hapiValidator) {
		return new PooledInstanceValidator((FhirInstanceValidator) hapiValidator);
	}

	@Bean
	ProfileEnforcingInterceptor profileEnforcingInterceptor(
			FhirContext fhirContext,
			@Qualifier("pooledInstanceValidator") IValidatorModule instanceValidator,
			@Qualifier("myInstanceValidator") IValidatorModule hapiValidator,
			GuideValidationSupport guideValidationSupport,
			ValidationSettings settings,
			ServerMetrics metrics) {
		CompiledConformance compiledChecks = new CompiledConformance(fhirContext,
				((FhirInstanceValidator) hapiValidator).getValidationSupport(), guideValidationSupport.profileByType());
		return new ProfileEnforcingInterceptor(
				fhirContext, instanceValidator, guideValidationSupport.profileByType(), settings, metrics, compiledChecks);
	}

	@Bean
	FilterRegistrationBean<ValidateParametersFilter> validateParametersFilter(FhirContext fhirContext) {
		FilterRegistrationBean<ValidateParametersFilter> registration =
				new FilterRegistrationBean<>(new ValidateParametersFilter(fhirContext));
		registration.addUrlPatterns(FhirRestServerConfig.FHIR_PATH + "/*");
		registration.setOrder(RequestPipeline.Filters.VALIDATE_PARAMETERS);
		return registration;
	}

	@Bean
	FhirServerCustomizer validationOnWrite(ProfileEnforcingInterceptor interceptor) {
		return server -> server.registerInterceptor(interceptor);
	}
}
