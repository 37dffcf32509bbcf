package vn.ehealth.fhir.server.bulk;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import vn.ehealth.fhir.server.rest.RequestPipeline;

/**
 * Declares Bulk Data Access in the CapabilityStatement. The export operations themselves are listed by
 * HAPI from our provider, with HAPI's OperationDefinitions: pointing them at the IG's canonical URLs
 * would break the OpenAPI page, which resolves every operation's definition on this server.
 */
public class BulkDataCapabilities {

	static final String BULK_DATA = "http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data";

	@Hook(value = Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED, order = RequestPipeline.CapabilityStatement.BULK_DATA)
	public void declare(IBaseConformance generated) {
		CapabilityStatement capabilities = (CapabilityStatement) generated;
		if (!capabilities.hasInstantiates(BULK_DATA)) {
			capabilities.addInstantiates(BULK_DATA);
		}
	}
}
