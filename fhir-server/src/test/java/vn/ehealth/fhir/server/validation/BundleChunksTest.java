package vn.ehealth.fhir.server.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.BitSet;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

class BundleChunksTest {

	private static final FhirContext FHIR = FhirContext.forR4Cached();

	@Test
	void eachChunkCarriesTheEntriesItsOwnReferToThroughOthersToo() {
		Bundle bundle = new Bundle();
		add(bundle, "urn:uuid:p", new Patient());
		add(bundle, "urn:uuid:e", new Encounter().setSubject(new Reference("urn:uuid:p")));
		add(bundle, "http://example.org/fhir/Patient/q", new Patient().setId("q"));
		add(bundle, "urn:uuid:o1", new Observation().setEncounter(new Reference("urn:uuid:e")));
		add(bundle, "urn:uuid:o2", new Observation().setSubject(new Reference("Patient/q")));

		BitSet all = new BitSet();
		all.set(0, 5);
		List<BundleChunks.Chunk> chunks = BundleChunks.of(ReferenceChains.edges(FHIR, bundle), all, 3);

		assertThat(chunks).hasSize(2);
		assertThat(chunks.get(0).own()).containsExactly(0, 1, 2);
		assertThat(chunks.get(0).context()).isEmpty();
		assertThat(chunks.get(1).own()).containsExactly(3, 4);
		// o1 -> e -> p (the chain), o2 -> Patient/q by type and id
		assertThat(chunks.get(1).context()).containsExactlyInAnyOrder(1, 0, 2);
		assertThat(chunks.get(1).bundleIndex(0)).isEqualTo(3);
		assertThat(chunks.get(1).bundleIndex(2)).isIn(0, 1, 2);
	}

	@Test
	void entriesNotToValidateAreOnlyEverContext() {
		Bundle bundle = new Bundle();
		add(bundle, "urn:uuid:p", new Patient());
		add(bundle, "urn:uuid:o", new Observation().setSubject(new Reference("urn:uuid:p")));
		BitSet onlyTheObservation = new BitSet();
		onlyTheObservation.set(1);

		List<BundleChunks.Chunk> chunks = BundleChunks.of(ReferenceChains.edges(FHIR, bundle), onlyTheObservation, 50);

		assertThat(chunks).singleElement().satisfies(chunk -> {
			assertThat(chunk.own()).containsExactly(1);
			assertThat(chunk.context()).containsExactly(0);
		});
	}

	private static void add(Bundle bundle, String fullUrl, Resource resource) {
		bundle.addEntry().setFullUrl(fullUrl).setResource(resource);
	}
}
