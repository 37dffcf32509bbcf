package vn.ehealth.fhir.igpackage;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import ca.uhn.fhir.parser.IParser;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StructureDefinition;

/**
 * Builds the {@code vietfhir.core} NPM-format FHIR package: every profile with a generated snapshot,
 * every code system, value set and concept map, the examples, the guide's ImplementationGuide resource,
 * {@code package.json} and {@code .index.json}; then packs it as a .tgz. Run by Maven after compile (see the pom), offline:
 * FHIR core definitions come from HAPI's validation-resources jar.
 *
 * <p>Arguments: package version, output folder (holds {@code package/}), path of the .tgz to write.
 */
public final class PackageBuilder {

	public static final String PACKAGE_ID = "vietfhir.core";
	public static final String CANONICAL = "https://vietfhir.org/fhir";

	private final FhirContext fhir = FhirContext.forR4Cached();
	private final String version;

	public PackageBuilder(String version) {
		this.version = version;
	}

	public static void main(String[] args) throws IOException {
		if (args.length != 3) {
			throw new IllegalArgumentException("usage: PackageBuilder <version> <outputDir> <tgzPath>");
		}
		PackageBuilder builder = new PackageBuilder(args[0]);
		GuideContent content = GuideContent.load(builder.fhir);
		Map<String, byte[]> files = builder.build(content);
		Path outputDir = Path.of(args[1]);
		writeFolder(files, outputDir);
		writeTgz(files, Path.of(args[2]));
		System.out.printf(
				"%s#%s: %d conformance resources, %d examples -> %s%n",
				PACKAGE_ID, args[0], content.conformance().size(), content.examples().size(), args[2]);
	}

	/** Package-relative path ("package/…") → file content. */
	public Map<String, byte[]> build(GuideContent content) {
		List<Resource> conformance = new ArrayList<>(content.conformance());
		generateSnapshots(conformance);
		conformance.add(GuideDefinition.build(version, content.conformance(), content.examples()));
		IParser json = fhir.newJsonParser().setPrettyPrint(true);
		Map<String, byte[]> files = new LinkedHashMap<>();
		List<Map<String, Object>> index = new ArrayList<>();
		conformance.sort(Comparator.comparing(r -> r.fhirType() + "/" + r.getIdPart()));
		for (Resource resource : conformance) {
			String fileName = resource.fhirType() + "-" + resource.getIdPart() + ".json";
			files.put("package/" + fileName, json.encodeResourceToString(resource).getBytes(StandardCharsets.UTF_8));
			index.add(indexEntry(fileName, resource));
		}
		for (Resource example : content.examples()) {
			String fileName = example.fhirType() + "-" + example.getIdPart() + ".json";
			files.put("package/example/" + fileName, json.encodeResourceToString(example).getBytes(StandardCharsets.UTF_8));
		}
		Gson gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
		files.put("package/package.json", gson.toJson(packageManifest()).getBytes(StandardCharsets.UTF_8));
		Map<String, Object> indexFile = new LinkedHashMap<>();
		indexFile.put("index-version", 1);
		indexFile.put("files", index);
		files.put("package/.index.json", gson.toJson(indexFile).getBytes(StandardCharsets.UTF_8));
		return files;
	}

	private void generateSnapshots(List<Resource> conformance) {
		PrePopulatedValidationSupport ours = new PrePopulatedValidationSupport(fhir);
		conformance.forEach(ours::addResource);
		ValidationSupportChain chain = new ValidationSupportChain(
				new DefaultProfileValidationSupport(fhir),
				ours,
				new CommonCodeSystemsTerminologyService(fhir),
				new InMemoryTerminologyServerValidationSupport(fhir),
				new SnapshotGeneratingValidationSupport(fhir));
		ValidationSupportContext context = new ValidationSupportContext(chain);
		List<String> failures = new ArrayList<>();
		for (Resource resource : conformance) {
			if (resource instanceof StructureDefinition profile && !profile.hasSnapshot()) {
				// asks the chain, so a profile's extensions and base get their snapshots first
				StructureDefinition generated = (StructureDefinition) chain.generateSnapshot(
						context, profile, profile.getUrl(), CANONICAL, profile.getName());
				if (generated == null || !generated.hasSnapshot() || generated.getSnapshot().getElement().isEmpty()) {
					failures.add(profile.getUrl());
				} else if (generated != profile) {
					profile.setSnapshot(generated.getSnapshot());
				}
				PublishedSnapshot.tidy(profile);
			}
		}
		if (!failures.isEmpty()) {
			throw new IllegalStateException("No snapshot could be generated for " + failures);
		}
	}

	private Map<String, Object> indexEntry(String fileName, Resource resource) {
		Map<String, Object> entry = new LinkedHashMap<>();
		entry.put("filename", fileName);
		entry.put("resourceType", resource.fhirType());
		entry.put("id", resource.getIdPart());
		if (resource instanceof MetadataResource metadata) {
			entry.put("url", metadata.getUrl());
			entry.put("version", metadata.getVersion());
		}
		if (resource instanceof StructureDefinition profile) {
			entry.put("kind", profile.getKind().toCode());
			entry.put("type", profile.getType());
			entry.put("derivation", profile.hasDerivation() ? profile.getDerivation().toCode() : null);
		}
		return entry;
	}

	private Map<String, Object> packageManifest() {
		Map<String, Object> manifest = new LinkedHashMap<>();
		manifest.put("name", PACKAGE_ID);
		manifest.put("version", version);
		manifest.put("canonical", CANONICAL);
		manifest.put("url", CANONICAL);
		manifest.put("title", "VietFHIR Core");
		manifest.put(
				"description",
				"Hồ sơ FHIR R4 cốt lõi của Việt Nam / Vietnam core FHIR R4 profiles, extensions and terminology");
		manifest.put("fhirVersions", List.of("4.0.1"));
		manifest.put("dependencies", Map.of("hl7.fhir.r4.core", "4.0.1"));
		manifest.put("author", "VietFHIR");
		manifest.put("license", "CC0-1.0");
		manifest.put("type", "fhir.ig");
		manifest.put("jurisdiction", "urn:iso:std:iso:3166#VN");
		return manifest;
	}

	static void writeFolder(Map<String, byte[]> files, Path outputDir) throws IOException {
		for (Map.Entry<String, byte[]> file : files.entrySet()) {
			Path target = outputDir.resolve(file.getKey());
			Files.createDirectories(target.getParent());
			Files.write(target, file.getValue());
		}
	}

	static void writeTgz(Map<String, byte[]> files, Path tgz) throws IOException {
		Files.createDirectories(tgz.getParent());
		try (OutputStream out = Files.newOutputStream(tgz);
				GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(out);
				TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
			tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
			for (Map.Entry<String, byte[]> file : files.entrySet()) {
				TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
				entry.setSize(file.getValue().length);
				entry.setModTime(0); // same bytes for the same content: the server compares packages by hash
				tar.putArchiveEntry(entry);
				tar.write(file.getValue());
				tar.closeArchiveEntry();
			}
		}
	}
}
