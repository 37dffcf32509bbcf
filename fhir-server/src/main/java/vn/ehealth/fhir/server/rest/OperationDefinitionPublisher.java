package vn.ehealth.fhir.server.rest;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.hl7.fhir.r4.model.OperationDefinition;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Stores our OperationDefinitions at start-up, so that {@code GET /fhir/OperationDefinition?url=…} finds
 * the definition a CapabilityStatement names, as clients and validators look them up. Runs under the
 * start-up lock like the guide install; an unchanged definition makes no new version (HAPI compares
 * the stored content).
 */
class OperationDefinitionPublisher implements SmartInitializingSingleton {

	private final OperationDefinitions definitions;
	private final DaoRegistry daos;

	OperationDefinitionPublisher(OperationDefinitions definitions, DaoRegistry daos) {
		this.definitions = definitions;
		this.daos = daos;
	}

	@Override
	public void afterSingletonsInstantiated() {
		IFhirResourceDao<OperationDefinition> dao = daos.getResourceDao(OperationDefinition.class);
		for (OperationDefinition definition : definitions.all()) {
			dao.update(definition, new SystemRequestDetails());
		}
	}
}
