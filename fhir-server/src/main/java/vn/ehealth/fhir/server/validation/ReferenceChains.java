package vn.ehealth.fhir.server.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.FhirTerser;
import ca.uhn.fhir.util.ResourceReferenceInfo;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;

/**
 * The longest chain of entries of a Bundle that refer to each other (entry i's resource refers to
 * entry i-1's fullUrl, and so on). The HL7 validator follows such in-bundle references recursively,
 * so the chain's length is its stack depth. Counted without recursion; a reference back into the
 * chain being walked (a cycle) ends it.
 */
final class ReferenceChains {

	private ReferenceChains() {}

	/** Entries in the longest chain (1 for a bundle whose entries refer to none of the others). */
	static int longest(FhirContext fhirContext, Bundle bundle) {
		return longest(edges(fhirContext, bundle));
	}

	/** As above, from the {@link #edges} of a bundle. */
	static int longest(List<int[]> edges) {
		int n = edges.size();
		int[] depth = new int[n];
		byte[] state = new byte[n]; // 0 not seen, 1 on the walk, 2 depth known
		int longest = 0;
		for (int start = 0; start < n; start++) {
			if (state[start] != 0) {
				continue;
			}
			Deque<int[]> walk = new ArrayDeque<>(); // {entry, next edge to follow}
			walk.push(new int[] {start, 0});
			state[start] = 1;
			while (!walk.isEmpty()) {
				int[] top = walk.peek();
				int[] targets = edges.get(top[0]);
				if (top[1] < targets.length) {
					int target = targets[top[1]++];
					if (state[target] == 0) {
						state[target] = 1;
						walk.push(new int[] {target, 0});
					}
					continue;
				}
				int deepest = 0;
				for (int target : targets) {
					if (state[target] == 2) {
						deepest = Math.max(deepest, depth[target]);
					}
				}
				depth[top[0]] = deepest + 1;
				state[top[0]] = 2;
				longest = Math.max(longest, depth[top[0]]);
				walk.pop();
			}
		}
		return longest;
	}

	/** For each entry, the entries its resource refers to by their fullUrl (or by Type/id at the end of it). */
	static List<int[]> edges(FhirContext fhirContext, Bundle bundle) {
		Map<String, Integer> byUrl = new HashMap<>();
		for (int i = 0; i < bundle.getEntry().size(); i++) {
			Bundle.BundleEntryComponent entry = bundle.getEntry().get(i);
			if (entry.hasFullUrl()) {
				byUrl.putIfAbsent(entry.getFullUrl(), i);
				if (entry.getResource() != null && entry.getResource().getIdElement().hasIdPart()) {
					byUrl.putIfAbsent(entry.getResource().fhirType() + "/" + entry.getResource().getIdElement().getIdPart(), i);
				}
			}
		}
		FhirTerser terser = fhirContext.newTerser();
		List<int[]> edges = new ArrayList<>();
		for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
			List<Integer> targets = new ArrayList<>();
			if (entry.getResource() != null && !byUrl.isEmpty()) {
				for (ResourceReferenceInfo reference : terser.getAllResourceReferences(entry.getResource())) {
					String value = reference.getResourceReference().getReferenceElement().getValue();
					Integer target = value == null ? null : byUrl.get(value);
					if (target != null) {
						targets.add(target);
					}
				}
			}
			edges.add(targets.stream().mapToInt(Integer::intValue).toArray());
		}
		return edges;
	}
}
