package vn.ehealth.fhir.server.bulkimport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * An import of NDJSON files inside this server without a job row, for work that tracks its own
 * progress (the province → national sync, which starts again from its high-water mark when
 * interrupted). Same importer, same validation, same retry rounds, same audit as $import.
 */
public final class LocalImport {

	/** One file, the type its lines must have (null: any), and how errors name it. */
	public record File(Path path, String type, String label) {}

	/** Resources stored (unchanged ones included), how many were unchanged, lines that failed, and a few of their errors. */
	public record Outcome(Map<String, Long> stored, long unchanged, long errors, List<String> errorSamples) {
		public long storedTotal() {
			return stored.values().stream().mapToLong(Long::longValue).sum();
		}
	}

	/** Thrown when {@code alive} said stop. */
	public static final class Stopped extends RuntimeException {
		Stopped() {
			super("stopped");
		}
	}

	private static final int SAMPLES = 10;

	private LocalImport() {}

	/**
	 * Imports the files in order. {@code workDir} holds the retry files (emptied first); {@code alive} is
	 * asked after every chunk and stops the import by returning false.
	 */
	public static Outcome run(
			NdjsonImporter importer, List<File> files, Path workDir, Map<String, Object> auditContext, BooleanSupplier alive)
			throws IOException {
		Files.createDirectories(workDir);
		for (int round = 1; round <= ImportRun.MAX_ROUNDS + 1; round++) {
			Files.deleteIfExists(workDir.resolve("deferred-" + round + ".ndjson"));
		}
		List<ImportRun.Source> sources = files.stream().map(f -> new ImportRun.Source(f.path(), f.type(), f.label())).toList();
		long total = 0;
		for (File file : files) {
			total += Files.size(file.path());
		}
		long[] errors = {0};
		List<String> samples = new ArrayList<>();
		ImportRun run = new ImportRun(importer, sources, workDir, auditContext, (checkpoint, lineErrors) -> {
			errors[0] += lineErrors.size();
			for (ImportJobStore.LineError error : lineErrors) {
				if (samples.size() < SAMPLES) {
					OperationOutcome outcome = importer.fhirContext().newJsonParser().parseResource(OperationOutcome.class, error.outcome());
					samples.add(outcome.getIssueFirstRep().getDiagnostics());
				}
			}
			return alive.getAsBoolean();
		});
		Checkpoint end = run.run(Checkpoint.start(total));
		if (end == null) {
			throw new Stopped();
		}
		return new Outcome(end.stored(), end.unchanged(), errors[0], samples);
	}
}
