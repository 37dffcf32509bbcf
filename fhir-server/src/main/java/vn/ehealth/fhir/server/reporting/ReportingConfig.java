package vn.ehealth.fhir.server.reporting;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import org.hl7.fhir.r4.model.Measure;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import jakarta.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import vn.ehealth.fhir.server.rest.FhirServerCustomizer;

/**
 * Statistics of Circular 38/2024/TT-BYT (issue 20): fact tables kept current on every write,
 * Measure/[id]/$evaluate-measure, the CSV and XLSX downloads under /reports, and the rebuild.
 */
@Configuration(proxyBeanMethods = false)
class ReportingConfig {

	private static final Logger LOG = LoggerFactory.getLogger(ReportingConfig.class);

	@Bean
	ReportQuery reportQuery(DataSource dataSource) {
		return new ReportQuery(dataSource);
	}

	@Bean
	EvaluateMeasureProvider evaluateMeasureProvider(ReportQuery query, ReportingSettings settings) {
		return new EvaluateMeasureProvider(query, settings);
	}

	@Bean
	ApplicationListener<ApplicationReadyEvent> publishedMeasures(FhirContext fhirContext, DaoRegistry daos) {
		PublishedMeasures measures = new PublishedMeasures(fhirContext, daos.getResourceDao(Measure.class));
		return event -> measures.store();
	}

	@Bean
	FactRebuild factRebuild(DataSource dataSource, DaoRegistry daos) {
		return new FactRebuild(dataSource, daos);
	}

	@Bean
	ApplicationListener<ApplicationReadyEvent> reportFactsBackfill(FactRebuild rebuild, ReportingSettings settings) {
		return event -> {
			if (settings.maintainFacts()) {
				rebuild.runIfMissing();
			}
		};
	}

	@Bean
	FhirServerCustomizer reporting(EntityManagerFactory entityManagerFactory, EvaluateMeasureProvider provider,
			ReportingSettings settings, IInterceptorService storageInterceptors) {
		if (settings.maintainFacts()) {
			// on HAPI's storage interceptors: writes of its background jobs ($merge moving a record) count too
			storageInterceptors.registerInterceptor(
					new ReportFacts(SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory)));
		} else {
			LOG.warn("vietfhir.reports.maintain-facts=false: statistics are not kept current; a comparison switch for the"
					+ " benchmark only, then POST /admin/reports/rebuild / số liệu thống kê không được cập nhật");
		}
		return server -> server.registerProvider(provider);
	}
}
