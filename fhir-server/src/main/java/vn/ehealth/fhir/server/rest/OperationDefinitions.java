package vn.ehealth.fhir.server.rest;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.OperationDefinition;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The OperationDefinitions of the operations VietFHIR implements, one JSON file each under
 * {@code resources/operations/}: typed parameters, Vietnamese and English text, and the canonical URL
 * of the specification that defines the operation (Bulk Data, IPS, FHIR core) or ours. HAPI would
 * generate untyped ones from the Java signatures (a manual-request {@code $import} gets none at all).
 * Each file's id is the last segment of its URL, so a reader that turns the canonical URL into an id
 * (HAPI's OpenAPI page does) finds it on this server.
 */
final class OperationDefinitions {

	private final Map<String, OperationDefinition> byId;

	private OperationDefinitions(Map<String, OperationDefinition> byId) {
		this.byId = byId;
	}

	static OperationDefinitions load(FhirContext fhirContext) {
		Map<String, OperationDefinition> byId = new LinkedHashMap<>();
		try {
			for (Resource file : new PathMatchingResourcePatternResolver().getResources("classpath:operations/*.json")) {
				try (InputStream in = file.getInputStream()) {
					OperationDefinition definition = fhirContext.newJsonParser()
							.parseResource(OperationDefinition.class, new String(in.readAllBytes(), StandardCharsets.UTF_8));
					String id = definition.getIdElement().getIdPart();
					if (!definition.getUrl().endsWith("/OperationDefinition/" + id)) {
						throw new IllegalStateException(file.getFilename() + ": the id must be the last segment of the url");
					}
					byId.put(id, definition);
				}
			}
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		return new OperationDefinitions(byId);
	}

	Collection<OperationDefinition> all() {
		return byId.values().stream().map(OperationDefinition::copy).toList();
	}

	Optional<OperationDefinition> byId(String id) {
		return Optional.ofNullable(byId.get(id)).map(OperationDefinition::copy);
	}

	/** The definition of operation {@code code} at system level ({@code resourceType} null) or on a type. */
	Optional<OperationDefinition> find(String resourceType, String code) {
		return byId.values().stream()
				.filter(d -> d.getCode().equals(code))
				.filter(d -> resourceType == null
						? d.getSystem()
						: d.getResource().stream().anyMatch(type -> type.getValue().equals(resourceType)))
				.findFirst();
	}
}
