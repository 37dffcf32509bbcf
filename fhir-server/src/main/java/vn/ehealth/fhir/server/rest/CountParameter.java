package vn.ehealth.fhir.server.rest;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.hl7.fhir.instance.model.api.IPrimitiveType;

/**
 * {@code _count} of our operations, taken as a string: HAPI's conversion of an integer operation
 * parameter answers {@code _count=abc} with a 500.
 */
public final class CountParameter {

	private CountParameter() {}

	/** The count asked for (at least 1), or {@code otherwise} when none is; 400 for anything else. */
	public static int parse(IPrimitiveType<String> value, int otherwise) {
		if (value == null || value.getValue() == null || value.getValue().isBlank()) {
			return otherwise;
		}
		int count;
		try {
			count = Integer.parseInt(value.getValue().trim());
		} catch (NumberFormatException e) {
			throw new InvalidRequestException("_count must be a whole number, not '" + value.getValue() + "'");
		}
		if (count < 1) {
			throw new InvalidRequestException("_count must be at least 1, not " + count);
		}
		return count;
	}
}
