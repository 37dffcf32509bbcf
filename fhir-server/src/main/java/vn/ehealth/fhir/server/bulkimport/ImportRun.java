package vn.ehealth.fhir.server.bulkimport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import com.google.common.base.Utf8;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One import of NDJSON files, from a checkpoint to the end (see {@link Checkpoint} for the passes).
 * Lines are read a chunk at a time, never a whole file; a chunk holds each resource id once, so a
 * file listing several versions of a resource stores them in order. Lines that fail for a reason
 * that may pass (storage refused them, mostly a reference to a resource further down the files) are
 * deferred to a retry round; the lines still failing when a round stores nothing, or after the last
 * round, are reported with their last error.
 */
final class ImportRun {

	/** Retry rounds after the inputs: enough for chains of references in any file order. */
	static final int MAX_ROUNDS = 4;

	/** Where the run reports to after every chunk. */
	interface Progress {
		/** Saves the checkpoint and the chunk's failed lines; false stops the run (the job was cancelled or taken over). */
		boolean saved(Checkpoint checkpoint, List<ImportJobStore.LineError> errors);
	}

	/** One input file, the type its lines must have (null: any), and how the error file names it. */
	record Source(Path file, String type, String label) {}

	private final NdjsonImporter importer;
	private final List<Source> inputs;
	private final Path workDir;
	private final Map<String, Object> auditContext;
	private final Progress progress;
	private final ObjectMapper json = new ObjectMapper();

	ImportRun(NdjsonImporter importer, List<Source> inputs, Path workDir, Map<String, Object> auditContext, Progress progress) {
		this.importer = importer;
		this.inputs = inputs;
		this.workDir = workDir;
		this.auditContext = auditContext;
		this.progress = progress;
	}

	/** Runs to the end; the final checkpoint, or null when {@link Progress#saved} said stop. */
	Checkpoint run(Checkpoint from) throws IOException {
		Checkpoint checkpoint = from;
		int n = inputs.size();
		while (true) {
			boolean mainPass = checkpoint.pass() < n;
			int round = mainPass ? 0 : checkpoint.pass() - n + 1;
			Path source = mainPass ? inputs.get(checkpoint.pass()).file() : deferredFile(round);
			Path out = deferredFile(round + 1);
			if (!mainPass && (!Files.exists(source) || Files.size(source) == 0)) {
				return checkpoint; // nothing was deferred
			}
			checkpoint = readPass(checkpoint, source, out, mainPass ? checkpoint.pass() : -1);
			if (checkpoint == null) {
				return null;
			}
			if (mainPass) {
				checkpoint = checkpoint.pass() < n - 1 ? checkpoint.nextPass(checkpoint.deferredBytes()) : checkpoint.nextPass(0);
			} else if (checkpoint.storedInPass() == 0 || round >= MAX_ROUNDS) {
				// what failed again fails for good: report it with its last error
				return reportDeferred(checkpoint, out) ? checkpoint : null;
			} else {
				checkpoint = checkpoint.nextPass(0);
			}
			if (!progress.saved(checkpoint, List.of())) {
				return null;
			}
		}
	}

	/** Lines read for one chunk: parsed entries (each resource id once), lines already failed, and where the chunk ends. */
	private record Chunk(List<NdjsonImporter.Entry> entries, List<NdjsonImporter.Failure> failures, long endLine, long bytesDone) {}

	/** A chunk handed to the pipeline, with its result to come. */
	private record Submitted(Chunk chunk, ChunkPipeline.InFlight storing) {}

	/**
	 * Reads chunks off one file, a line that repeats a resource of the chunk starting the next chunk. A
	 * full chunk takes further lines (up to twice its size) while they refer to resources in it: a
	 * patient's records then stay in one chunk, and the next chunk, needing nothing of this one, can be
	 * stored beside it ({@link ChunkPipeline}).
	 */
	private final class ChunkReader {
		private final Utf8Lines reader;
		private final int input;
		private Utf8Lines.Line pending;
		private long line;
		private long bytesDone;

		ChunkReader(Utf8Lines reader, int input, long line, long bytesDone) {
			this.reader = reader;
			this.input = input;
			this.line = line;
			this.bytesDone = bytesDone;
		}

		/** The next chunk, or null at the end of the file. */
		Chunk next() throws IOException {
			List<NdjsonImporter.Entry> entries = new ArrayList<>();
			List<NdjsonImporter.Failure> failures = new ArrayList<>();
			Set<String> keys = new HashSet<>();
			long start = line;
			int size = importer.chunkSize();
			while (entries.size() < 2 * size) {
				Utf8Lines.Line next = pending != null ? pending : reader.next();
				if (next == null) {
					break;
				}
				String text = next.text();
				Object parsed = next.utf8() ? parseLine(text, line + 1, input) : notUtf8(text, line + 1, input);
				NdjsonImporter.Entry entry = parsed instanceof NdjsonImporter.Entry e ? e : null;
				boolean full = entries.size() >= size
						&& (entry == null || entry.references().stream().noneMatch(keys::contains));
				if (full || entry != null && keys.contains(entry.key())) {
					pending = next; // read again for the next chunk (a second version of a resource goes after the first)
					break;
				}
				pending = null;
				line++;
				if (input >= 0) {
					bytesDone += Utf8.encodedLength(text) + 1; // no copy of each line just to count it
				}
				if (entry != null) {
					keys.add(entry.key());
					entries.add(entry);
				} else if (parsed instanceof NdjsonImporter.Failure failure) {
					failures.add(failure);
				}
			}
			return line == start ? null : new Chunk(entries, failures, line, bytesDone);
		}
	}

	/**
	 * Reads one pass: input {@code input}, or (input -1) a file of deferred lines. Chunks are validated
	 * and stored side by side ({@link ChunkPipeline}); their results are taken in the order they were
	 * read, so each checkpoint covers every line before it.
	 */
	private Checkpoint readPass(Checkpoint start, Path source, Path out, int input) throws IOException {
		Checkpoint checkpoint = start;
		try (ChunkPipeline pipeline = new ChunkPipeline(importer, auditContext, importer.storeThreads());
				FileChannel outChannel = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
				Utf8Lines reader = new Utf8Lines(source)) {
			outChannel.truncate(checkpoint.deferredBytes());
			outChannel.position(checkpoint.deferredBytes());
			Writer deferred = Channels.newWriter(outChannel, StandardCharsets.UTF_8);
			long skipped = 0;
			while (skipped < checkpoint.line() && reader.next() != null) {
				skipped++;
			}
			ChunkReader chunks = new ChunkReader(reader, input, skipped, checkpoint.bytesDone());
			Map<String, Long> stored = new TreeMap<>(checkpoint.stored());
			Deque<Submitted> inFlight = new ArrayDeque<>();
			Chunk next = chunks.next();
			while (next != null || !inFlight.isEmpty()) {
				if (next != null && inFlight.size() < pipeline.capacity()) {
					inFlight.add(new Submitted(next, pipeline.submit(next.entries())));
					next = chunks.next();
					continue;
				}
				Submitted oldest = inFlight.poll();
				Chunk current = oldest.chunk();
				NdjsonImporter.ChunkResult result = pipeline.take(oldest.storing());
				List<NdjsonImporter.Failure> failures = new ArrayList<>(current.failures());
				failures.addAll(result.failures());
				result.stored().forEach((t, count) -> stored.merge(t, count, Long::sum));
				List<ImportJobStore.LineError> errors = new ArrayList<>();
				for (NdjsonImporter.Failure failure : failures) {
					if (failure.retryable()) {
						deferred.write(deferLine(failure));
						deferred.write('\n');
					} else {
						errors.add(lineError(failure));
					}
				}
				deferred.flush();
				checkpoint = checkpoint.next(current.endLine(), outChannel.size(), stored, result.storedCount(), result.unchanged(),
						current.bytesDone());
				if (!progress.saved(checkpoint, errors)) {
					return null;
				}
			}
			return checkpoint;
		}
	}

	/** A line of an input, or of a deferred file (the original line wrapped with where it came from). */
	private Object parseLine(String text, long sourceLine, int input) {
		if (input >= 0) {
			return text.isBlank() ? null : importer.parse(input, sourceLine, text, inputs.get(input).type());
		}
		JsonNode wrapper = readTree(text);
		int original = wrapper.get("input").asInt();
		return importer.parse(original, wrapper.get("line").asLong(), wrapper.get("text").asText(), inputs.get(original).type());
	}

	/** A line that is not UTF-8 (NDJSON is UTF-8: FHIR Bulk Data, RFC 8259 section 8.1): it fails alone. */
	private static NdjsonImporter.Failure notUtf8(String text, long sourceLine, int input) {
		return new NdjsonImporter.Failure(input, sourceLine, text, null,
				"it is not valid UTF-8; save the file as UTF-8", List.of(), false);
	}

	private String deferLine(NdjsonImporter.Failure failure) throws JsonProcessingException {
		ObjectNode wrapper = json.createObjectNode();
		wrapper.put("input", failure.input());
		wrapper.put("line", failure.line());
		wrapper.put("text", failure.text());
		wrapper.put("outcome", encode(failure));
		return json.writeValueAsString(wrapper);
	}

	private ImportJobStore.LineError lineError(NdjsonImporter.Failure failure) {
		return new ImportJobStore.LineError(failure.input(), failure.line(), encode(failure));
	}

	private String encode(NdjsonImporter.Failure failure) {
		String label = failure.input() < inputs.size() ? inputs.get(failure.input()).label() : null;
		return importer.fhirContext().newJsonParser().encodeResourceToString(failure.outcome(label));
	}

	/** Reports every line of the last deferred file as an error, with the outcome of its last attempt. */
	private boolean reportDeferred(Checkpoint checkpoint, Path file) throws IOException {
		if (!Files.exists(file)) {
			return true;
		}
		try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			List<ImportJobStore.LineError> errors = new ArrayList<>();
			String text;
			while ((text = reader.readLine()) != null) {
				JsonNode wrapper = readTree(text);
				errors.add(new ImportJobStore.LineError(
						wrapper.get("input").asInt(), wrapper.get("line").asLong(), wrapper.get("outcome").asText()));
				if (errors.size() == 1000) {
					if (!progress.saved(checkpoint, errors)) {
						return false;
					}
					errors = new ArrayList<>();
				}
			}
			return progress.saved(checkpoint, errors);
		}
	}

	private JsonNode readTree(String text) {
		try {
			return json.readTree(text);
		} catch (JsonProcessingException e) {
			throw new IllegalStateException("Deferred import line does not parse: " + e.getMessage(), e);
		}
	}

	private Path deferredFile(int round) {
		return workDir.resolve("deferred-" + round + ".ndjson");
	}
}
