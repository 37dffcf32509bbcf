package vn.ehealth.fhir.server.bulk;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;

/** Declares Bulk Data Access in the CapabilityStatement, with the IG's canonical operation names. */
public class BulkDataCapabilities {

	static final String BULK_DATA = "http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data";
	static final String EXPORT_DEFINITION = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export";

	@Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
	public void declare(IBaseConformance generated) {
		CapabilityStatement capabilities = (CapabilityStatement) generated;
		if (!capabilities.hasInstantiates(BULK_DATA)) {
			capabilities.addInstantiates(BULK_DATA);
		}
		for (CapabilityStatement.CapabilityStatementRestComponent rest : capabilities.getRest()) {
			boolean declared = rest.getOperation().stream().anyMatch(o -> "export".equals(o.getName()));
			if (declared) {
				rest.getOperation().stream().filter(o -> "export".equals(o.getName())).forEach(o -> o.setDefinition(EXPORT_DEFINITION));
			} else {
				rest.addOperation().setName("export").setDefinition(EXPORT_DEFINITION);
			}
		}
	}
}
