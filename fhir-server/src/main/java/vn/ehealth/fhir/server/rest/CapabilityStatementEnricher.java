package vn.ehealth.fhir.server.rest;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.SystemRestfulInteraction;

/**
 * Says what HAPI's generated CapabilityStatement leaves out: that batch bundles are accepted too,
 * and which VietFHIR release (not which HAPI release) answers.
 */
public class CapabilityStatementEnricher {

	private final String version;

	public CapabilityStatementEnricher(String version) {
		this.version = version;
	}

	@Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
	public void enrich(IBaseConformance generated) {
		CapabilityStatement capabilities = (CapabilityStatement) generated;
		capabilities.getSoftware().setName("VietFHIR").setVersion(version);
		capabilities.setPublisher("VietFHIR");
		for (CapabilityStatement.CapabilityStatementRestComponent rest : capabilities.getRest()) {
			boolean hasBatch = rest.getInteraction().stream().anyMatch(i -> i.getCode() == SystemRestfulInteraction.BATCH);
			if (!hasBatch) {
				rest.addInteraction().setCode(SystemRestfulInteraction.BATCH);
			}
		}
	}
}
