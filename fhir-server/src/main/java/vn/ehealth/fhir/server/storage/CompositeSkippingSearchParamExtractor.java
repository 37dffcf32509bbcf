package vn.ehealth.fhir.server.storage;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.searchparam.extractor.ResourceIndexedSearchParamComposite;
import ca.uhn.fhir.jpa.searchparam.extractor.SearchParamExtractorR4;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * HAPI's R4 search parameter extractor without the composite values it computes for every write
 * (an Observation's nine code-value and component composites: about 6 % of the CPU of storing one,
 * profiled on 2026-12-07). Only HAPI's advanced Hibernate Search indexing stores those values; the
 * JPA index stores none and answers a composite search ({@code code-value-quantity=…}) by joining
 * the components' own index rows. With advanced indexing on, the values are extracted as before.
 */
final class CompositeSkippingSearchParamExtractor extends SearchParamExtractorR4 {

	private final JpaStorageSettings storageSettings;

	CompositeSkippingSearchParamExtractor(
			JpaStorageSettings storageSettings,
			PartitionSettings partitionSettings,
			FhirContext fhirContext,
			ISearchParamRegistry searchParamRegistry) {
		super(storageSettings, partitionSettings, fhirContext, searchParamRegistry);
		this.storageSettings = storageSettings;
	}

	@Override
	public SearchParamSet<ResourceIndexedSearchParamComposite> extractSearchParamComposites(
			IBaseResource resource, ISearchParamFilter filter) {
		if (storageSettings.isAdvancedHSearchIndexing()) {
			return super.extractSearchParamComposites(resource, filter);
		}
		return new SearchParamSet<>();
	}
}
