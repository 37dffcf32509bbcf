package vn.ehealth.fhir.server.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The record beside the Lucene index of the time before which every write is in its last commit. A
 * missing or unreadable record means "no record": the start-up then compares the index with the
 * database instead of trusting a time it cannot read.
 */
class FullTextIndexCheckpointTest {

	@TempDir
	Path indexDir;

	@Test
	void readsTheRecordedTime() throws Exception {
		Path file = Files.writeString(indexDir.resolve(FullTextIndexCheckpoint.FILE), "2026-12-06T08:30:00.123Z\n");
		assertThat(FullTextIndexCheckpoint.recordedTime(file)).isEqualTo(Instant.parse("2026-12-06T08:30:00.123Z"));
	}

	@Test
	void aNewIndexHasNoRecordedTime() {
		assertThat(FullTextIndexCheckpoint.recordedTime(indexDir.resolve(FullTextIndexCheckpoint.FILE))).isNull();
	}

	@Test
	void anUnreadableRecordCountsAsNone() throws Exception {
		Path file = Files.writeString(indexDir.resolve(FullTextIndexCheckpoint.FILE), "2026-12-06T08:3");
		assertThat(FullTextIndexCheckpoint.recordedTime(file)).isNull();
	}
}
