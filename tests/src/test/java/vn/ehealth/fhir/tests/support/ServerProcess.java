package vn.ehealth.fhir.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import vn.ehealth.fhir.server.VietFhirApplication;

/**
 * The real server in a JVM of its own (the test classpath, the suite's settings), for what cannot be
 * done to a server inside the test JVM: kill -9. Each {@link #start} runs a new JVM on the same data
 * directory and a fresh port; {@link #kill} ends that JVM the way the kernel's OOM killer does.
 * Every process it acts on is one it started, or a child of one (found by its own PID).
 */
public final class ServerProcess {

	private static final Duration STARTUP = Duration.ofMinutes(10);

	private final Path dataDir;
	private final Map<String, Object> properties;
	private Process process;
	private Path log;
	private int port;
	private int starts;

	private ServerProcess(Path dataDir, Map<String, Object> properties) {
		this.dataDir = dataDir;
		this.properties = properties;
	}

	/** A server on a new data directory under tests/target, not started yet. */
	public static ServerProcess create(String dataDirPrefix) {
		try {
			Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), dataDirPrefix)
					.toAbsolutePath();
			return new ServerProcess(dataDir, TestServer.suiteProperties(dataDir));
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** Starts a JVM on the data directory and waits until it answers; returns how long that took. */
	public Duration start() {
		long began = System.nanoTime();
		try {
			port = OpenSearchNode.freePort();
			log = dataDir.resolve("server-" + (++starts) + ".log");
			process = new ProcessBuilder(command())
					.redirectErrorStream(true)
					.redirectOutput(log.toFile())
					.start();
		} catch (IOException e) {
			throw new UncheckedIOException("Could not start the server JVM", e);
		}
		awaitReady();
		return Duration.ofNanos(System.nanoTime() - began);
	}

	private List<String> command() {
		List<String> command = new ArrayList<>(List.of(
				Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx1g",
				"-XX:+UseSerialGC",
				"-Dfile.encoding=UTF-8",
				"-cp",
				System.getProperty("java.class.path"),
				VietFhirApplication.class.getName(),
				"--server.port=" + port,
				"--vietfhir.data-dir=" + dataDir,
				"--logging.level.root=WARN",
				"--logging.level.vn.ehealth.fhir.server.storage=INFO",
				"--logging.level.vn.ehealth.fhir.server.search=INFO"));
		properties.forEach((key, value) -> command.add("--" + key + "=" + value));
		return command;
	}

	private void awaitReady() {
		long deadline = System.nanoTime() + STARTUP.toNanos();
		Http anonymous = Http.anonymous(rootUrl());
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException("The server JVM exited with " + process.exitValue() + ":\n" + logTail());
			}
			try {
				if (anonymous.get("/fhir/metadata", "application/fhir+json").status() == 200) {
					return;
				}
			} catch (UncheckedIOException e) {
				// not listening yet
			}
			sleep(250);
		}
		throw new IllegalStateException("The server did not answer within " + STARTUP + ":\n" + logTail());
	}

	/** kill -9 of the server JVM alone: its children (the embedded PostgreSQL, the watchdog) are left. */
	public void kill() {
		process.destroyForcibly();
		try {
			process.waitFor(30, TimeUnit.SECONDS);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	/** The live child processes of the server JVM whose command line contains {@code marker}. */
	public List<ProcessHandle> children(String marker) {
		return process.toHandle().children()
				.filter(child -> child.info().arguments()
						.map(args -> List.of(args).contains(marker))
						.orElse(false))
				.toList();
	}

	/** The postmaster running on this server's data directory (PostgreSQL's own lock file names it). */
	public Optional<ProcessHandle> postmaster() {
		try {
			List<String> lines = Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid"));
			return ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
					.filter(ProcessHandle::isAlive)
					.filter(process -> process.info().command().orElse("").endsWith("postgres"));
		} catch (IOException e) {
			return Optional.empty();
		}
	}

	/**
	 * Stops the server (SIGTERM: Spring closes the context and PostgreSQL with it), then whatever it
	 * left running on its data directory.
	 */
	public void stop() {
		if (process != null && process.isAlive()) {
			process.destroy();
			try {
				if (!process.waitFor(60, TimeUnit.SECONDS)) {
					process.destroyForcibly();
				}
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}
		postmaster().ifPresent(ProcessHandle::destroy);
	}

	public String rootUrl() {
		return "http://127.0.0.1:" + port;
	}

	/** HTTP as the suite's client; the token comes from this start's token endpoint. */
	public Http http() {
		Tokens tokens = new Tokens(rootUrl(), Tokens.SUITE_CLIENT, Tokens.suiteKey());
		return new Http(rootUrl(), tokens::token);
	}

	public Path dataDir() {
		return dataDir;
	}

	/** Whether this start's log has a line containing {@code text}. */
	public boolean logContains(String text) {
		try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
			return lines.anyMatch(line -> line.contains(text));
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** The last lines of this start's log. */
	public String logTail() {
		return ChildProcesses.logTail(log, 60);
	}

	private static void sleep(long millis) {
		ChildProcesses.sleep(millis);
	}
}
