package vn.ehealth.fhir.server.guide;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.hl7.fhir.utilities.npm.NpmPackage;
import vn.ehealth.fhir.server.validation.GuidePackage;

/**
 * The guide package read once into memory: every resource of the package (and its examples) by type
 * and id, with its raw JSON kept byte for byte so what the pages offer for download is exactly what
 * the package holds. The pages work on Jackson trees rather than HAPI models because they show what
 * the author wrote (differential, designations) and never need FHIR semantics.
 */
final class GuideCatalog {

	/** One resource file of the package. */
	record Entry(String type, String id, String url, String filename, boolean example, JsonNode json, byte[] raw) {

		String text(String field) {
			JsonNode value = json.get(field);
			return value != null && value.isValueNode() ? value.asText() : null;
		}

		/** What a person calls it: its title, else its name, else its id. */
		String label() {
			String title = text("title");
			if (title != null && !title.isBlank()) {
				return title;
			}
			String name = text("name");
			return name != null && !name.isBlank() ? name : id;
		}
	}

	private final GuidePackage guide;
	/** type → id → entry, ids in order so the index reads alphabetically. */
	private final Map<String, Map<String, Entry>> byType = new TreeMap<>();
	private final Map<String, Entry> byUrl = new HashMap<>();

	private GuideCatalog(GuidePackage guide) {
		this.guide = guide;
	}

	static GuideCatalog read(GuidePackage guide, ObjectMapper mapper) {
		GuideCatalog catalog = new GuideCatalog(guide);
		try {
			for (Map.Entry<String, NpmPackage.NpmPackageFolder> folder : guide.npm().getFolders().entrySet()) {
				// "package" holds the conformance resources; "example" (and any other folder) examples
				boolean example = !"package".equals(folder.getKey());
				for (String file : folder.getValue().listFiles()) {
					if (!file.endsWith(".json") || file.startsWith(".") || file.equals("package.json")) {
						continue;
					}
					byte[] raw = folder.getValue().fetchFile(file);
					catalog.add(file, example, mapper.readTree(raw), raw);
				}
			}
		} catch (IOException e) {
			throw new UncheckedIOException("Cannot read the guide package " + guide.source(), e);
		}
		return catalog;
	}

	private void add(String filename, boolean example, JsonNode json, byte[] raw) {
		String type = json.path("resourceType").asText(null);
		String id = json.path("id").asText(null);
		if (type == null || id == null) {
			return; // not a resource (an IG's extra JSON files)
		}
		String url = json.path("url").asText(null);
		Entry entry = new Entry(type, id, example ? null : url, filename, example, json, raw);
		Entry earlier = byType.computeIfAbsent(type, t -> new TreeMap<>()).putIfAbsent(id, entry);
		if (earlier == null && entry.url() != null) {
			byUrl.putIfAbsent(entry.url(), entry);
		}
	}

	Optional<Entry> find(String type, String id) {
		return Optional.ofNullable(byType.getOrDefault(type, Map.of()).get(id));
	}

	/** The resource a canonical URL names (a "|version" suffix is ignored), if this package holds it. */
	Optional<Entry> byCanonical(String canonical) {
		if (canonical == null) {
			return Optional.empty();
		}
		int bar = canonical.indexOf('|');
		return Optional.ofNullable(byUrl.get(bar < 0 ? canonical : canonical.substring(0, bar)));
	}

	Collection<Entry> all(String type) {
		return byType.getOrDefault(type, Map.of()).values();
	}

	List<Entry> conformance(String type) {
		return all(type).stream().filter(entry -> !entry.example()).toList();
	}

	List<Entry> examples() {
		return byType.values().stream()
				.flatMap(entries -> entries.values().stream())
				.filter(Entry::example)
				.toList();
	}

	GuidePackage guide() {
		return guide;
	}

	String packageId() {
		return guide.id();
	}

	String version() {
		return guide.version();
	}

	/** The file name a download is saved under: id-version.tgz, as package registries name them. */
	String downloadName() {
		return guide.id() + "-" + guide.version() + ".tgz";
	}
}
