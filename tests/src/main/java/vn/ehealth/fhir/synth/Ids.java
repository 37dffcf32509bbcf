package vn.ehealth.fhir.synth;

/**
 * Resource ids of a data set. Every resource has a fixed id starting with the seed's tag, so the
 * bundles load with PUT (loading twice updates instead of duplicating), the NDJSON files reference
 * the same ids, and data sets of different seeds can share one server.
 */
final class Ids {

	private Ids() {}

	/** "s42" for seed 42. */
	static String tag(long seed) {
		return "s" + Long.toUnsignedString(seed);
	}

	/** Patient n of the data set: "s42-p000017". */
	static String patient(long seed, int n) {
		return tag(seed) + "-p" + String.format("%06d", n);
	}
}
