package vn.ehealth.fhir.server.guide;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * One page under /ig/ being written: the shared layout, and the links from it to other pages. Links
 * are relative (index at /ig/, resource pages at /ig/{type}/{id}) so the pages keep working behind a
 * reverse proxy that mounts the server under a path of its own.
 */
final class Page {

	/** Guide text is "Vietnamese / English"; this is where one language ends and the other begins. */
	static final String LANGUAGE_SEPARATOR = " / ";

	private static final String CSS = """
			body{font-family:system-ui,sans-serif;margin:0 auto;max-width:78em;padding:0 1.2em 3em;color:#1d2733;line-height:1.45}
			header{border-bottom:3px solid #b5121b;padding:.8em 0;margin-bottom:1em}
			header a{color:#b5121b;font-weight:600;text-decoration:none}
			h1{font-size:1.6em;margin:.4em 0}
			h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #d0d7de;padding-bottom:.2em}
			h3{font-size:1.05em}
			.en{color:#5a6673;font-weight:normal}
			p.en,div.en{font-style:italic}
			table{border-collapse:collapse;width:100%;margin:.6em 0;font-size:.92em}
			th,td{border:1px solid #d0d7de;padding:.3em .5em;text-align:left;vertical-align:top}
			th{background:#f3f5f7}
			table.meta th{width:14em}
			code,pre{font-family:ui-monospace,monospace;font-size:.9em}
			td code{word-break:break-word}
			pre{background:#f6f8fa;padding:.8em;overflow:auto}
			.ms{color:#b5121b;font-weight:700}
			.muted{color:#8a949e}
			footer{margin-top:3em;font-size:.85em;color:#5a6673}
			""";

	private final Html html = new Html();
	private final GuideCatalog catalog;
	/** From this page to /ig/: "" on the index, "../" on a resource page. */
	private final String toRoot;

	private Page(GuideCatalog catalog, String toRoot) {
		this.catalog = catalog;
		this.toRoot = toRoot;
	}

	static Page index(GuideCatalog catalog, String titleVi, String titleEn) {
		return new Page(catalog, "").start(titleVi, titleEn);
	}

	static Page resource(GuideCatalog catalog, String titleVi, String titleEn) {
		return new Page(catalog, "../").start(titleVi, titleEn);
	}

	/** A page at any depth (an error page), linking by the given path of /ig/. */
	static Page at(GuideCatalog catalog, String toRoot, String titleVi, String titleEn) {
		return new Page(catalog, toRoot).start(titleVi, titleEn);
	}

	String toRoot() {
		return toRoot.isEmpty() ? "./" : toRoot;
	}

	Html html() {
		return html;
	}

	GuideCatalog catalog() {
		return catalog;
	}

	private Page start(String titleVi, String titleEn) {
		html.doctype().open("html", "lang", "vi").newline();
		html.open("head")
				.empty("meta", "charset", "utf-8")
				.empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1")
				.element("title", titleEn == null ? titleVi : titleVi + " (" + titleEn + ")")
				.style(CSS)
				.close("head")
				.newline();
		html.open("body").open("header");
		html.open("a", "href", toRoot())
				.text(catalog.guide().npm().title() + " " + catalog.version())
				.close("a");
		html.text(" · Hướng dẫn triển khai ").element("span", "Implementation guide", "class", "en", "lang", "en");
		html.close("header").newline();
		return this;
	}

	/** Closes the page and returns it as UTF-8 HTML. */
	String finish() {
		html.open("footer")
				.text("Gói " + catalog.packageId() + "#" + catalog.version() + " · ")
				.open("a", "href", toRoot + catalog.packageId() + ".tgz").text("tải gói").close("a")
				.text(" ")
				.element("span", "(download the package)", "class", "en", "lang", "en")
				.close("footer");
		html.close("body").close("html").newline();
		return html.toString();
	}

	/** A heading in Vietnamese with its English beside it. */
	Page heading(String tag, String vi, String en) {
		html.open(tag).text(vi);
		if (en != null) {
			html.text(" ").element("span", en, "class", "en", "lang", "en");
		}
		html.close(tag).newline();
		return this;
	}

	/** Guide text of the form "Vietnamese / English" as two paragraphs, each marked with its language. */
	Page bilingualParagraphs(String text) {
		if (text == null || text.isBlank()) {
			return this;
		}
		String[] parts = split(text);
		html.element("p", parts[0], "lang", "vi");
		if (parts[1] != null) {
			html.element("p", parts[1], "class", "en", "lang", "en");
		}
		return this;
	}

	/** The same inside a table cell or list item: Vietnamese, then English on a line of its own. */
	Page bilingualInline(String text) {
		if (text == null || text.isBlank()) {
			return this;
		}
		String[] parts = split(text);
		html.text(parts[0]);
		if (parts[1] != null) {
			html.open("div", "class", "en", "lang", "en").text(parts[1]).close("div");
		}
		return this;
	}

	/** [Vietnamese, English or null] of "Vietnamese / English"; text without the separator is Vietnamese. */
	static String[] split(String text) {
		int at = text.indexOf(LANGUAGE_SEPARATOR);
		if (at < 0) {
			return new String[] {text.strip(), null};
		}
		return new String[] {
			text.substring(0, at).strip(), text.substring(at + LANGUAGE_SEPARATOR.length()).strip()
		};
	}

	/** The href of another page of the guide. */
	String href(GuideCatalog.Entry entry) {
		return toRoot + entry.type() + "/" + entry.id();
	}

	Page link(GuideCatalog.Entry entry, String text) {
		html.element("a", text, "href", href(entry));
		return this;
	}

	/**
	 * A canonical URL as a link: to its page when this package defines it, to the URL itself when it is
	 * a web address (the FHIR specification's own definitions), else as plain text.
	 */
	Page canonical(String url) {
		if (url == null) {
			return this;
		}
		Optional<GuideCatalog.Entry> local = catalog.byCanonical(url);
		if (local.isPresent()) {
			html.element("a", local.get().id(), "href", href(local.get()), "title", url);
		} else {
			external(url, lastSegment(url));
		}
		return this;
	}

	/** A link out of the guide, only for http(s) addresses: other schemes are shown, never followed. */
	Page external(String url, String text) {
		if (url != null && (url.startsWith("https://") || url.startsWith("http://"))) {
			html.element("a", text, "href", url, "title", url);
		} else {
			html.text(text);
		}
		return this;
	}

	/** A two-column table row: label (Vietnamese, English) and a text value. */
	Page metaRow(String vi, String en, String value) {
		if (value == null || value.isBlank()) {
			return this;
		}
		metaLabel(vi, en);
		html.open("td").text(value).close("td").close("tr");
		return this;
	}

	/** Starts a two-column row whose value the caller writes, then closes with {@link #endMetaRow()}. */
	Page metaLabel(String vi, String en) {
		html.open("tr").open("th").text(vi);
		if (en != null) {
			html.text(" ").element("span", en, "class", "en", "lang", "en");
		}
		html.close("th");
		return this;
	}

	Page endMetaRow() {
		html.close("tr");
		return this;
	}

	/** A table head row with bilingual column names, given as pairs (Vietnamese, English or null). */
	Page tableHead(String... viEn) {
		html.open("thead").open("tr");
		for (int i = 0; i < viEn.length; i += 2) {
			html.open("th").text(viEn[i]);
			if (viEn[i + 1] != null) {
				html.open("div", "class", "en", "lang", "en").text(viEn[i + 1]).close("div");
			}
			html.close("th");
		}
		html.close("tr").close("thead");
		return this;
	}

	/** Links to the raw JSON of a resource, as the package holds it. */
	Page jsonLink(GuideCatalog.Entry entry) {
		html.open("p").text("JSON: ")
				.element("a", entry.filename(), "href", href(entry) + ".json", "type", "application/fhir+json")
				.text(" ")
				.element("span", "(the resource exactly as the package holds it)", "class", "en", "lang", "en")
				.close("p");
		return this;
	}

	static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return value != null && value.isValueNode() ? value.asText() : null;
	}

	static String lastSegment(String url) {
		String bare = url.contains("|") ? url.substring(0, url.indexOf('|')) : url;
		int slash = bare.lastIndexOf('/');
		return slash >= 0 && slash < bare.length() - 1 ? bare.substring(slash + 1) : bare;
	}
}
