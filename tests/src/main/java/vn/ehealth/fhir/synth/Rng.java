package vn.ehealth.fhir.synth;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic randomness for one concern of one entity: seeded from the data set's seed plus keys
 * (e.g. "patient", n), so patient n's record never depends on how many patients came before it, and
 * generation can run in any order or in parallel and still give the same bytes.
 */
final class Rng {

	private final SplittableRandom random;

	Rng(long seed, String stream, long... keys) {
		long state = mix(seed ^ 0x9E3779B97F4A7C15L);
		for (int i = 0; i < stream.length(); i++) {
			state = mix(state + stream.charAt(i));
		}
		for (long key : keys) {
			state = mix(state ^ mix(key + 0x632BE59BD9B4E019L));
		}
		this.random = new SplittableRandom(state);
	}

	/** SplitMix64's finaliser: neighbouring keys give unrelated streams. */
	static long mix(long z) {
		z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
		z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
		return z ^ (z >>> 31);
	}

	boolean chance(double p) {
		return random.nextDouble() < p;
	}

	/** Uniform in [lo, hi], both included. */
	int between(int lo, int hi) {
		return lo + random.nextInt(hi - lo + 1);
	}

	double uniform(double lo, double hi) {
		return lo + random.nextDouble() * (hi - lo);
	}

	/** Normal by Box–Muller (not the JDK's, whose algorithm may change between releases). */
	double normal(double mean, double sd) {
		double u1 = 1.0 - random.nextDouble();
		double u2 = random.nextDouble();
		return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
	}

	/** Poisson count (Knuth; the means used here are small). */
	int poisson(double mean) {
		if (mean <= 0) {
			return 0;
		}
		double limit = Math.exp(-Math.min(mean, 30));
		double product = random.nextDouble();
		int count = 0;
		while (product > limit) {
			count++;
			product *= random.nextDouble();
		}
		return count;
	}

	long nextLong() {
		return random.nextLong();
	}

	int nextInt(int bound) {
		return random.nextInt(bound);
	}

	<T> T pick(List<T> values) {
		return values.get(random.nextInt(values.size()));
	}

	@SafeVarargs
	final <T> T pick(T... values) {
		return values[random.nextInt(values.length)];
	}

	<T> T pick(Weighted<T> weighted) {
		return weighted.pick(random.nextDouble());
	}
}
