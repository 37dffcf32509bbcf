package vn.ehealth.fhir.tests.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * A small third-party guide written as an NPM package file, as an operator would download one (the
 * Ministry's draft guide, IPS): one Patient profile that requires a telecom. The shared test server
 * loads it through {@code vietfhir.validation.extra-packages}.
 */
public final class ExtraGuidePackage {

	public static final String PROFILE_URL = "http://example.org/fhir/StructureDefinition/patient-with-telecom";

	private ExtraGuidePackage() {}

	public static Path write(Path dir) throws IOException {
		String manifest = "{\"name\":\"example.extra.guide\",\"version\":\"1.0.0\",\"fhirVersions\":[\"4.0.1\"],"
				+ "\"dependencies\":{\"hl7.fhir.r4.core\":\"4.0.1\"}}";
		String profile = "{\"resourceType\":\"StructureDefinition\",\"id\":\"patient-with-telecom\",\"url\":\""
				+ PROFILE_URL + "\",\"version\":\"1.0.0\",\"name\":\"PatientWithTelecom\",\"status\":\"active\","
				+ "\"fhirVersion\":\"4.0.1\",\"kind\":\"resource\",\"abstract\":false,\"type\":\"Patient\","
				+ "\"baseDefinition\":\"http://hl7.org/fhir/StructureDefinition/Patient\",\"derivation\":\"constraint\","
				+ "\"differential\":{\"element\":[{\"id\":\"Patient.telecom\",\"path\":\"Patient.telecom\",\"min\":1}]}}";
		String index = "{\"index-version\":1,\"files\":[{\"filename\":\"StructureDefinition-patient-with-telecom.json\","
				+ "\"resourceType\":\"StructureDefinition\",\"id\":\"patient-with-telecom\",\"url\":\"" + PROFILE_URL
				+ "\",\"kind\":\"resource\",\"type\":\"Patient\"}]}";
		Path tgz = dir.resolve("example.extra.guide-1.0.0.tgz");
		try (OutputStream out = Files.newOutputStream(tgz);
				GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(out);
				TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
			for (Map.Entry<String, String> file : Map.of(
							"package/package.json", manifest,
							"package/.index.json", index,
							"package/StructureDefinition-patient-with-telecom.json", profile)
					.entrySet()) {
				byte[] bytes = file.getValue().getBytes(StandardCharsets.UTF_8);
				TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
				entry.setSize(bytes.length);
				tar.putArchiveEntry(entry);
				tar.write(bytes);
				tar.closeArchiveEntry();
			}
		}
		return tgz;
	}
}
