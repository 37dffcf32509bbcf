package vn.ehealth.fhir.server.identity;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.model.IProvenanceAgentsPointcutParameter;
import ca.uhn.fhir.model.api.IProvenanceAgent;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import vn.ehealth.fhir.server.rest.RequestPipeline;
import vn.ehealth.fhir.server.security.AccessControlInterceptor;

/**
 * Who merged: the Provenance HAPI writes for {@code $merge} names as its agent the calling client
 * (by its client id) on behalf of its facility, from the access the security interceptor granted.
 */
public final class MergeAgents {

	static final String CLIENT_ID_SYSTEM = "https://vietfhir.org/fhir/sid/client-id";

	@Hook(value = Pointcut.PROVENANCE_AGENTS, order = RequestPipeline.ProvenanceAgents.MERGE_AGENT)
	public void agents(IProvenanceAgentsPointcutParameter parameter) {
		Object access = parameter.getRequestDetails() == null ? null
				: parameter.getRequestDetails().getUserData().get(AccessControlInterceptor.ACCESS);
		Reference who = new Reference();
		Reference onBehalfOf = null;
		if (access instanceof AccessControlInterceptor.Access granted && granted.clientId() != null) {
			who.setIdentifier(new Identifier().setSystem(CLIENT_ID_SYSTEM).setValue(granted.clientId())).setDisplay(granted.clientId());
			if (granted.facility() != null) {
				onBehalfOf = new Reference(granted.facility());
			}
		} else {
			who.setDisplay("VietFHIR");
		}
		parameter.addProvenanceAgent(new Agent(who, onBehalfOf));
	}

	private record Agent(Reference who, Reference onBehalfOf) implements IProvenanceAgent {
		@Override
		public IBaseReference getWho() {
			return who;
		}

		@Override
		public IBaseReference getOnBehalfOf() {
			return onBehalfOf;
		}
	}
}
