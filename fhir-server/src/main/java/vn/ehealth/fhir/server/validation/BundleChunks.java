package vn.ehealth.fhir.server.validation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;

/**
 * Splits the entries of a transaction into chunks the HL7 validator checks one Bundle at a time.
 * The validator resolves each reference inside a Bundle by scanning all of its entries and keeps
 * each new message only after comparing it with every earlier one, so a call costs the square of
 * its size: chunks of a fixed size keep a bundle's cost linear in its entries. Each chunk carries as
 * context the entries its own refer to (directly or through others), so in-bundle references still
 * resolve and their targets' types and profiles are still checked; the context's own messages are
 * the business of the chunk that owns it.
 */
final class BundleChunks {

	/** Entries of the bundle to validate and report, by index; then the ones they refer to. */
	record Chunk(int[] own, int[] context) {

		/** The index in the bundle of the chunk's n-th entry (own entries first, then context). */
		int bundleIndex(int n) {
			return n < own.length ? own[n] : context[n - own.length];
		}
	}

	private BundleChunks() {}

	/**
	 * @param edges for each entry, the entries it refers to ({@link ReferenceChains#edges})
	 * @param toValidate the entries to validate (others only ever appear as context)
	 * @param size own entries per chunk
	 */
	static List<Chunk> of(List<int[]> edges, BitSet toValidate, int size) {
		List<Chunk> chunks = new ArrayList<>();
		int[] own = new int[size];
		int count = 0;
		for (int i = toValidate.nextSetBit(0); i >= 0; i = toValidate.nextSetBit(i + 1)) {
			own[count++] = i;
			if (count == size) {
				chunks.add(chunk(edges, java.util.Arrays.copyOf(own, count)));
				count = 0;
			}
		}
		if (count > 0) {
			chunks.add(chunk(edges, java.util.Arrays.copyOf(own, count)));
		}
		return chunks;
	}

	/** The own entries and everything they reach by reference (the chain is capped by ReferenceChains). */
	private static Chunk chunk(List<int[]> edges, int[] own) {
		BitSet seen = new BitSet(edges.size());
		for (int i : own) {
			seen.set(i);
		}
		List<Integer> context = new ArrayList<>();
		Deque<Integer> walk = new ArrayDeque<>();
		for (int i : own) {
			walk.push(i);
		}
		while (!walk.isEmpty()) {
			for (int target : edges.get(walk.pop())) {
				if (!seen.get(target)) {
					seen.set(target);
					context.add(target);
					walk.push(target);
				}
			}
		}
		return new Chunk(own, context.stream().mapToInt(Integer::intValue).toArray());
	}
}
