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

	/** One finished file, for the manifest. */
	record OutputFile(String type, String name, long count) {}

	private final Path jobDir;
	private final int maxPerFile;
	private final List<OutputFile> finished = new ArrayList<>();
	private BufferedWriter writer;
	private String type;
	private String name;
	private String prefix;
	private int fileNumber;
	private long inFile;

	/** File name prefix of the deleted-resource bundles of a _since export. */
	static final String DELETED = "deleted";
	/** File name prefix of the manifest's error file (OperationOutcomes). */
	static final String ERROR = "error";

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
	}

	void write(String line) throws IOException {
		if (writer == null || inFile >= maxPerFile) {
			closeFile();
			fileNumber++;
			name = prefix + "-" + fileNumber + ".ndjson";
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
			finished.add(new OutputFile(type, name, inFile));
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
