package vn.ehealth.fhir.server.guide;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Pattern;

/**
 * A minimal HTML writer. Every piece of text and every attribute value goes through {@link #escape},
 * and there is deliberately no way to append unescaped markup: resource text (descriptions,
 * FHIRPath expressions, displays) comes from a package an operator may replace, so none of it may
 * become markup. Tag and attribute names are the code's own constants and are checked.
 */
public final class Html {

	private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

	private final StringBuilder out = new StringBuilder(16 * 1024);
	private final Deque<String> open = new ArrayDeque<>();

	/** Text made safe for element content and for quoted attribute values. */
	public static String escape(String text) {
		if (text == null) {
			return "";
		}
		StringBuilder escaped = null;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			String entity = switch (c) {
				case '&' -> "&amp;";
				case '<' -> "&lt;";
				case '>' -> "&gt;";
				case '"' -> "&quot;";
				case '\'' -> "&#39;";
				default -> null;
			};
			if (entity != null && escaped == null) {
				escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
			}
			if (escaped != null) {
				if (entity != null) {
					escaped.append(entity);
				} else {
					escaped.append(c);
				}
			}
		}
		return escaped == null ? text : escaped.toString();
	}

	public Html doctype() {
		out.append("<!DOCTYPE html>\n");
		return this;
	}

	/** Opens an element; attributes are name/value pairs, a null value leaves the attribute out. */
	public Html open(String tag, String... attributes) {
		startTag(tag, attributes);
		open.push(tag);
		return this;
	}

	/** Closes the innermost open element, which must be {@code tag}: a mismatch is a bug in the page code. */
	public Html close(String tag) {
		String innermost = open.poll();
		if (!tag.equals(innermost)) {
			throw new IllegalStateException("closing <" + tag + "> but <" + innermost + "> is open");
		}
		out.append("</").append(tag).append('>');
		return this;
	}

	/** An element holding only text. */
	public Html element(String tag, String text, String... attributes) {
		return open(tag, attributes).text(text).close(tag);
	}

	/** An element without content or end tag (meta, br). */
	public Html empty(String tag, String... attributes) {
		startTag(tag, attributes);
		return this;
	}

	public Html text(String text) {
		out.append(escape(text));
		return this;
	}

	public Html newline() {
		out.append('\n');
		return this;
	}

	/**
	 * A style sheet. The content of a style element is not entity-decoded by browsers, so instead of
	 * escaping it the sheet must not contain characters that could end the element or need escaping.
	 */
	public Html style(String css) {
		if (css.chars().anyMatch(c -> c == '<' || c == '>' || c == '&' || c == '"' || c == '\'')) {
			throw new IllegalArgumentException("style sheet with markup characters");
		}
		out.append("<style>").append(css).append("</style>");
		return this;
	}

	@Override
	public String toString() {
		if (!open.isEmpty()) {
			throw new IllegalStateException("unclosed elements: " + open);
		}
		return out.toString();
	}

	private void startTag(String tag, String... attributes) {
		checkName(tag);
		if (attributes.length % 2 != 0) {
			throw new IllegalArgumentException("attributes come in name/value pairs");
		}
		out.append('<').append(tag);
		for (int i = 0; i < attributes.length; i += 2) {
			if (attributes[i + 1] == null) {
				continue;
			}
			checkName(attributes[i]);
			out.append(' ').append(attributes[i]).append("=\"").append(escape(attributes[i + 1])).append('"');
		}
		out.append('>');
	}

	private static void checkName(String name) {
		if (!NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("not an HTML name: " + name);
		}
	}
}
