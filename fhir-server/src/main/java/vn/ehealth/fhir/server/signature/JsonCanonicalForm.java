package vn.ehealth.fhir.server.signature;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * The JSON Canonicalization Scheme (JCS, RFC 8785): members sorted by their names' UTF-16 code units,
 * no whitespace, strings with only the escapes JSON requires, numbers as ECMAScript prints an IEEE
 * double (so {@code 4.50} becomes {@code 4.5} and {@code 1E30} {@code 1e+30}). The serialisation is
 * the RFC authors' own library, so any JCS tool (Java, .NET, Python, JavaScript, Go) gives the same
 * bytes: signed bundles and the audit chain's hashes are checked with it.
 */
public final class JsonCanonicalForm {

	/** Parses JSON strictly: a repeated member name is an error, not "the last one wins" (RFC 8785 §3.1). */
	static final ObjectMapper STRICT = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

	private JsonCanonicalForm() {}

	static JsonNode parse(String json) throws JsonProcessingException {
		return STRICT.readTree(json);
	}

	public static String canonicalize(String json) throws JsonProcessingException {
		return canonicalize(parse(json));
	}

	static String canonicalize(JsonNode node) {
		try {
			return new JsonCanonicalizer(STRICT.writeValueAsString(node)).getEncodedString();
		} catch (IOException e) {
			// the text was just written by Jackson from a parsed tree: only a NaN/Infinity gets here
			throw new UncheckedIOException("Not canonicalizable JSON: " + e.getMessage(), e);
		}
	}

	/** The canonical form of any value Jackson can write (maps, lists, strings, numbers). */
	public static String canonicalize(Object value) {
		return canonicalize(STRICT.valueToTree(value));
	}
}
