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
import vn.ehealth.fhir.server.rest.FhirServerCustomizer;
import vn.ehealth.fhir.server.rest.RequestPipeline;
import vn.ehealth.fhir.server.security.AccessControlInterceptor;
import vn.ehealth.fhir.server.security.SecuritySettings;
import vn.ehealth.fhir.server.storage.DataDirectory;

/** Bulk Data $export: ours by default; HAPI's stock batch export when configured (for benchmarks). */
@Configuration(proxyBeanMethods = false)
public class BulkExportConfig {

	private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BulkExportConfig.class);

	@Bean
	ExportJobStore exportJobStore(DataSource dataSource) {
		return new ExportJobStore(dataSource);
	}

	@Bean
	ExportRunner exportRunner(DataSource dataSource, ExportJobStore store, FhirContext fhirContext,
			DaoRegistry daoRegistry, MatchUrlService matchUrlService, BulkExportSettings settings,
			SecuritySettings security, DataDirectory dataDirectory, AuditTrailInterceptor auditTrail, ServerMetrics metrics) {
		Path directory = dataDirectory.bulkExport(settings.directory());
		return new ExportRunner(dataSource, store, new StoredResources(fhirContext), daoRegistry, matchUrlService, fhirContext,
				directory.toAbsolutePath(), settings.maxResourcesPerFile(), auditTrail,
				security.enabled(), metrics);
	}

	@Bean
	ExportWorkers exportWorkers(
			ExportJobStore store, ExportRunner runner, BulkExportSettings settings, ServerMetrics metrics) {
		return new ExportWorkers(store, runner, settings.workers(), settings.staleAfter(), settings.pollInterval(),
				settings.retention(), metrics);
	}

	@Bean
	@Order(50)
	FhirServerCustomizer bulkExport(FhirContext fhirContext, ExportJobStore store, ExportWorkers workers,
			ExportRunner runner, MatchUrlService matchUrlService, ObjectProvider<BulkDataExportProvider> hapiExport,
			BulkExportSettings settings, SecuritySettings security, PatientVolumeLimit volumeLimit) {
		if (settings.engine() == BulkExportSettings.Engine.HAPI) {
			LOG.warn("vietfhir.bulk-export.engine=hapi: HAPI's stock $export answers, a comparison switch for the"
					+ " benchmarks only, not for production / công tắc so sánh cho benchmark, không dùng khi vận hành");
			return server -> {
				server.registerProvider(hapiExport.getObject());
				if (security.enabled()) {
					server.registerInterceptor(new HapiExportScopes());
				}
			};
		}
		return server -> {
			server.registerProvider(new BulkExportProvider(fhirContext, store, workers, runner, matchUrlService,
					settings.retention(), settings.retryAfter(), security.enabled(), volumeLimit));
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
