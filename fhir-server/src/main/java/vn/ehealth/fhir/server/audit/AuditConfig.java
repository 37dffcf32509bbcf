package vn.ehealth.fhir.server.audit;

import ca.uhn.fhir.context.FhirContext;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import vn.ehealth.fhir.server.rest.FhirServerCustomizer;
import vn.ehealth.fhir.server.security.ClientRegistry;

/** The audit trail on /fhir: recording, the AuditEvent write guard, and the citizen access report. */
@Configuration(proxyBeanMethods = false)
public class AuditConfig {

	@Bean
	public AuditChain auditChain(DataSource dataSource) {
		return new AuditChain(dataSource);
	}

	@Bean
	public AuditTrailInterceptor auditTrailInterceptor(AuditChain chain, ClientRegistry registry, FhirContext fhirContext) {
		return new AuditTrailInterceptor(chain, registry, fhirContext);
	}

	@Bean
	public FhirServerCustomizer auditTrail(AuditTrailInterceptor trail, AuditChain chain, FhirContext fhirContext) {
		return server -> {
			server.registerInterceptor(new AuditEventWriteGuard(fhirContext));
			server.registerInterceptor(trail);
			server.registerProvider(new AccessLogProvider(chain));
		};
	}
}
