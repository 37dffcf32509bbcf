package vn.ehealth.fhir.igpackage;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Resource;

/**
 * What goes into the guide: the conformance resources of profiles-vn (classpath
 * {@code vietfhir/profiles/}) and terminology, and the valid examples ({@code vietfhir/examples/}).
 */
public record GuideContent(List<Resource> conformance, List<Resource> examples) {

	public static final String PROFILES_FOLDER = "vietfhir/profiles";
	public static final String EXAMPLES_FOLDER = "vietfhir/examples";
	public static final String COUNTER_EXAMPLES_FOLDER = "vietfhir/counter-examples";
	/** The statistics' indicators (issue 20), one Measure each; this module's own resources. */
	public static final String MEASURES_FOLDER = "vietfhir/measures";

	public static GuideContent load(FhirContext fhir) {
		List<Resource> conformance = new ArrayList<>(parseFolder(fhir, PROFILES_FOLDER));
		conformance.addAll(TerminologyContent.resources(fhir));
		conformance.addAll(parseFolder(fhir, MEASURES_FOLDER));
		return new GuideContent(conformance, parseFolder(fhir, EXAMPLES_FOLDER));
	}

	static List<Resource> parseFolder(FhirContext fhir, String folder) {
		IParser parser = fhir.newJsonParser();
		List<Resource> resources = new ArrayList<>();
		for (Map.Entry<String, byte[]> file : ClasspathFolder.read(folder, ".json").entrySet()) {
			try {
				resources.add((Resource) parser.parseResource(new String(file.getValue(), StandardCharsets.UTF_8)));
			} catch (RuntimeException e) {
				throw new IllegalStateException(folder + "/" + file.getKey() + ": " + e.getMessage(), e);
			}
		}
		return resources;
	}
}
