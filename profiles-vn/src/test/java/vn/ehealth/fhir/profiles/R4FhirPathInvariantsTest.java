package vn.ehealth.fhir.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.hapi.ctx.HapiWorkerContext;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.UriType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vn.ehealth.fhir.profiles.GuideFiles.GuideFile;

/**
 * The invariants evaluated with the R4 FHIRPath engine ({@code org.hl7.fhir.r4.fhirpath.FHIRPathEngine}),
 * as code holding R4 model objects would run them; the instance validator runs them with the R5
 * engine. Both must agree: examples pass every invariant, a counter-example fails exactly its own.
 */
class R4FhirPathInvariantsTest {

	private static final FHIRPathEngine ENGINE = new FHIRPathEngine(
			new HapiWorkerContext(GuideFiles.FHIR, new DefaultProfileValidationSupport(GuideFiles.FHIR)));

	private static final Map<String, StructureDefinition> PROFILES = GuideFiles.structureDefinitions().stream()
			.collect(Collectors.toMap(StructureDefinition::getUrl, Function.identity()));

	@ParameterizedTest(name = "{0}")
	@MethodSource("vn.ehealth.fhir.profiles.GuideFiles#examples")
	void examplePassesEveryInvariant(GuideFile example) {
		assertThat(failedInvariants(example.resource())).isEmpty();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("vn.ehealth.fhir.profiles.GuideFiles#counterExamples")
	void counterExampleFailsExactlyItsInvariant(GuideFile counterExample) {
		assertThat(failedInvariants(counterExample.resource())).containsExactly(counterExample.brokenInvariantKey());
	}

	/** Keys of the invariants of the declared profiles that the resource (and, in a Bundle, its entries) fails. */
	private static Set<String> failedInvariants(Resource resource) {
		Set<String> failed = new TreeSet<>();
		List<Resource> resources = new ArrayList<>();
		resources.add(resource);
		if (resource instanceof Bundle bundle) {
			bundle.getEntry().forEach(e -> resources.add(e.getResource()));
		}
		for (Resource r : resources) {
			for (var profile : r.getMeta().getProfile()) {
				StructureDefinition sd = PROFILES.get(profile.getValue());
				if (sd != null) {
					failed.addAll(failedInvariants(r, sd));
				}
			}
		}
		return failed;
	}

	private static Set<String> failedInvariants(Resource resource, StructureDefinition sd) {
		Set<String> failed = new TreeSet<>();
		for (ElementDefinition element : sd.getDifferential().getElement()) {
			if (!element.hasConstraint()) {
				continue;
			}
			for (Base focus : focusOf(resource, sd, element)) {
				for (ElementDefinition.ElementDefinitionConstraintComponent constraint : element.getConstraint()) {
					if (!ENGINE.evaluateToBoolean(resource, resource, focus, ENGINE.parse(constraint.getExpression()))) {
						failed.add(constraint.getKey());
					}
				}
			}
		}
		return failed;
	}

	/** The nodes an element definition applies to; a slice on identifier applies to identifiers of its system. */
	private static List<Base> focusOf(Resource resource, StructureDefinition sd, ElementDefinition element) {
		String path = element.getPath();
		if (path.equals(sd.getType())) {
			return List.of(resource);
		}
		List<Base> nodes = ENGINE.evaluate(resource, path.substring(sd.getType().length() + 1));
		if (!element.hasSliceName()) {
			return nodes;
		}
		String system = sd.getDifferential().getElement().stream()
				.filter(e -> e.getId().equals(element.getId() + ".system"))
				.map(e -> ((UriType) e.getPattern()).getValue())
				.findFirst()
				.orElseThrow(() -> new IllegalStateException(element.getId() + " is not sliced on system"));
		return nodes.stream().filter(n -> system.equals(((Identifier) n).getSystem())).toList();
	}
}
