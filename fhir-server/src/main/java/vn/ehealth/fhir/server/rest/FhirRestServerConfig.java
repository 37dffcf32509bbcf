package vn.ehealth.fhir.server.rest;

import ca.uhn.fhir.batch2.jobs.bulkmodify.reindex.ReindexProvider;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.IJpaSystemProvider;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.provider.TerminologyUploaderProvider;
import ca.uhn.fhir.jpa.provider.ValueSetOperationProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.HardcodedServerAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.interceptor.ResponseHighlighterInterceptor;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import vn.ehealth.fhir.server.validation.GuidePackage;
import vn.ehealth.fhir.server.web.BearerTokenOpenApi;

/**
 * The FHIR REST endpoint at /fhir: HAPI's RestfulServer with the JPA resource providers, the
 * operations we offer, and the interceptors that shape requests and responses. Feature modules add
 * their own interceptors and providers as beans of type {@link FhirServerCustomizer}.
 */
@Configuration(proxyBeanMethods = false)
public class FhirRestServerConfig {

	public static final String FHIR_PATH = "/fhir";

	@Bean
	RestfulServer restfulServer(
			FhirContext fhirContext,
			IFhirSystemDao<?, ?> systemDao,
			ResourceProviderFactory resourceProviders,
			IJpaSystemProvider systemProvider,
			JpaStorageSettings storageSettings,
			ISearchParamRegistry searchParamRegistry,
			IValidationSupport validationSupport,
			DatabaseBackedPagingProvider pagingProvider,
			ValueSetOperationProvider valueSetOperations,
			TerminologyUploaderProvider terminologyUploader,
			ReindexProvider reindex,
			ObjectProvider<FhirServerCustomizer> customizers,
			OperationDefinitions operationDefinitions,
			GuidePackage corePackage,
			FhirSettings fhir) {
		RestfulServer server = new SizedBodyRestfulServer(fhirContext);
		server.setServerName("VietFHIR");
		server.setImplementationDescription("VietFHIR — máy chủ FHIR R4 cho ngành y tế Việt Nam");
		// HAPI's admin operations that are not turned on are not bound
		DroppedBindings.of(server).drop(new AdminOperations(fhir.adminOperations())::isOff);
		server.registerInterceptor(new RefusedWrites(fhirContext));
		server.registerProviders(resourceProviders.createProviders());
		server.registerProvider(systemProvider);
		// $import is ours (package bulkimport), registered through its FhirServerCustomizer
		server.registerProviders(List.of(valueSetOperations, terminologyUploader, reindex));

		JpaCapabilityStatementProvider capabilities = new VietFhirCapabilityStatementProvider(
				server, systemDao, storageSettings, searchParamRegistry, validationSupport, operationDefinitions);
		capabilities.setImplementationDescription("VietFHIR");
		server.setServerConformanceProvider(capabilities);
		String version = FhirRestServerConfig.class.getPackage().getImplementationVersion();
		String guide = corePackage.npm().canonical() + "/ImplementationGuide/" + corePackage.id();
		server.registerInterceptor(new CapabilityStatementEnricher(version != null ? version : "development", guide));

		server.setPagingProvider(pagingProvider);
		server.setDefaultResponseEncoding(EncodingEnum.JSON);
		server.registerInterceptor(new NdjsonRequestResponseFormat());
		server.registerInterceptor(new UnreadableParameterIs400());
		server.registerInterceptor(new SortKeyLimit(fhir.maxSortKeys()));
		server.registerInterceptor(new StatementTimeoutIs503(fhir.statementTimeout()));
		server.registerInterceptor(new DatabaseOutOfResourcesIs503());
		server.registerInterceptor(new MalformedRequestIs400(fhirContext));
		server.registerInterceptor(new KnownClientFaultsAre400());
		server.setDefaultPrettyPrint(false);
		String serverAddress = fhir.serverAddress();
		if (!serverAddress.isBlank()) {
			server.setServerAddressStrategy(new HardcodedServerAddressStrategy(serverAddress));
		}

		// HTML rendering for browsers, and the OpenAPI/Swagger UI at /fhir/swagger-ui/
		server.registerInterceptor(new ResponseHighlighterInterceptor());
		server.registerInterceptor(new BearerTokenOpenApi());

		customizers.orderedStream().forEach(customizer -> customizer.customize(server));
		return server;
	}

	@Bean
	OperationDefinitions operationDefinitions(FhirContext fhirContext) {
		return OperationDefinitions.load(fhirContext);
	}

	@Bean
	SmartInitializingSingleton operationDefinitionPublisher(OperationDefinitions definitions, DaoRegistry daos) {
		return new OperationDefinitionPublisher(definitions, daos);
	}

	@Bean
	ServletRegistrationBean<RestfulServer> fhirServlet(RestfulServer restfulServer) {
		ServletRegistrationBean<RestfulServer> registration =
				new ServletRegistrationBean<>(restfulServer, FHIR_PATH + "/*");
		registration.setName("fhir");
		registration.setLoadOnStartup(1);
		return registration;
	}

	/** GET /fhir/metadata from the last encoded answer for a minute, as long as HAPI keeps the statement. */
	@Bean
	FilterRegistrationBean<MetadataCacheFilter> metadataCacheFilter() {
		FilterRegistrationBean<MetadataCacheFilter> registration =
				new FilterRegistrationBean<>(new MetadataCacheFilter(java.time.Duration.ofMinutes(1)));
		registration.addUrlPatterns(FHIR_PATH + "/metadata");
		registration.setOrder(RequestPipeline.Filters.METADATA_CACHE);
		return registration;
	}

	@Bean
	FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimitFilter(
			FhirSettings fhir, FhirContext fhirContext, ObjectProvider<RequestSizeLimitFilter.OwnLimit> ownLimits) {
		FilterRegistrationBean<RequestSizeLimitFilter> registration = new FilterRegistrationBean<>(new RequestSizeLimitFilter(
				fhir.maxRequestSize().toBytes(), ownLimits.orderedStream().toList(), fhirContext,
				new LargeBodyPermits(fhir.largeBodies())));
		registration.addUrlPatterns(FHIR_PATH + "/*");
		registration.setOrder(RequestPipeline.Filters.REQUEST_SIZE_LIMIT);
		return registration;
	}
}
