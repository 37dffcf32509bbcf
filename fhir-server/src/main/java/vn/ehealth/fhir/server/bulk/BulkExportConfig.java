package vn.ehealth.fhir.server.bulk;

import ca.uhn.fhir.batch2.jobs.export.BulkDataExportProvider;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import vn.ehealth.fhir.server.observability.ServerMetrics;
import vn.ehealth.fhir.server.audit.AuditTrailInterceptor;
import vn.ehealth.fhir.server.audit.PatientVolumeLimit;
import vn.ehealth.fhir.server.config.VietFhirProperties;
import vn.ehealth.fhir.server.rest.FhirServerCustomizer;
import vn.ehealth.fhir.server.rest.RequestPipeline;
import vn.ehealth.fhir.server.security.AccessControlInterceptor;

/** Bulk Data $export: ours by default; HAPI's stock batch export when configured (for benchmarks). */
@Configuration(proxyBeanMethods = false)
public class BulkExportConfig {

	@Bean
	public ExportJobStore exportJobStore(DataSource dataSource) {
		return new ExportJobStore(dataSource);
	}

	@Bean
	public ExportRunner exportRunner(DataSource dataSource, ExportJobStore store, FhirContext fhirContext,
			DaoRegistry daoRegistry, MatchUrlService matchUrlService, VietFhirProperties properties,
			AuditTrailInterceptor auditTrail, ServerMetrics metrics) {
		VietFhirProperties.BulkExport settings = properties.getBulkExport();
		Path directory = settings.getDirectory() != null ? settings.getDirectory() : properties.getDataDir().resolve("bulk-export");
		return new ExportRunner(dataSource, store, new StoredResources(fhirContext), daoRegistry, matchUrlService, fhirContext,
				directory.toAbsolutePath(), settings.getMaxResourcesPerFile(), auditTrail,
				properties.getSecurity().isEnabled(), metrics);
	}

	@Bean
	public ExportWorkers exportWorkers(
			ExportJobStore store, ExportRunner runner, VietFhirProperties properties, ServerMetrics metrics) {
		VietFhirProperties.BulkExport settings = properties.getBulkExport();
		return new ExportWorkers(store, runner, settings.getWorkers(), settings.getStaleAfter(), settings.getPollInterval(),
				settings.getRetention(), metrics);
	}

	@Bean
	@Order(50)
	public FhirServerCustomizer bulkExport(FhirContext fhirContext, ExportJobStore store, ExportWorkers workers,
			ExportRunner runner, MatchUrlService matchUrlService, ObjectProvider<BulkDataExportProvider> hapiExport,
			VietFhirProperties properties, PatientVolumeLimit volumeLimit) {
		VietFhirProperties.BulkExport settings = properties.getBulkExport();
		if (settings.getEngine() == VietFhirProperties.BulkExport.Engine.HAPI) {
			return server -> {
				server.registerProvider(hapiExport.getObject());
				if (properties.getSecurity().isEnabled()) {
					server.registerInterceptor(new HapiExportScopes());
				}
			};
		}
		return server -> {
			server.registerProvider(new BulkExportProvider(fhirContext, store, workers, runner, matchUrlService,
					settings.getRetention(), settings.getRetryAfter(), properties.getSecurity().isEnabled(), volumeLimit));
			server.registerInterceptor(new BulkDataCapabilities());
		};
	}

	/** HAPI's export does not check scopes per type: with it, an export needs read on every type. */
	public static final class HapiExportScopes {
		@Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, order = RequestPipeline.PreHandled.HAPI_EXPORT_SCOPES)
		public void check(RequestDetails request) {
			String operation = request.getOperation();
			if (operation != null && operation.startsWith("$export")) {
				var access = (AccessControlInterceptor.Access) request.getUserData().get(AccessControlInterceptor.ACCESS);
				if (access == null || !access.token().scopes().allowsAllTypes('r')) {
					throw new ForbiddenOperationException("HAPI's bulk export needs system/*.r");
				}
			}
		}
	}
}
