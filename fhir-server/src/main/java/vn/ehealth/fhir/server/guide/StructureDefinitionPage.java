package vn.ehealth.fhir.server.guide;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The page of a profile or extension: what it constrains, read from its differential (the author's
 * own statements) with the cardinality completed from the snapshot, and its invariants with their
 * Vietnamese and English text side by side.
 */
final class StructureDefinitionPage {

	private StructureDefinitionPage() {}

	static String render(GuideCatalog catalog, GuideCatalog.Entry entry) {
		JsonNode sd = entry.json();
		boolean extension = isExtension(sd);
		Page page = Page.resource(catalog, entry.label(), extension ? "Extension" : "Profile");
		Html html = page.html();

		page.heading("h1", entry.label(), null);
		html.element("p", extension ? "Tiện ích mở rộng (Extension)" : "Hồ sơ (Profile) · " + Page.text(sd, "type"));
		page.bilingualParagraphs(Page.text(sd, "description"));

		html.open("table", "class", "meta").open("tbody");
		page.metaRow("URL chuẩn", "Canonical URL", entry.url());
		page.metaRow("Tên", "Name", Page.text(sd, "name"));
		page.metaRow("Phiên bản", "Version", Page.text(sd, "version"));
		page.metaRow("Trạng thái", "Status", Page.text(sd, "status"));
		page.metaRow("Kiểu", "Type", Page.text(sd, "type") + " (" + Page.text(sd, "kind") + ")");
		page.metaLabel("Định nghĩa gốc", "Base definition");
		html.open("td");
		page.canonical(Page.text(sd, "baseDefinition"));
		html.close("td");
		page.endMetaRow();
		if (extension) {
			page.metaLabel("Ngữ cảnh sử dụng", "Context");
			html.open("td");
			contexts(page, sd);
			html.close("td");
			page.endMetaRow();
		}
		html.close("tbody").close("table").newline();
		page.jsonLink(entry);

		Map<String, JsonNode> snapshot = snapshotById(sd);
		List<JsonNode> differential = list(sd.path("differential").path("element"));
		if (extension) {
			subExtensions(page, differential, snapshot);
		} else {
			validationHint(page, sd, entry);
		}
		differentialTable(page, differential, snapshot);
		invariants(page, differential);
		return page.finish();
	}

	static boolean isExtension(JsonNode sd) {
		return "Extension".equals(Page.text(sd, "type"));
	}

	private static void contexts(Page page, JsonNode sd) {
		Html html = page.html();
		List<JsonNode> contexts = list(sd.path("context"));
		for (int i = 0; i < contexts.size(); i++) {
			if (i > 0) {
				html.text(", ");
			}
			html.element("code", Page.text(contexts.get(i), "expression"))
					.text(" (" + Page.text(contexts.get(i), "type") + ")");
		}
	}

	private static void validationHint(Page page, JsonNode sd, GuideCatalog.Entry entry) {
		page.heading("h2", "Kiểm tra tài nguyên theo hồ sơ", "Validating a resource against this profile");
		page.html().open("pre")
				.text("POST /fhir/" + Page.text(sd, "type") + "/$validate?profile=" + entry.url() + "\n"
						+ "Content-Type: application/fhir+json")
				.close("pre");
	}

	/** A complex extension's parts: each slice of Extension.extension with its value's type and binding. */
	private static void subExtensions(Page page, List<JsonNode> differential, Map<String, JsonNode> snapshot) {
		Html html = page.html();
		List<JsonNode> slices = differential.stream()
				.filter(e -> "Extension.extension".equals(Page.text(e, "path")) && e.has("sliceName"))
				.toList();
		if (slices.isEmpty()) {
			JsonNode value = byId(differential, "Extension.value[x]");
			if (value != null) {
				page.heading("h2", "Giá trị", "Value");
				html.open("p");
				types(page, value);
				binding(page, value);
				html.close("p");
			}
			return;
		}
		page.heading("h2", "Các phần của tiện ích", "Sub-extensions");
		html.open("table");
		page.tableHead("Tên (url)", "Name (url)", "Số lượng", "Cardinality", "Kiểu giá trị", "Value type",
				"Danh mục", "Binding", "Mô tả", "Description");
		html.open("tbody");
		for (JsonNode slice : slices) {
			String sliceId = Page.text(slice, "id");
			JsonNode url = byId(differential, sliceId + ".url");
			JsonNode value = byId(differential, sliceId + ".value[x]");
			html.open("tr");
			html.open("td").element("code", url != null ? firstPrefixed(url, "fixed") : Page.text(slice, "sliceName"))
					.close("td");
			html.element("td", cardinality(slice, snapshot));
			html.open("td");
			if (value != null) {
				types(page, value);
			}
			html.close("td");
			html.open("td");
			if (value != null) {
				binding(page, value);
			}
			html.close("td");
			html.open("td");
			page.bilingualInline(Page.text(slice, "short"));
			html.close("td");
			html.close("tr").newline();
		}
		html.close("tbody").close("table").newline();
	}

	private static void differentialTable(Page page, List<JsonNode> differential, Map<String, JsonNode> snapshot) {
		Html html = page.html();
		page.heading("h2", "Các ràng buộc của hồ sơ (differential)", "What the profile constrains");
		html.open("table");
		page.tableHead("Phần tử", "Element", "Số lượng", "Cardinality", "Kiểu", "Type",
				"Giá trị cố định, mẫu, giới hạn", "Fixed, pattern, limits", "Danh mục", "Binding",
				"Bắt buộc hỗ trợ", "Must support", "Mô tả", "Description");
		html.open("tbody");
		for (JsonNode element : differential) {
			html.open("tr");
			html.open("td").element("code", Page.text(element, "id"));
			JsonNode slicing = element.get("slicing");
			if (slicing != null) {
				html.open("div", "class", "muted").text("slicing: " + slicing(slicing)).close("div");
			}
			html.close("td");
			html.element("td", cardinality(element, snapshot));
			html.open("td");
			types(page, element);
			html.close("td");
			html.open("td");
			values(html, element);
			html.close("td");
			html.open("td");
			binding(page, element);
			html.close("td");
			if (element.path("mustSupport").asBoolean(false)) {
				html.open("td").element("span", "S", "class", "ms", "title", "must support").close("td");
			} else {
				html.element("td", "");
			}
			html.open("td");
			page.bilingualInline(Page.text(element, "short"));
			html.close("td");
			html.close("tr").newline();
		}
		html.close("tbody").close("table").newline();
	}

	private static void invariants(Page page, List<JsonNode> differential) {
		Html html = page.html();
		page.heading("h2", "Quy tắc kiểm tra (invariant)", "Invariants");
		List<JsonNode[]> rows = new ArrayList<>();
		for (JsonNode element : differential) {
			for (JsonNode constraint : list(element.path("constraint"))) {
				rows.add(new JsonNode[] {element, constraint});
			}
		}
		if (rows.isEmpty()) {
			html.open("p", "class", "muted").text("Không có quy tắc riêng. ")
					.element("span", "No invariants of its own.", "lang", "en").close("p");
			return;
		}
		html.open("table");
		page.tableHead("Mã", "Key", "Phần tử", "Element", "Mức độ", "Severity", "Tiếng Việt", null, "English", null,
				"Biểu thức FHIRPath", "FHIRPath expression");
		html.open("tbody");
		for (JsonNode[] row : rows) {
			JsonNode constraint = row[1];
			String[] human = Page.split(Page.text(constraint, "human") == null ? "" : Page.text(constraint, "human"));
			html.open("tr", "id", Page.text(constraint, "key"));
			html.open("td").element("code", Page.text(constraint, "key")).close("td");
			html.open("td").element("code", Page.text(row[0], "id")).close("td");
			html.element("td", Page.text(constraint, "severity"));
			html.element("td", human[0], "lang", "vi");
			html.element("td", human[1] == null ? "" : human[1], "lang", "en");
			html.open("td").element("code", Page.text(constraint, "expression")).close("td");
			html.close("tr").newline();
		}
		html.close("tbody").close("table").newline();
	}

	/** min..max, each from the differential when it says so, else from the snapshot's same element. */
	static String cardinality(JsonNode element, Map<String, JsonNode> snapshot) {
		JsonNode full = snapshot.getOrDefault(Page.text(element, "id"), element);
		String min = element.has("min") ? element.get("min").asText() : Page.text(full, "min");
		String max = element.has("max") ? element.get("max").asText() : Page.text(full, "max");
		return (min == null ? "?" : min) + ".." + (max == null ? "?" : max);
	}

	/** Types with their profiles and, for references, the profiles of what they may point to. */
	private static void types(Page page, JsonNode element) {
		Html html = page.html();
		List<JsonNode> types = list(element.path("type"));
		for (int i = 0; i < types.size(); i++) {
			JsonNode type = types.get(i);
			if (i > 0) {
				html.text(" | ");
			}
			html.text(Page.lastSegment(Page.text(type, "code")));
			List<JsonNode> profiles = list(type.path("profile"));
			List<JsonNode> targets = list(type.path("targetProfile"));
			if (!profiles.isEmpty()) {
				html.text(" ");
				canonicalList(page, profiles, "{", "}");
			}
			if (!targets.isEmpty()) {
				canonicalList(page, targets, "(", ")");
			}
		}
	}

	private static void canonicalList(Page page, List<JsonNode> urls, String open, String close) {
		page.html().text(open);
		for (int i = 0; i < urls.size(); i++) {
			if (i > 0) {
				page.html().text(" | ");
			}
			page.canonical(urls.get(i).asText());
		}
		page.html().text(close);
	}

	/** fixed[x], pattern[x], min/maxValue[x] and maxLength, named by the kind of constraint. */
	private static void values(Html html, JsonNode element) {
		Iterator<Map.Entry<String, JsonNode>> fields = element.fields();
		boolean first = true;
		while (fields.hasNext()) {
			Map.Entry<String, JsonNode> field = fields.next();
			String name = field.getKey();
			String label = name.startsWith("fixed") ? "cố định (fixed)"
					: name.startsWith("pattern") ? "mẫu (pattern)"
					: name.startsWith("minValue") ? "tối thiểu (min)"
					: name.startsWith("maxValue") ? "tối đa (max)"
					: name.equals("maxLength") ? "độ dài tối đa (max length)"
					: null;
			if (label == null) {
				continue;
			}
			if (!first) {
				html.empty("br");
			}
			first = false;
			JsonNode value = field.getValue();
			html.text(label + ": ").element("code", value.isValueNode() ? value.asText() : value.toString());
		}
	}

	private static void binding(Page page, JsonNode element) {
		JsonNode binding = element.get("binding");
		if (binding == null) {
			return;
		}
		Html html = page.html();
		html.text(Page.text(binding, "strength") + " ");
		page.canonical(Page.text(binding, "valueSet"));
		String description = Page.text(binding, "description");
		if (description != null) {
			html.open("div", "class", "muted");
			page.bilingualInline(description);
			html.close("div");
		}
	}

	private static String slicing(JsonNode slicing) {
		StringBuilder text = new StringBuilder();
		for (JsonNode discriminator : list(slicing.path("discriminator"))) {
			if (!text.isEmpty()) {
				text.append(", ");
			}
			text.append(Page.text(discriminator, "type")).append(" @ ").append(Page.text(discriminator, "path"));
		}
		String rules = Page.text(slicing, "rules");
		return rules == null ? text.toString() : text + " (" + rules + ")";
	}

	private static String firstPrefixed(JsonNode element, String prefix) {
		Iterator<Map.Entry<String, JsonNode>> fields = element.fields();
		while (fields.hasNext()) {
			Map.Entry<String, JsonNode> field = fields.next();
			if (field.getKey().startsWith(prefix)) {
				return field.getValue().asText();
			}
		}
		return null;
	}

	private static Map<String, JsonNode> snapshotById(JsonNode sd) {
		Map<String, JsonNode> byId = new HashMap<>();
		for (JsonNode element : list(sd.path("snapshot").path("element"))) {
			byId.put(Page.text(element, "id"), element);
		}
		return byId;
	}

	private static JsonNode byId(List<JsonNode> elements, String id) {
		return elements.stream().filter(e -> id.equals(Page.text(e, "id"))).findFirst().orElse(null);
	}

	static List<JsonNode> list(JsonNode array) {
		List<JsonNode> items = new ArrayList<>();
		array.forEach(items::add);
		return items;
	}
}
