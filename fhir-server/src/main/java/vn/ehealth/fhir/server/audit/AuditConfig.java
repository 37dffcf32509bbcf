package vn.ehealth.fhir.server.audit;

import ca.uhn.fhir.context.FhirContext;
import java.time.ZoneId;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import vn.ehealth.fhir.server.observability.ServerMetrics;
import vn.ehealth.fhir.server.rest.FhirServerCustomizer;
import vn.ehealth.fhir.server.security.ClientRegistry;

/** The audit trail on /fhir: recording, the AuditEvent write guard, the citizen access report, and the daily patient limit. */
@Configuration(proxyBeanMethods = false)
class AuditConfig {

	@Bean
	AuditChain auditChain(DataSource dataSource, ServerMetrics metrics) {
		return new AuditChain(dataSource, metrics);
	}

	@Bean
	AuditTrailInterceptor auditTrailInterceptor(AuditChain chain, ClientRegistry registry, FhirContext fhirContext) {
		return new AuditTrailInterceptor(chain, registry, fhirContext);
	}

	@Bean
	AccessVolume accessVolume(DataSource dataSource, SafeguardSettings safeguards) {
		return new AccessVolume(dataSource, ZoneId.of(safeguards.timeZone()));
	}

	@Bean
	PatientVolumeLimit patientVolumeLimit(
			AccessVolume volume, ClientRegistry registry, FhirContext fhirContext, SafeguardSettings safeguards) {
		return new PatientVolumeLimit(volume, registry, fhirContext, safeguards.dailyPatientLimit());
	}

	@Bean
	FhirServerCustomizer auditTrail(
			AuditTrailInterceptor trail, AuditChain chain, PatientVolumeLimit volumeLimit, FhirContext fhirContext) {
		return server -> {
			server.registerInterceptor(new AuditEventWriteGuard(fhirContext));
			server.registerInterceptor(trail);
			server.registerInterceptor(volumeLimit);
			server.registerProvider(new AccessLogProvider(chain));
		};
	}
}
