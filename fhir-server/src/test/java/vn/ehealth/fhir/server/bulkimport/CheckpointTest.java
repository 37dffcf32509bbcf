package vn.ehealth.fhir.server.bulkimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** How far an import has got: what a job restarted after a crash continues from. */
class CheckpointTest {

	@Test
	void aNewImportStartsAtTheFirstLineOfTheFirstInput() {
		Checkpoint start = Checkpoint.start(1_000);
		assertThat(start.pass()).isZero();
		assertThat(start.line()).isZero();
		assertThat(start.storedTotal()).isZero();
		assertThat(start.bytesTotal()).isEqualTo(1_000);
	}

	@Test
	void eachChunkAddsToTheCountsOfItsPass() {
		Checkpoint after = Checkpoint.start(1_000)
				.next(500, 0, Map.of("Patient", 480L), 480, 10, 400)
				.next(1_000, 120, Map.of("Patient", 480L, "Observation", 500L), 500, 5, 800);
		assertThat(after.line()).isEqualTo(1_000);
		assertThat(after.deferredBytes()).isEqualTo(120);
		assertThat(after.storedInPass()).isEqualTo(980);
		assertThat(after.unchanged()).isEqualTo(15);
		assertThat(after.storedTotal()).isEqualTo(980);
		assertThat(after.bytesDone()).isEqualTo(800);
	}

	/** A retry round starts at the first deferred line and counts what it stores afresh (none stored: retries end). */
	@Test
	void theNextPassStartsAtItsFirstLineAndKeepsTheTotals() {
		Checkpoint end = Checkpoint.start(1_000).next(1_000, 120, Map.of("Patient", 980L), 980, 15, 1_000);
		Checkpoint retry = end.nextPass(120);
		assertThat(retry.pass()).isEqualTo(1);
		assertThat(retry.line()).isZero();
		assertThat(retry.storedInPass()).isZero();
		assertThat(retry.deferredBytes()).isEqualTo(120);
		assertThat(retry.stored()).isEqualTo(Map.of("Patient", 980L));
		assertThat(retry.unchanged()).isEqualTo(15);
	}

	/** The counts saved with a checkpoint are its own: the importer goes on changing its map. */
	@Test
	void copiesTheCountsItIsGiven() {
		Map<String, Long> counting = new TreeMap<>(Map.of("Patient", 1L));
		Checkpoint saved = Checkpoint.start(10).next(1, 0, counting, 1, 0, 5);
		counting.put("Patient", 2L);
		assertThat(saved.stored()).containsEntry("Patient", 1L);
	}
}
