package vn.ehealth.fhir.server.guide;

import static vn.ehealth.fhir.server.guide.StructureDefinitionPage.list;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;

/** Which page a resource gets, the index of the whole guide, and the pages for what is not there. */
final class GuidePages {

	private final GuideCatalog catalog;
	private final ObjectMapper mapper;

	GuidePages(GuideCatalog catalog, ObjectMapper mapper) {
		this.catalog = catalog;
		this.mapper = mapper;
	}

	/** The HTML page of a resource, or empty when the package has no such resource. */
	Optional<String> resource(String type, String id) {
		return catalog.find(type, id).map(entry -> switch (entry.type()) {
			case "StructureDefinition" -> StructureDefinitionPage.render(catalog, entry);
			case "CodeSystem" -> TerminologyPages.codeSystem(catalog, entry);
			case "ValueSet" -> TerminologyPages.valueSet(catalog, entry);
			case "ConceptMap" -> TerminologyPages.conceptMap(catalog, entry);
			default -> example(entry);
		});
	}

	String index() {
		Page page = Page.index(catalog, catalog.guide().npm().title(), "Implementation guide");
		Html html = page.html();
		page.heading("h1", catalog.guide().npm().title(), null);
		html.open("p").text("Hướng dẫn triển khai FHIR R4 cho ngành y tế Việt Nam ")
				.element("span", "(FHIR R4 implementation guide for Vietnam's health sector)", "class", "en", "lang", "en")
				.close("p");
		page.bilingualParagraphs(catalog.guide().npm().description());

		html.open("table", "class", "meta").open("tbody");
		page.metaRow("Mã gói", "Package id", catalog.packageId());
		page.metaRow("Phiên bản", "Version", catalog.version());
		page.metaRow("URL chuẩn", "Canonical", catalog.guide().npm().canonical());
		page.metaRow("Phiên bản FHIR", "FHIR version", catalog.guide().npm().fhirVersion());
		page.metaRow("Phụ thuộc", "Depends on", String.join(", ", catalog.guide().npm().dependencies()));
		page.metaRow("Giấy phép", "Licence", catalog.guide().npm().getNpm().asString("license"));
		html.close("tbody").close("table").newline();

		page.heading("h2", "Tải gói", "Download the package");
		html.open("p")
				.element("a", catalog.downloadName(), "href", catalog.packageId() + ".tgz", "type", "application/gzip")
				.text(" · " + catalog.guide().tgz().length / 1024 + " KiB · SHA-256 ")
				.element("code", catalog.guide().sha256())
				.close("p");
		html.open("p").text("Gói định dạng NPM của FHIR, dùng được với bộ kiểm tra HL7 (")
				.element("code", "-ig " + catalog.downloadName())
				.text(") hoặc HAPI FHIR. ")
				.element("span", "An NPM-format FHIR package for the HL7 validator or HAPI FHIR.", "class", "en", "lang", "en")
				.close("p");
		html.open("p").text("Máy chủ này kiểm tra tài nguyên theo hồ sơ: ")
				.element("code", "POST /fhir/Patient/$validate?profile=" + catalog.guide().npm().canonical()
						+ "/StructureDefinition/vn-patient")
				.text(" ")
				.element("span", "(this server validates resources against the profiles)", "class", "en", "lang", "en")
				.close("p");

		List<GuideCatalog.Entry> definitions = catalog.conformance("StructureDefinition");
		structureDefinitions(page, "Hồ sơ", "Profiles",
				definitions.stream().filter(e -> !StructureDefinitionPage.isExtension(e.json())).toList(), false);
		structureDefinitions(page, "Tiện ích mở rộng", "Extensions",
				definitions.stream().filter(e -> StructureDefinitionPage.isExtension(e.json())).toList(), true);
		codeSystems(page);
		simpleTable(page, "Tập giá trị", "Value sets", catalog.conformance("ValueSet"));
		conceptMaps(page);
		examples(page);
		return page.finish();
	}

	private void structureDefinitions(
			Page page, String vi, String en, List<GuideCatalog.Entry> entries, boolean extensions) {
		Html html = page.html();
		page.heading("h2", vi, en);
		html.open("table");
		page.tableHead("Mã", "Id", "Tên", "Title", extensions ? "Dùng cho" : "Kiểu gốc", extensions ? "Context" : "Base type",
				"Mô tả", "Description");
		html.open("tbody");
		for (GuideCatalog.Entry entry : entries) {
			html.open("tr").open("td");
			page.link(entry, entry.id());
			html.close("td");
			html.element("td", entry.label());
			if (extensions) {
				StringBuilder contexts = new StringBuilder();
				for (JsonNode context : list(entry.json().path("context"))) {
					contexts.append(contexts.isEmpty() ? "" : ", ").append(Page.text(context, "expression"));
				}
				html.element("td", contexts.toString());
			} else {
				html.element("td", entry.text("type"));
			}
			html.open("td");
			page.bilingualInline(entry.text("description"));
			html.close("td");
			html.close("tr").newline();
		}
		html.close("tbody").close("table").newline();
	}

	private void codeSystems(Page page) {
		Html html = page.html();
		page.heading("h2", "Hệ mã", "Code systems");
		html.open("table");
		page.tableHead("Mã", "Id", "Tên", "Title", "Nội dung", "Content", "Số mã", "Count");
		html.open("tbody");
		for (GuideCatalog.Entry entry : catalog.conformance("CodeSystem")) {
			html.open("tr").open("td");
			page.link(entry, entry.id());
			html.close("td");
			html.element("td", entry.label());
			html.element("td", entry.text("content"));
			html.element("td", entry.text("count"));
			html.close("tr").newline();
		}
		html.close("tbody").close("table").newline();
	}

	private void conceptMaps(Page page) {
		Html html = page.html();
		page.heading("h2", "Ánh xạ mã", "Concept maps");
		html.open("table");
		page.tableHead("Mã", "Id", "Tên", "Title", "Nguồn → đích", "Source → target");
		html.open("tbody");
		for (GuideCatalog.Entry entry : catalog.conformance("ConceptMap")) {
			html.open("tr").open("td");
			page.link(entry, entry.id());
			html.close("td");
			html.element("td", entry.label());
			html.open("td");
			page.canonical(entry.text("sourceCanonical") != null ? entry.text("sourceCanonical") : entry.text("sourceUri"));
			html.text(" → ");
			page.canonical(entry.text("targetCanonical") != null ? entry.text("targetCanonical") : entry.text("targetUri"));
			html.close("td");
			html.close("tr").newline();
		}
		html.close("tbody").close("table").newline();
	}

	private void simpleTable(Page page, String vi, String en, List<GuideCatalog.Entry> entries) {
		Html html = page.html();
		page.heading("h2", vi, en);
		html.open("table");
		page.tableHead("Mã", "Id", "Tên", "Title");
		html.open("tbody");
		for (GuideCatalog.Entry entry : entries) {
			html.open("tr").open("td");
			page.link(entry, entry.id());
			html.close("td");
			html.element("td", entry.label());
			html.close("tr").newline();
		}
		html.close("tbody").close("table").newline();
	}

	private void examples(Page page) {
		List<GuideCatalog.Entry> examples = catalog.examples();
		if (examples.isEmpty()) {
			return;
		}
		Html html = page.html();
		page.heading("h2", "Ví dụ", "Examples");
		html.open("table");
		page.tableHead("Loại tài nguyên", "Resource type", "Mã", "Id", "Hồ sơ", "Profile");
		html.open("tbody");
		for (GuideCatalog.Entry entry : examples) {
			html.open("tr");
			html.element("td", entry.type());
			html.open("td");
			page.link(entry, entry.id());
			html.close("td");
			html.open("td");
			for (JsonNode profile : list(entry.json().path("meta").path("profile"))) {
				page.canonical(profile.asText());
				html.text(" ");
			}
			html.close("td");
			html.close("tr").newline();
		}
		html.close("tbody").close("table").newline();
	}

	/** An example (or any resource without a page of its own): its JSON, readable. */
	private String example(GuideCatalog.Entry entry) {
		Page page = Page.resource(catalog, entry.type() + "/" + entry.id(), entry.example() ? "Example" : null);
		Html html = page.html();
		page.heading("h1", entry.type() + "/" + entry.id(), null);
		if (entry.example()) {
			html.element("p", "Ví dụ (Example)");
		}
		page.jsonLink(entry);
		String pretty;
		try {
			pretty = mapper.writerWithDefaultPrettyPrinter().writeValueAsString(entry.json());
		} catch (JsonProcessingException e) {
			pretty = entry.json().toString();
		}
		html.element("pre", pretty);
		return page.finish();
	}

	/** A 404 page that names what was asked for, so a mistyped id is easy to see. */
	String notFound(String what, String igRoot) {
		return problem(igRoot, "Không tìm thấy", "Not found",
				"Hướng dẫn không có " + what + ".", "The guide has no " + what + ".");
	}

	/** A short page explaining why a request got no page, with the way back to the index. */
	String problem(String igRoot, String titleVi, String titleEn, String textVi, String textEn) {
		Page page = Page.at(catalog, igRoot, titleVi, titleEn);
		Html html = page.html();
		page.heading("h1", titleVi, titleEn);
		html.element("p", textVi, "lang", "vi");
		html.element("p", textEn, "class", "en", "lang", "en");
		html.open("p").element("a", "Về trang mục lục (back to the index)", "href", page.toRoot()).close("p");
		return page.finish();
	}
}
