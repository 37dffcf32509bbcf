package vn.ehealth.fhir.server.rest;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.SystemRestfulInteraction;

/**
 * Says what HAPI's generated CapabilityStatement leaves out: who we are (a canonical URL, a name and
 * title, which VietFHIR release rather than which HAPI release answers), the guide our profiles come
 * from, and that batch bundles are accepted too (FHIR R4 CapabilityStatement: url, version, name,
 * title, implementationGuide are what registries and clients such as the Inferno tests read).
 */
public class CapabilityStatementEnricher {

	/** This server's statement, the same on every node and installation: what it can do, not where it runs. */
	static final String URL = "https://vietfhir.org/fhir/CapabilityStatement/vietfhir-server";

	private final String version;
	private final String implementationGuide;

	CapabilityStatementEnricher(String version, String implementationGuide) {
		this.version = version;
		this.implementationGuide = implementationGuide;
	}

	@Hook(value = Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED, order = RequestPipeline.CapabilityStatement.ENRICHER)
	public void enrich(IBaseConformance generated) {
		CapabilityStatement capabilities = (CapabilityStatement) generated;
		capabilities.setUrl(URL);
		capabilities.setVersion(version);
		capabilities.setName("VietFhirServer");
		capabilities.setTitle("Máy chủ VietFHIR / VietFHIR server");
		capabilities.getSoftware().setName("VietFHIR").setVersion(version);
		capabilities.setPublisher("VietFHIR");
		if (!capabilities.hasImplementationGuide(implementationGuide)) {
			capabilities.addImplementationGuide(implementationGuide);
		}
		for (CapabilityStatement.CapabilityStatementRestComponent rest : capabilities.getRest()) {
			boolean hasBatch = rest.getInteraction().stream().anyMatch(i -> i.getCode() == SystemRestfulInteraction.BATCH);
			if (!hasBatch) {
				rest.addInteraction().setCode(SystemRestfulInteraction.BATCH);
			}
		}
	}
}
