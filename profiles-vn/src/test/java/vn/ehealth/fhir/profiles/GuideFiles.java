package vn.ehealth.fhir.profiles;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StructureDefinition;

/** The module's JSON sources as the tests see them: one folder of the classpath each. */
final class GuideFiles {

	static final FhirContext FHIR = FhirContext.forR4Cached();

	/** One JSON file: its name, its text and the resource parsed from it. */
	record GuideFile(String name, String json, Resource resource) {
		@Override
		public String toString() {
			return name;
		}

		/** For a counter-example named {@code <key>-fail-<n>.json}, the key of the invariant it breaks. */
		String brokenInvariantKey() {
			int fail = name.lastIndexOf("-fail-");
			return fail < 0 ? null : name.substring(0, fail);
		}
	}

	private GuideFiles() {}

	static List<Path> paths(String folder) {
		URL url = GuideFiles.class.getClassLoader().getResource(folder);
		if (url == null) {
			throw new IllegalStateException("not on the classpath: " + folder);
		}
		try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
			return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		} catch (URISyntaxException e) {
			throw new IllegalStateException(e);
		}
	}

	static List<GuideFile> load(String folder) {
		List<GuideFile> files = new ArrayList<>();
		for (Path path : paths(folder)) {
			try {
				String json = Files.readString(path, StandardCharsets.UTF_8);
				Resource resource = (Resource) FHIR.newJsonParser().parseResource(json);
				files.add(new GuideFile(path.getFileName().toString(), json, resource));
			} catch (IOException e) {
				throw new UncheckedIOException(e);
			}
		}
		return files;
	}

	static List<GuideFile> profiles() {
		return load(Canonicals.PROFILES_FOLDER);
	}

	static List<GuideFile> examples() {
		return load(Canonicals.EXAMPLES_FOLDER);
	}

	static List<GuideFile> counterExamples() {
		return load(Canonicals.COUNTER_EXAMPLES_FOLDER);
	}

	static List<StructureDefinition> structureDefinitions() {
		return profiles().stream()
				.map(GuideFile::resource)
				.filter(StructureDefinition.class::isInstance)
				.map(StructureDefinition.class::cast)
				.toList();
	}

	/** Every invariant key the guide's StructureDefinitions declare in their differentials. */
	static Set<String> invariantKeys() {
		Set<String> keys = new LinkedHashSet<>();
		for (StructureDefinition sd : structureDefinitions()) {
			for (ElementDefinition element : sd.getDifferential().getElement()) {
				element.getConstraint().forEach(c -> keys.add(c.getKey()));
			}
		}
		return keys;
	}
}
