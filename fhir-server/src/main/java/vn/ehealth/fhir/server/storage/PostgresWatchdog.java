package vn.ehealth.fhir.server.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the embedded PostgreSQL when the server JVM dies without stopping it. A small shell process,
 * a child of the JVM, blocks reading a pipe from the JVM; the pipe closes when the JVM exits, however
 * it exits. On end of input, unless the JVM said {@code stop} first (it stops PostgreSQL itself), the
 * watchdog sends the postmaster SIGINT: PostgreSQL's "fast" shutdown ({@code pg_ctl stop -m fast}),
 * which rolls back what was in flight and checkpoints. It checks first that {@code postmaster.pid}
 * still names that process. POSIX systems only; elsewhere {@link OrphanedPostgres} at the next start
 * is the only guard.
 */
final class PostgresWatchdog implements AutoCloseable {

	private static final Logger LOG = LoggerFactory.getLogger(PostgresWatchdog.class);
	/** The watchdog's {@code $0}, so an operator (or a test) can tell it in a process list. */
	static final String NAME = "vietfhir-postgres-watchdog";
	private static final String SCRIPT = "read -r word; [ \"$word\" = stop ] && exit 0; "
			+ "[ \"$(head -n 1 \"$2/postmaster.pid\" 2>/dev/null)\" = \"$1\" ] && kill -INT \"$1\"";
	private static final Path SHELL = Path.of("/bin/sh");

	private final Process process;

	private PostgresWatchdog(Process process) {
		this.process = process;
	}

	/** A watchdog for the postmaster running on {@code dataDir}, or null when there is no shell or no postmaster. */
	static PostgresWatchdog watch(Path dataDir) {
		if (!Files.isExecutable(SHELL)) {
			return null;
		}
		ProcessHandle postmaster = OrphanedPostgres.postmasterOf(dataDir).orElse(null);
		if (postmaster == null) {
			LOG.warn("No postmaster found in {}; PostgreSQL will not be stopped if this JVM dies", dataDir);
			return null;
		}
		try {
			Process process = new ProcessBuilder(List.of(
							SHELL.toString(), "-c", SCRIPT, NAME, String.valueOf(postmaster.pid()), dataDir.toString()))
					.redirectOutput(ProcessBuilder.Redirect.DISCARD)
					.redirectError(ProcessBuilder.Redirect.DISCARD)
					.start();
			return new PostgresWatchdog(process);
		} catch (IOException e) {
			LOG.warn("Could not start the PostgreSQL watchdog: {}", e.toString());
			return null;
		}
	}

	/** This JVM stops PostgreSQL itself: the watchdog leaves without doing anything. */
	@Override
	public void close() {
		try (OutputStream stdin = process.getOutputStream()) {
			stdin.write("stop\n".getBytes(StandardCharsets.US_ASCII));
		} catch (IOException e) {
			process.destroy(); // already gone, or cannot be told: make sure it does not act
		}
	}
}
