package vn.ehealth.fhir.server.guide;

import static vn.ehealth.fhir.server.guide.StructureDefinitionPage.list;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The pages of code systems (every code, Vietnamese and English), value sets and concept maps. */
final class TerminologyPages {

	/** CodeSystem.content, said in Vietnamese: whether the package holds the whole list matters to integrators. */
	private static final Map<String, String> CONTENT = Map.of(
			"complete", "đầy đủ: gói chứa mọi mã",
			"fragment", "một phần: gói chỉ chứa một phần danh mục",
			"example", "ví dụ",
			"not-present", "không kèm mã",
			"supplement", "bổ sung");

	/** ConceptMap equivalence, said in Vietnamese. */
	private static final Map<String, String> EQUIVALENCE = Map.ofEntries(
			Map.entry("equivalent", "tương đương"),
			Map.entry("equal", "trùng khớp"),
			Map.entry("wider", "rộng hơn"),
			Map.entry("subsumes", "bao hàm"),
			Map.entry("narrower", "hẹp hơn"),
			Map.entry("specializes", "chuyên biệt hơn"),
			Map.entry("inexact", "gần đúng"),
			Map.entry("unmatched", "không có tương ứng"),
			Map.entry("disjoint", "không giao nhau"),
			Map.entry("relatedto", "có liên quan"));

	private TerminologyPages() {}

	static String codeSystem(GuideCatalog catalog, GuideCatalog.Entry entry) {
		JsonNode cs = entry.json();
		Page page = Page.resource(catalog, entry.label(), "Code system");
		Html html = page.html();
		page.heading("h1", entry.label(), null);
		html.element("p", "Hệ mã (Code system)");
		page.bilingualParagraphs(Page.text(cs, "description"));

		List<Row> rows = new ArrayList<>();
		flatten(list(cs.path("concept")), 0, rows);
		String content = Page.text(cs, "content");

		html.open("table", "class", "meta").open("tbody");
		page.metaRow("URL chuẩn", "Canonical URL", entry.url());
		page.metaRow("Tên", "Name", Page.text(cs, "name"));
		page.metaRow("Phiên bản", "Version", Page.text(cs, "version"));
		page.metaRow("Trạng thái", "Status", Page.text(cs, "status"));
		page.metaRow("Nội dung", "Content",
				content == null ? null : content + (CONTENT.containsKey(content) ? " — " + CONTENT.get(content) : ""));
		page.metaRow("Số mã khai báo", "Declared count", Page.text(cs, "count"));
		page.metaRow("Số mã trong gói", "Codes in the package", Integer.toString(rows.size()));
		page.metaRow("Phân biệt hoa thường", "Case sensitive", Page.text(cs, "caseSensitive"));
		page.metaRow("Quan hệ phân cấp", "Hierarchy", Page.text(cs, "hierarchyMeaning"));
		String valueSet = Page.text(cs, "valueSet");
		if (valueSet != null) {
			page.metaLabel("Tập giá trị", "Value set");
			html.open("td");
			page.canonical(valueSet);
			html.close("td");
			page.endMetaRow();
		}
		html.close("tbody").close("table").newline();
		page.jsonLink(entry);

		List<String> properties = new ArrayList<>(propertyCodes(rows));
		boolean definitions = rows.stream().anyMatch(row -> row.concept.has("definition"));
		page.heading("h2", "Danh sách mã", "Codes");
		html.open("table");
		List<String> head = new ArrayList<>(List.of("Mã", "Code", "Tên tiếng Việt", "Vietnamese display",
				"Tên tiếng Anh", "English designation"));
		if (definitions) {
			head.addAll(List.of("Định nghĩa", "Definition"));
		}
		for (String property : properties) {
			head.add(property);
			head.add(null);
		}
		page.tableHead(head.toArray(String[]::new));
		html.open("tbody");
		for (Row row : rows) {
			JsonNode concept = row.concept;
			html.open("tr", "id", "code-" + Page.text(concept, "code"));
			// nested concepts (ICD-10 chapter, block, category, subcategory) step to the right
			html.open("td", "style", row.depth == 0 ? null : "padding-left:" + (0.5 + 1.5 * row.depth) + "em")
					.element("code", Page.text(concept, "code"))
					.close("td");
			html.element("td", Page.text(concept, "display"), "lang", "vi");
			html.element("td", english(concept), "lang", "en");
			if (definitions) {
				html.open("td");
				page.bilingualInline(Page.text(concept, "definition"));
				html.close("td");
			}
			for (String property : properties) {
				html.element("td", propertyValue(concept, property));
			}
			html.close("tr").newline();
		}
		html.close("tbody").close("table").newline();
		return page.finish();
	}

	static String valueSet(GuideCatalog catalog, GuideCatalog.Entry entry) {
		JsonNode vs = entry.json();
		Page page = Page.resource(catalog, entry.label(), "Value set");
		Html html = page.html();
		page.heading("h1", entry.label(), null);
		html.element("p", "Tập giá trị (Value set)");
		page.bilingualParagraphs(Page.text(vs, "description"));
		html.open("table", "class", "meta").open("tbody");
		page.metaRow("URL chuẩn", "Canonical URL", entry.url());
		page.metaRow("Tên", "Name", Page.text(vs, "name"));
		page.metaRow("Phiên bản", "Version", Page.text(vs, "version"));
		page.metaRow("Trạng thái", "Status", Page.text(vs, "status"));
		html.close("tbody").close("table").newline();
		page.jsonLink(entry);

		for (String part : List.of("include", "exclude")) {
			List<JsonNode> rules = list(vs.path("compose").path(part));
			if (rules.isEmpty()) {
				continue;
			}
			if (part.equals("include")) {
				page.heading("h2", "Gồm các mã", "Includes");
			} else {
				page.heading("h2", "Loại trừ các mã", "Excludes");
			}
			html.open("table");
			page.tableHead("Hệ mã", "Code system", "Phiên bản", "Version", "Mã", "Codes", "Bộ lọc", "Filters",
					"Tập giá trị", "Value sets");
			html.open("tbody");
			for (JsonNode rule : rules) {
				composeRow(page, rule);
			}
			html.close("tbody").close("table").newline();
		}

		List<JsonNode> expansion = list(vs.path("expansion").path("contains"));
		if (!expansion.isEmpty()) {
			page.heading("h2", "Khai triển", "Expansion");
			html.open("table");
			page.tableHead("Hệ mã", "System", "Mã", "Code", "Tên", "Display");
			html.open("tbody");
			for (JsonNode contains : expansion) {
				html.open("tr").open("td");
				page.canonical(Page.text(contains, "system"));
				html.close("td");
				html.open("td").element("code", Page.text(contains, "code")).close("td");
				html.element("td", Page.text(contains, "display"));
				html.close("tr").newline();
			}
			html.close("tbody").close("table");
		}
		return page.finish();
	}

	private static void composeRow(Page page, JsonNode rule) {
		Html html = page.html();
		html.open("tr").open("td");
		page.canonical(Page.text(rule, "system"));
		html.close("td");
		html.element("td", Page.text(rule, "version"));
		html.open("td");
		List<JsonNode> concepts = list(rule.path("concept"));
		if (concepts.isEmpty() && rule.has("system") && !rule.has("filter")) {
			html.text("tất cả các mã ").element("span", "(all codes)", "class", "en", "lang", "en");
		}
		for (JsonNode concept : concepts) {
			html.element("code", Page.text(concept, "code"));
			String display = Page.text(concept, "display");
			html.text(display == null ? "" : " " + display);
			html.empty("br");
		}
		html.close("td");
		html.open("td");
		for (JsonNode filter : list(rule.path("filter"))) {
			html.element("code", Page.text(filter, "property") + " " + Page.text(filter, "op") + " "
					+ Page.text(filter, "value"));
			html.empty("br");
		}
		html.close("td");
		html.open("td");
		for (JsonNode valueSet : list(rule.path("valueSet"))) {
			page.canonical(valueSet.asText());
			html.empty("br");
		}
		html.close("td");
		html.close("tr").newline();
	}

	static String conceptMap(GuideCatalog catalog, GuideCatalog.Entry entry) {
		JsonNode cm = entry.json();
		Page page = Page.resource(catalog, entry.label(), "Concept map");
		Html html = page.html();
		page.heading("h1", entry.label(), null);
		html.element("p", "Ánh xạ mã (Concept map)");
		page.bilingualParagraphs(Page.text(cm, "description"));
		html.open("table", "class", "meta").open("tbody");
		page.metaRow("URL chuẩn", "Canonical URL", entry.url());
		page.metaRow("Tên", "Name", Page.text(cm, "name"));
		page.metaRow("Phiên bản", "Version", Page.text(cm, "version"));
		page.metaRow("Trạng thái", "Status", Page.text(cm, "status"));
		for (String[] side : new String[][] {{"source", "Nguồn", "Source"}, {"target", "Đích", "Target"}}) {
			String canonical = Page.text(cm, side[0] + "Canonical");
			if (canonical == null) {
				canonical = Page.text(cm, side[0] + "Uri");
			}
			if (canonical != null) {
				page.metaLabel(side[1], side[2]);
				html.open("td");
				page.canonical(canonical);
				html.close("td");
				page.endMetaRow();
			}
		}
		html.close("tbody").close("table").newline();
		page.jsonLink(entry);

		for (JsonNode group : list(cm.path("group"))) {
			html.open("h2");
			html.text("Ánh xạ ");
			page.canonical(Page.text(group, "source"));
			html.text(" → ");
			page.canonical(Page.text(group, "target"));
			html.text(" ").element("span", "Mapping", "class", "en", "lang", "en");
			html.close("h2").newline();
			html.open("table");
			page.tableHead("Mã nguồn", "Source code", "Tên nguồn", "Source display", "Quan hệ", "Equivalence",
					"Mã đích", "Target code", "Tên đích", "Target display", "Ghi chú", "Comment");
			html.open("tbody");
			for (JsonNode element : list(group.path("element"))) {
				List<JsonNode> targets = list(element.path("target"));
				if (targets.isEmpty()) {
					mappingRow(html, element, null);
				}
				for (JsonNode target : targets) {
					mappingRow(html, element, target);
				}
			}
			html.close("tbody").close("table").newline();
		}
		return page.finish();
	}

	private static void mappingRow(Html html, JsonNode source, JsonNode target) {
		html.open("tr");
		html.open("td").element("code", Page.text(source, "code")).close("td");
		html.element("td", Page.text(source, "display"));
		if (target == null) {
			html.element("td", "").element("td", "").element("td", "").element("td", "");
		} else {
			String equivalence = Page.text(target, "equivalence");
			html.element("td", equivalence == null ? ""
					: equivalence + (EQUIVALENCE.containsKey(equivalence) ? " (" + EQUIVALENCE.get(equivalence) + ")" : ""));
			html.open("td").element("code", Page.text(target, "code")).close("td");
			html.element("td", Page.text(target, "display"));
			html.element("td", Page.text(target, "comment"));
		}
		html.close("tr").newline();
	}

	/** A concept and how deep it sits in the hierarchy. */
	private record Row(JsonNode concept, int depth) {}

	private static void flatten(List<JsonNode> concepts, int depth, List<Row> rows) {
		for (JsonNode concept : concepts) {
			rows.add(new Row(concept, depth));
			flatten(list(concept.path("concept")), depth + 1, rows);
		}
	}

	/** The English designations of a concept (language "en" or "en-…"). */
	static String english(JsonNode concept) {
		List<String> values = new ArrayList<>();
		for (JsonNode designation : list(concept.path("designation"))) {
			String language = Page.text(designation, "language");
			if (language != null && (language.equals("en") || language.startsWith("en-"))) {
				values.add(Page.text(designation, "value"));
			}
		}
		return String.join("; ", values);
	}

	private static Set<String> propertyCodes(List<Row> rows) {
		Set<String> codes = new LinkedHashSet<>();
		for (Row row : rows) {
			for (JsonNode property : list(row.concept.path("property"))) {
				codes.add(Page.text(property, "code"));
			}
		}
		return codes;
	}

	private static String propertyValue(JsonNode concept, String code) {
		List<String> values = new ArrayList<>();
		for (JsonNode property : list(concept.path("property"))) {
			if (code.equals(Page.text(property, "code"))) {
				property.fields().forEachRemaining(field -> {
					if (field.getKey().startsWith("value")) {
						values.add(field.getValue().isValueNode() ? field.getValue().asText() : field.getValue().toString());
					}
				});
			}
		}
		return String.join(", ", values);
	}
}
