package vn.ehealth.fhir.server.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An export job's NDJSON files: {Type}-{n}.ndjson of at most maxPerFile lines, listed for the manifest. */
class NdjsonFilesTest {

	@TempDir
	Path exports;

	@Test
	void splitsATypeIntoNumberedFilesOfAtMostTheLimit() throws Exception {
		Path job = exports.resolve("job-1");
		try (NdjsonFiles files = new NdjsonFiles(job, 2)) {
			files.startType("Patient", "Patient");
			for (int i = 1; i <= 5; i++) {
				files.write("{\"resourceType\":\"Patient\",\"id\":\"p" + i + "\"}");
			}
			files.startType("Observation", "Observation");
			files.write("{\"resourceType\":\"Observation\",\"id\":\"o1\"}");
			assertThat(files.files()).containsExactly(
					new NdjsonFiles.OutputFile("Patient", "Patient-1.ndjson", 2, null),
					new NdjsonFiles.OutputFile("Patient", "Patient-2.ndjson", 2, null),
					new NdjsonFiles.OutputFile("Patient", "Patient-3.ndjson", 1, null),
					new NdjsonFiles.OutputFile("Observation", "Observation-1.ndjson", 1, null));
		}
		assertThat(Files.readAllLines(job.resolve("Patient-3.ndjson"))).containsExactly("{\"resourceType\":\"Patient\",\"id\":\"p5\"}");
		assertThat(Files.readString(job.resolve("Patient-1.ndjson"))).endsWith("\"p2\"}\n");
	}

	@Test
	void aTypeWithNoLinesHasNoFile() throws Exception {
		try (NdjsonFiles files = new NdjsonFiles(exports.resolve("job-2"), 10)) {
			files.startType("Patient", "Patient");
			files.startType("Bundle", NdjsonFiles.DELETED);
			files.write("{\"resourceType\":\"Bundle\"}");
			assertThat(files.files()).containsExactly(new NdjsonFiles.OutputFile("Bundle", "deleted-1.ndjson", 1, null));
		}
	}

	/** A job run again after a restart starts from nothing: the files of the interrupted run are gone. */
	@Test
	void startsFromAnEmptyJobDirectory() throws Exception {
		Path job = exports.resolve("job-3");
		Files.createDirectories(job);
		Files.writeString(job.resolve("Patient-7.ndjson"), "left over\n");
		new NdjsonFiles(job, 10).close();
		assertThat(job).isEmptyDirectory();
	}
}
