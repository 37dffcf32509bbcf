package vn.ehealth.fhir.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.UriType;
import vn.ehealth.fhir.server.rest.RequestPipeline;

/**
 * Declares in the CapabilityStatement how to get a token: {@code rest.security} with the SMART service
 * coding and the {@code oauth-uris} extension naming our token endpoint (SMART App Launch 1.0 "Conformance
 * statement"; the Bulk Data tester and older clients read it rather than /.well-known/smart-configuration).
 */
class SmartCapabilities {

	static final String SECURITY_SERVICE = "http://terminology.hl7.org/CodeSystem/restful-security-service";
	static final String OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";

	private final ServerUrls urls;

	SmartCapabilities(ServerUrls urls) {
		this.urls = urls;
	}

	@Hook(value = Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED, order = RequestPipeline.CapabilityStatement.SMART)
	public void declare(IBaseConformance generated, ServletRequestDetails request) {
		for (CapabilityStatement.CapabilityStatementRestComponent rest : ((CapabilityStatement) generated).getRest()) {
			CapabilityStatement.CapabilityStatementRestSecurityComponent security = rest.getSecurity();
			security.setCors(false);
			security.getService().clear();
			CodeableConcept smart = new CodeableConcept()
					.setText("SMART Backend Services (client_credentials, private_key_jwt); phạm vi SMART v2 và mục đích sử dụng");
			smart.addCoding().setSystem(SECURITY_SERVICE).setCode("SMART-on-FHIR").setDisplay("SMART-on-FHIR");
			security.addService(smart);
			security.removeExtension(OAUTH_URIS);
			Extension oauth = security.addExtension().setUrl(OAUTH_URIS);
			oauth.addExtension("token", new UriType(urls.tokenEndpoint(request.getServletRequest())));
			security.setDescription("Mọi yêu cầu tới /fhir cần access token (trừ /metadata và thư mục công khai). "
					+ "Every /fhir request needs a bearer token, except /metadata and the public directory: "
					+ "see /.well-known/smart-configuration.");
		}
	}
}
