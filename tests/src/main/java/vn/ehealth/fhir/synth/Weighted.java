package vn.ehealth.fhir.synth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Values with relative weights, drawn by a uniform number in [0, 1). Built once, read by any thread. */
final class Weighted<T> {

	private final List<T> values;
	private final double[] cumulative;

	private Weighted(List<T> values, List<Double> weights) {
		this.values = List.copyOf(values);
		this.cumulative = new double[weights.size()];
		double total = 0;
		for (int i = 0; i < weights.size(); i++) {
			total += weights.get(i);
			cumulative[i] = total;
		}
		for (int i = 0; i < cumulative.length; i++) {
			cumulative[i] /= total;
		}
	}

	/** From an insertion-ordered map (a LinkedHashMap or Map.of-free literal), value → weight. */
	static <T> Weighted<T> of(Map<T, ? extends Number> weights) {
		List<T> values = new ArrayList<>();
		List<Double> w = new ArrayList<>();
		weights.forEach((value, weight) -> {
			values.add(value);
			w.add(weight.doubleValue());
		});
		return new Weighted<>(values, w);
	}

	/** Alternating value, weight, value, weight… */
	@SuppressWarnings("unchecked")
	static <T> Weighted<T> of(Object... valueWeightPairs) {
		List<T> values = new ArrayList<>();
		List<Double> w = new ArrayList<>();
		for (int i = 0; i < valueWeightPairs.length; i += 2) {
			values.add((T) valueWeightPairs[i]);
			w.add(((Number) valueWeightPairs[i + 1]).doubleValue());
		}
		return new Weighted<>(values, w);
	}

	/** All values equally likely. */
	static <T> Weighted<T> uniform(List<T> values) {
		return new Weighted<>(values, Collections.nCopies(values.size(), 1.0));
	}

	T pick(double uniform) {
		int low = 0;
		int high = cumulative.length - 1;
		while (low < high) {
			int mid = (low + high) >>> 1;
			if (cumulative[mid] > uniform) {
				high = mid;
			} else {
				low = mid + 1;
			}
		}
		return values.get(low);
	}
}
