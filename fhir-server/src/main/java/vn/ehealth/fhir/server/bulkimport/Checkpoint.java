package vn.ehealth.fhir.server.bulkimport;

import java.util.Map;
import java.util.TreeMap;

/**
 * How far an import has got, saved after every stored chunk so that a job interrupted by a restart
 * continues where it stopped. An import reads its inputs one after the other (passes 0..n-1), then
 * retries the lines that failed for a reason that may go away (a reference to a resource further
 * down the files) in rounds (passes n, n+1, …), each reading the file of lines the previous pass
 * deferred.
 *
 * @param pass the input (or retry round) being read
 * @param line lines of that pass already handled
 * @param deferredBytes length of the file the current pass defers lines to, at this checkpoint
 * @param storedInPass resources stored in the current retry round (a round that stores none ends the retries)
 * @param stored resources stored so far, by type
 * @param unchanged how many of those were stored already exactly so (no new version was made)
 * @param bytesDone bytes of the inputs read so far, for progress
 * @param bytesTotal bytes of all inputs
 */
public record Checkpoint(
		int pass,
		long line,
		long deferredBytes,
		long storedInPass,
		Map<String, Long> stored,
		long unchanged,
		long bytesDone,
		long bytesTotal) {

	public static Checkpoint start(long bytesTotal) {
		return new Checkpoint(0, 0, 0, 0, new TreeMap<>(), 0, 0, bytesTotal);
	}

	public long storedTotal() {
		return stored.values().stream().mapToLong(Long::longValue).sum();
	}

	Checkpoint next(long line, long deferredBytes, Map<String, Long> storedNow, long storedInChunk, long unchangedInChunk, long bytesDone) {
		return new Checkpoint(pass, line, deferredBytes, storedInPass + storedInChunk, new TreeMap<>(storedNow),
				unchanged + unchangedInChunk, bytesDone, bytesTotal);
	}

	/** The next pass, whose deferred file holds {@code deferredBytes} already (main passes share one). */
	Checkpoint nextPass(long deferredBytes) {
		return new Checkpoint(pass + 1, 0, deferredBytes, 0, stored, unchanged, bytesDone, bytesTotal);
	}
}
