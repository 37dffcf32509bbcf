package vn.ehealth.fhir.server.rest;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import ca.uhn.fhir.util.FhirTerser;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceOperationComponent;

/**
 * HAPI's CapabilityStatement with our OperationDefinitions: each operation we implement points at the
 * canonical URL of its definition ({@link OperationDefinitions}) instead of a generated one, and a
 * read of that definition by id (HAPI's OpenAPI page does one per operation) answers with ours.
 */
class VietFhirCapabilityStatementProvider extends JpaCapabilityStatementProvider {

	private final OperationDefinitions definitions;

	VietFhirCapabilityStatementProvider(
			RestfulServer server,
			IFhirSystemDao<?, ?> systemDao,
			JpaStorageSettings storageSettings,
			ISearchParamRegistry searchParamRegistry,
			IValidationSupport validationSupport,
			OperationDefinitions definitions) {
		super(server, systemDao, storageSettings, searchParamRegistry, validationSupport);
		this.definitions = definitions;
	}

	@Override
	public IBaseResource readOperationDefinition(IIdType id, RequestDetails request) {
		if (id != null && id.hasIdPart()) {
			var ours = definitions.byId(id.getIdPart());
			if (ours.isPresent()) {
				return ours.get();
			}
		}
		return super.readOperationDefinition(id, request);
	}

	@Override
	protected void postProcess(FhirTerser terser, IBaseConformance generated) {
		super.postProcess(terser, generated);
		CapabilityStatement capabilities = (CapabilityStatement) generated;
		for (CapabilityStatement.CapabilityStatementRestComponent rest : capabilities.getRest()) {
			rest.getOperation().forEach(operation -> pointAtOurs(null, operation));
			for (CapabilityStatement.CapabilityStatementRestResourceComponent resource : rest.getResource()) {
				resource.getOperation().forEach(operation -> pointAtOurs(resource.getType(), operation));
			}
		}
	}

	private void pointAtOurs(String resourceType, CapabilityStatementRestResourceOperationComponent operation) {
		definitions.find(resourceType, operation.getName()).ifPresent(definition -> {
			operation.setDefinition(definition.getUrl());
			if (!operation.hasDocumentation()) {
				operation.setDocumentation(definition.getTitle());
			}
		});
	}
}
