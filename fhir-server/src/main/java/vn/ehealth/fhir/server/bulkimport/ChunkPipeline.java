package vn.ehealth.fhir.server.bulkimport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chunks of one import pass in flight: each is validated and then stored (one database
 * transaction) on a thread of its own, up to {@code storeThreads} of them storing at the same time,
 * so that one job uses more than one core and one connection. Their results are taken in the order
 * the chunks were read, so checkpoints still say "every line before this one is done".
 *
 * <p>A chunk whose lines refer to (or store another version of) a resource of a chunk still in flight
 * waits for that chunk to be stored before it stores: storage checks each reference against what is
 * committed (referential integrity), and a version must follow the one before it. Chunks that need
 * nothing from each other (another patient's records, another type's file) are stored side by side.
 */
final class ChunkPipeline implements AutoCloseable {

	private static final Logger LOG = LoggerFactory.getLogger(ChunkPipeline.class);
	private static final AtomicInteger PIPELINES = new AtomicInteger();

	/** A chunk handed to the pipeline: its stored result to come, and the resources it stores. */
	record InFlight(Future<NdjsonImporter.ChunkResult> result, Set<String> keys) {}

	private final NdjsonImporter importer;
	private final Map<String, Object> auditContext;
	private final ExecutorService threads;
	private final Semaphore storing;
	private final int capacity;
	/** Which chunk in flight stores each resource (Type/id); read and changed on the reading thread only. */
	private final Map<String, Future<NdjsonImporter.ChunkResult>> storedBy = new HashMap<>();
	private volatile boolean closing;

	ChunkPipeline(NdjsonImporter importer, Map<String, Object> auditContext, int storeThreads) {
		this.importer = importer;
		this.auditContext = auditContext;
		// one more than the chunks storing: the next chunk is validated while they store
		this.capacity = Math.max(1, storeThreads) + 1;
		this.storing = new Semaphore(Math.max(1, storeThreads));
		int pipeline = PIPELINES.incrementAndGet();
		AtomicInteger thread = new AtomicInteger();
		this.threads = Executors.newFixedThreadPool(capacity, r -> {
			Thread t = new Thread(r, "bulk-import-chunk-" + pipeline + "-" + thread.incrementAndGet());
			t.setDaemon(true);
			return t;
		});
	}

	/** How many chunks may be in flight; the reader takes the oldest result before handing in more. */
	int capacity() {
		return capacity;
	}

	/** Hands in a chunk's parsed entries: validated at once, stored once the chunks it needs are stored. */
	InFlight submit(List<NdjsonImporter.Entry> entries) {
		Set<String> keys = new LinkedHashSet<>();
		Set<Future<NdjsonImporter.ChunkResult>> needed = new LinkedHashSet<>();
		for (NdjsonImporter.Entry entry : entries) {
			keys.add(entry.key());
			addOwner(needed, entry.key());
			entry.references().forEach(reference -> addOwner(needed, reference));
		}
		List<Future<NdjsonImporter.ChunkResult>> before = new ArrayList<>(needed);
		Future<NdjsonImporter.ChunkResult> result = threads.submit(() -> {
			NdjsonImporter.Prepared prepared = importer.prepare(entries);
			// earlier chunks only (they were handed in before), each already on a thread: no cycle
			before.forEach(ChunkPipeline::awaitQuietly);
			storing.acquire();
			try {
				return closing ? null : importer.commit(prepared, auditContext);
			} finally {
				storing.release();
			}
		});
		keys.forEach(key -> storedBy.put(key, result));
		return new InFlight(result, keys);
	}

	private void addOwner(Set<Future<NdjsonImporter.ChunkResult>> needed, String key) {
		Future<NdjsonImporter.ChunkResult> owner = storedBy.get(key);
		if (owner != null) {
			needed.add(owner);
		}
	}

	/** Waits for a chunk's result (the oldest in flight); a failure in it fails the run. */
	NdjsonImporter.ChunkResult take(InFlight chunk) throws IOException {
		chunk.keys().forEach(key -> storedBy.remove(key, chunk.result()));
		try {
			return chunk.result().get();
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted while storing a chunk", e);
		} catch (ExecutionException e) {
			if (e.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IOException(e.getCause());
		}
	}

	/** A chunk this one needs ended; had it failed, the lines referring to it fail and are retried as usual. */
	private static void awaitQuietly(Future<?> chunk) {
		try {
			chunk.get();
		} catch (ExecutionException e) {
			// reported by take() for that chunk
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Stops: chunks not yet storing are dropped (the checkpoint does not cover them: a resumed job reads
	 * them again), the ones storing finish their transaction.
	 */
	@Override
	public void close() {
		closing = true;
		threads.shutdown();
		try {
			if (!threads.awaitTermination(2, TimeUnit.MINUTES)) {
				LOG.warn("Import chunks still storing after 2 minutes; interrupting them");
				threads.shutdownNow();
			}
		} catch (InterruptedException e) {
			threads.shutdownNow();
			Thread.currentThread().interrupt();
		}
	}
}
