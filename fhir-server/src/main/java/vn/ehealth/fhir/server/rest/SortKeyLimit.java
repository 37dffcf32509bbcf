package vn.ehealth.fhir.server.rest;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Caps the keys of {@code _sort}. HAPI joins one index table per key, so rows multiply with every key
 * on a repeatable element; a key given k times made the query grow exponentially (k = 10: minutes of
 * PostgreSQL time from one request). A repeated key adds nothing to the order (FHIR R4 3.1.1.5.6:
 * keys apply in turn, an equal key cannot break a tie twice) and is refused; more than the configured
 * number of distinct keys is refused too. Also checked for searches inside batches and transactions,
 * which pass the same hook.
 */
public class SortKeyLimit {

	private final int maxKeys;

	SortKeyLimit(int maxKeys) {
		this.maxKeys = maxKeys;
	}

	@Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, order = RequestPipeline.PreHandled.SORT_KEY_LIMIT)
	public void checkSortKeys(RequestDetails request) {
		List<String> keys = keys(request.getParameters());
		Set<String> distinct = new HashSet<>();
		for (String key : keys) {
			if (!distinct.add(key)) {
				throw new InvalidRequestException("Khóa sắp xếp bị lặp lại / _sort names '" + key
						+ "' more than once; give each key once");
			}
		}
		if (keys.size() > maxKeys) {
			throw new InvalidRequestException("Quá nhiều khóa sắp xếp / _sort has " + keys.size()
					+ " keys, at most " + maxKeys + " are allowed (vietfhir.fhir.max-sort-keys)");
		}
	}

	/** The keys of {@code _sort} (and of the older {@code _sort:asc} / {@code _sort:desc}), direction dropped. */
	private static List<String> keys(Map<String, String[]> parameters) {
		List<String> keys = new ArrayList<>();
		if (parameters == null) {
			return keys;
		}
		parameters.forEach((name, values) -> {
			if (name.equals("_sort") || name.startsWith("_sort:")) {
				for (String value : values) {
					for (String key : value.split(",")) {
						String bare = key.trim().replaceFirst("^-", "");
						if (!bare.isEmpty()) {
							keys.add(bare);
						}
					}
				}
			}
		});
		return keys;
	}
}
