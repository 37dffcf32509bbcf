package vn.ehealth.fhir.server.rest;

import ca.uhn.fhir.rest.server.RestfulServer;

/**
 * The seam through which a feature (validation, security, audit, bulk data, summary) plugs its
 * HAPI interceptors and providers into the REST server without the server config knowing it.
 * Implementations are Spring beans; use {@link org.springframework.core.annotation.Order} for order.
 * The order in which hooks run is not this registration order but {@link RequestPipeline}'s.
 */
@FunctionalInterface
public interface FhirServerCustomizer {

	void customize(RestfulServer server);
}
