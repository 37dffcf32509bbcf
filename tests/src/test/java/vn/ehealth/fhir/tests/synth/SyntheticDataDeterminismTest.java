package vn.ehealth.fhir.tests.synth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.synth.DataWriter;
import vn.ehealth.fhir.synth.GenerateData;
import vn.ehealth.fhir.synth.SyntheticData;
import vn.ehealth.fhir.tests.support.TestServer;

/** Same seed, same bytes: a data set can be regenerated instead of shipped (issue 8). */
class SyntheticDataDeterminismTest {

	@Test
	void theSameSeedWritesByteIdenticalFilesWhateverTheThreadCount() throws Exception {
		Path first = Files.createTempDirectory("synthetic-a-");
		Path second = Files.createTempDirectory("synthetic-b-");
		DataWriter.Summary summary = GenerateData.run(new String[] {"--patients", "12", "--seed", "11", "--out", first.toString(), "--threads", "2"});
		GenerateData.run(new String[] {"--patients", "12", "--seed", "11", "--out", second.toString(), "--threads", "1"});

		Map<String, byte[]> a = files(first);
		Map<String, byte[]> b = files(second);
		assertThat(a.keySet()).isEqualTo(b.keySet())
				.contains("directory.json", "manifest.json", "ndjson/Patient.ndjson", "ndjson/Observation.ndjson")
				.filteredOn(name -> name.startsWith("patients/")).hasSize(12);
		a.forEach((name, bytes) -> assertThat(b.get(name)).as(name).isEqualTo(bytes));
		assertThat(summary.totalResources()).isEqualTo(
				a.entrySet().stream().filter(e -> e.getKey().startsWith("ndjson/"))
						.mapToInt(e -> (int) new String(e.getValue(), java.nio.charset.StandardCharsets.UTF_8).lines().count()).sum());
	}

	@Test
	void anotherSeedIsAnotherPopulation() {
		Patient one = new SyntheticData(11, 3).patientOnly(0);
		Patient other = new SyntheticData(12, 3).patientOnly(0);
		assertThat(one.getIdentifierFirstRep().getValue()).isNotEqualTo(other.getIdentifierFirstRep().getValue());
		assertThat(one.getIdPart()).isEqualTo("s11-p000000");
		assertThat(other.getIdPart()).isEqualTo("s12-p000000");
	}

	@Test
	void aPatientsRecordDoesNotDependOnHowManyOthersTheDataSetHas() {
		String small = encode(new SyntheticData(11, 5).patient(3));
		String large = encode(new SyntheticData(11, 40).patient(3));
		String alone = encode(new SyntheticData(11, List.of(3), SyntheticData.DEFAULT_CARE_START, SyntheticData.DEFAULT_AS_OF).patient(3));
		assertThat(large).isEqualTo(small);
		assertThat(alone).isEqualTo(small);
	}

	private static String encode(List<Resource> resources) {
		StringBuilder text = new StringBuilder();
		resources.forEach(r -> text.append(TestServer.fhirContext().newJsonParser().encodeResourceToString(r)).append('\n'));
		return text.toString();
	}

	private static Map<String, byte[]> files(Path root) throws IOException {
		Map<String, byte[]> files = new TreeMap<>();
		try (Stream<Path> walk = Files.walk(root)) {
			for (Path file : walk.filter(Files::isRegularFile).toList()) {
				files.put(root.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
			}
		}
		return files;
	}
}
