package vn.ehealth.fhir.server.signature;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The JSON Canonicalization Scheme (JCS, RFC 8785): members sorted by their names' UTF-16 code units,
 * no whitespace, strings with only the escapes JSON requires, numbers as ECMAScript prints an IEEE
 * double (so {@code 4.50} becomes {@code 4.5} and {@code 1E30} {@code 1e+30}). Any JCS library
 * (Java, .NET, Python, JavaScript) gives the same text, which is why signed bundles use it.
 */
public final class JsonCanonicalForm {

	/** Parses JSON strictly: a repeated member name is an error, not "the last one wins". */
	static final ObjectMapper STRICT = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

	private JsonCanonicalForm() {}

	public static JsonNode parse(String json) throws JsonProcessingException {
		return STRICT.readTree(json);
	}

	public static String canonicalize(String json) throws JsonProcessingException {
		return canonicalize(parse(json));
	}

	public static String canonicalize(JsonNode node) {
		StringBuilder out = new StringBuilder();
		write(node, out);
		return out.toString();
	}

	private static void write(JsonNode node, StringBuilder out) {
		if (node.isObject()) {
			List<Map.Entry<String, JsonNode>> members = new ArrayList<>();
			Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
			fields.forEachRemaining(members::add);
			// String.compareTo compares UTF-16 code units, as RFC 8785 section 3.2.3 asks
			members.sort(Map.Entry.comparingByKey());
			out.append('{');
			for (int i = 0; i < members.size(); i++) {
				if (i > 0) {
					out.append(',');
				}
				string(members.get(i).getKey(), out);
				out.append(':');
				write(members.get(i).getValue(), out);
			}
			out.append('}');
		} else if (node.isArray()) {
			out.append('[');
			for (int i = 0; i < node.size(); i++) {
				if (i > 0) {
					out.append(',');
				}
				write(node.get(i), out);
			}
			out.append(']');
		} else if (node.isTextual()) {
			string(node.textValue(), out);
		} else if (node.isNumber()) {
			out.append(number(node.doubleValue()));
		} else if (node.isBoolean()) {
			out.append(node.booleanValue());
		} else if (node.isNull()) {
			out.append("null");
		} else {
			throw new IllegalArgumentException("Not a JSON value: " + node.getNodeType());
		}
	}

	private static void string(String text, StringBuilder out) {
		out.append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\b' -> out.append("\\b");
				case '\f' -> out.append("\\f");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c < 0x20) {
						out.append(String.format("\\u%04x", (int) c));
					} else {
						out.append(c);
					}
				}
			}
		}
		out.append('"');
	}

	/** ECMAScript Number.prototype.toString of a double (ECMA-262 Number::toString, RFC 8785 section 3.2.2.3). */
	static String number(double value) {
		if (Double.isNaN(value) || Double.isInfinite(value)) {
			throw new IllegalArgumentException("JSON has no NaN or Infinity");
		}
		if (value == 0) {
			return "0"; // also -0
		}
		// the fewest significant digits that still read back as the same double, the closest such
		BigDecimal exact = new BigDecimal(value);
		BigDecimal shortest = exact;
		for (int precision = 1; precision <= 17; precision++) {
			BigDecimal rounded = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
			if (rounded.doubleValue() == value) {
				shortest = rounded;
				break;
			}
		}
		shortest = shortest.stripTrailingZeros();
		String digits = shortest.unscaledValue().abs().toString();
		int k = digits.length();
		int n = k - shortest.scale(); // value = digits × 10^(n − k)
		String sign = value < 0 ? "-" : "";
		if (k <= n && n <= 21) {
			return sign + digits + "0".repeat(n - k);
		}
		if (0 < n && n <= 21) {
			return sign + digits.substring(0, n) + "." + digits.substring(n);
		}
		if (-6 < n && n <= 0) {
			return sign + "0." + "0".repeat(-n) + digits;
		}
		int exponent = n - 1;
		String e = "e" + (exponent >= 0 ? "+" : "-") + Math.abs(exponent);
		return sign + (k == 1 ? digits : digits.charAt(0) + "." + digits.substring(1)) + e;
	}
}
