package vn.ehealth.fhir.tests.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the suite's child processes (a server JVM, an OpenSearch node) share: the end of their log, and waiting for them. */
final class ChildProcesses {

	private ChildProcesses() {}

	/** The last {@code count} lines of a log, for a failure message. */
	static String logTail(Path log, int count) {
		try {
			List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
		} catch (IOException e) {
			return "(no log: " + e.getMessage() + ")";
		}
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}
}
