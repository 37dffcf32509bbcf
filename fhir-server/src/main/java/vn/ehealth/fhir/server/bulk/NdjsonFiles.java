package vn.ehealth.fhir.server.bulk;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.util.FileSystemUtils;

/**
 * One job's NDJSON files on disk: {dir}/{jobId}/{Type}-{n}.ndjson, each at most
 * {@code maxPerFile} lines. Lines go straight to a buffered file writer; nothing is held in memory.
 */
final class NdjsonFiles implements AutoCloseable {

	/**
	 * One finished file, for the manifest.
	 *
	 * @param type its resource type; null for a file of patient blocks (several types)
	 * @param continuesIn the next file, when the block at this file's end goes on there; else null
	 */
	record OutputFile(String type, String name, long count, String continuesIn) {}

	private final Path jobDir;
	private final int maxPerFile;
	private final List<OutputFile> finished = new ArrayList<>();
	private BufferedWriter writer;
	private String type;
	private String name;
	private String prefix;
	private int fileNumber;
	private long inFile;
	private long splitAt;
	private boolean continued;

	/** File name prefix of the deleted-resource bundles of a _since export. */
	static final String DELETED = "deleted";
	/** File name prefix of the manifest's error file (OperationOutcomes). */
	static final String ERROR = "error";
	/** File name prefix of the files organised by patient (Bulk Data 3.0 organizeOutputBy=Patient). */
	static final String BY_PATIENT = "patients";

	NdjsonFiles(Path jobDir, int maxPerFile) throws IOException {
		this.jobDir = jobDir;
		this.maxPerFile = maxPerFile;
		deleteTree(jobDir);
		Files.createDirectories(jobDir);
	}

	/** Starts the files of a type (prefix "Patient", or "deleted" for the deleted-resource bundles). */
	void startType(String type, String prefix) throws IOException {
		closeFile();
		this.type = type;
		this.prefix = prefix;
		this.fileNumber = 0;
		this.splitAt = maxPerFile;
		this.continued = false;
	}

	/** Starts files that the caller splits itself ({@link #nextFile}), so that blocks stay whole. */
	void startBlocks(String prefix) throws IOException {
		startType(null, prefix);
		this.splitAt = Long.MAX_VALUE;
	}

	int maxPerFile() {
		return maxPerFile;
	}

	/** Lines in the file being written (0 when none is open). */
	long linesInFile() {
		return writer == null ? 0 : inFile;
	}

	/**
	 * Ends the current file: the next line starts a new one.
	 *
	 * @param continues the block at the end of this file goes on in the next one (the manifest says so)
	 */
	void nextFile(boolean continues) throws IOException {
		closeFile();
		this.continued = continues;
	}

	void write(String line) throws IOException {
		if (writer == null || inFile >= splitAt) {
			closeFile();
			fileNumber++;
			name = prefix + "-" + fileNumber + ".ndjson";
			if (continued) {
				OutputFile previous = finished.remove(finished.size() - 1);
				finished.add(new OutputFile(previous.type(), previous.name(), previous.count(), name));
				continued = false;
			}
			writer = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(jobDir.resolve(name)), StandardCharsets.UTF_8), 1 << 16);
			inFile = 0;
		}
		writer.write(line);
		writer.write('\n');
		inFile++;
	}

	List<OutputFile> files() throws IOException {
		closeFile();
		return finished;
	}

	private void closeFile() throws IOException {
		if (writer != null) {
			writer.close();
			finished.add(new OutputFile(type, name, inFile, null));
			writer = null;
		}
	}

	@Override
	public void close() throws IOException {
		closeFile();
	}

	static void deleteTree(Path dir) {
		try {
			FileSystemUtils.deleteRecursively(dir);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
