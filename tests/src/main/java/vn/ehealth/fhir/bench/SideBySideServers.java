package vn.ehealth.fhir.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The processes of a {@link SideBySide} sitting: one PostgreSQL (zonky's embedded binaries, the
 * settings of the 2026-12-06 baseline, fsync on) with a database per server, and each FHIR server
 * as a child process of this JVM. CPU time is read from {@code /proc} (Linux), per server JVM and
 * per database (the PostgreSQL backends connected to it).
 */
final class SideBySideServers implements AutoCloseable {

	/** Clock ticks per second of /proc/[pid]/stat times: USER_HZ, 100 on every Linux the project runs on. */
	private static final double TICKS_PER_SECOND = 100;
	private static final HttpClient HTTP =
			HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

	/** One FHIR server: started here (process non-null) or already running elsewhere (base URL only). */
	record Server(String name, String database, String base, Process process, Path log, double readySeconds, long launchedNanos) {
		/** The FHIR server's JVM CPU seconds so far (user + system); NaN for a server not started here. */
		double cpuSeconds() {
			return process == null ? Double.NaN : SideBySideServers.cpuSeconds(process.pid());
		}

		/** Server root (the base URL without /fhir), where our token endpoint and discovery live. */
		String root() {
			return base.endsWith("/fhir") ? base.substring(0, base.length() - "/fhir".length()) : base;
		}
	}

	private final EmbeddedPostgres postgres;
	private final Path dataDir;
	private final List<Server> servers = new ArrayList<>();
	private boolean closed;

	private SideBySideServers(EmbeddedPostgres postgres, Path dataDir) {
		this.postgres = postgres;
		this.dataDir = dataDir;
	}

	/**
	 * PostgreSQL with docs/perf-baseline.md's settings, except max_connections: the baseline's 50 held
	 * stock's pool (10) and ours (30); here each of our servers has its own pool of 30.
	 */
	static SideBySideServers startPostgres(Path dataDir, int maxConnections, boolean statements) throws IOException {
		EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
		if (statements) {
			// the statements each server sends, timed per database (pg_stat_statements ships with the binaries)
			builder.setServerConfig("shared_preload_libraries", "pg_stat_statements");
		}
		EmbeddedPostgres postgres = builder
				.setDataDirectory(dataDir)
				.setCleanDataDirectory(true)
				.setServerConfig("listen_addresses", "127.0.0.1")
				.setServerConfig("shared_buffers", "1GB")
				.setServerConfig("effective_cache_size", "8GB")
				.setServerConfig("work_mem", "16MB")
				.setServerConfig("maintenance_work_mem", "256MB")
				.setServerConfig("max_wal_size", "4GB")
				.setServerConfig("checkpoint_timeout", "15min")
				.setServerConfig("max_connections", String.valueOf(maxConnections))
				// zonky starts throwaway test databases (fsync off, commits not waited for); a health
				// record server commits to disk, so both servers pay for it here
				.setServerConfig("fsync", "on")
				.setServerConfig("synchronous_commit", "on")
				.setPGStartupWait(Duration.ofSeconds(120))
				.start();
		return new SideBySideServers(postgres, dataDir);
	}

	/** "PostgreSQL 16.4 (fsync on, synchronous_commit on, shared_buffers 1GB, max_connections 80)". */
	String describePostgres() throws Exception {
		try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
			List<String> values = new ArrayList<>();
			for (String setting : List.of("server_version", "fsync", "synchronous_commit", "shared_buffers", "max_connections")) {
				try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
					rs.next();
					values.add(rs.getString(1));
				}
			}
			return String.format(Locale.ROOT, "PostgreSQL %s (fsync %s, synchronous_commit %s, shared_buffers %s, max_connections %s)",
					values.toArray());
		}
	}

	/** Forgets the statements counted so far (see {@link #topStatements}). */
	void resetStatements() throws Exception {
		try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
			s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
			s.execute("SELECT pg_stat_statements_reset()");
		}
	}

	/**
	 * A Markdown table per database: statements and executor time in all, then the {@code top} statements
	 * by executor time (calls, ms, rows, the statement's first 140 characters).
	 */
	String topStatements(List<String> databases, int top) throws Exception {
		StringBuilder out = new StringBuilder();
		try (Connection c = postgres.getPostgresDatabase().getConnection()) {
			for (String database : databases) {
				try (var total = c.prepareStatement("SELECT COALESCE(sum(s.calls), 0), COALESCE(sum(s.total_exec_time), 0), "
						+ "COALESCE(sum(s.shared_blks_hit), 0), COALESCE(sum(s.shared_blks_read), 0), COALESCE(sum(s.shared_blks_dirtied), 0), "
						+ "COALESCE(sum(s.shared_blks_written), 0), COALESCE(sum(s.wal_bytes), 0), COALESCE(sum(s.wal_fpi), 0) "
						+ "FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = ?")) {
					total.setString(1, database);
					try (ResultSet rs = total.executeQuery()) {
						rs.next();
						// blocks written by the backends themselves (not the background writer) and full-page
						// images in the WAL are where executor time goes beyond CPU
						out.append(String.format(Locale.ROOT, "%n### %s: %d statements, %.0f ms executing%n%n"
								+ "buffers hit %d, read %d, dirtied %d, written by the backend %d; WAL %.1f MB, %d full-page images%n%n"
								+ "| calls | ms | rows | statement |%n| ---: | ---: | ---: | --- |%n",
								database, rs.getLong(1), rs.getDouble(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
								rs.getDouble(7) / 1e6, rs.getLong(8)));
					}
				}
				try (var each = c.prepareStatement("SELECT s.calls, s.total_exec_time, s.rows, s.query FROM pg_stat_statements s "
						+ "JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = ? ORDER BY s.total_exec_time DESC LIMIT ?")) {
					each.setString(1, database);
					each.setInt(2, top);
					try (ResultSet rs = each.executeQuery()) {
						while (rs.next()) {
							String query = rs.getString(4).replaceAll("\\s+", " ").replace("|", "\\|");
							out.append(String.format(Locale.ROOT, "| %d | %.0f | %d | `%s` |%n", rs.getLong(1), rs.getDouble(2), rs.getLong(3),
									query.length() > 140 ? query.substring(0, 140) + "…" : query));
						}
					}
				}
			}
		}
		return out.toString();
	}

	void createDatabase(String name) throws Exception {
		try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
			s.execute("CREATE DATABASE " + name);
		}
	}

	String jdbcUrl(String database) {
		return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + database;
	}

	/** Starts {@code command} (a java -jar … with the port in it) with its output in {@code log}; see {@link #awaitReady}. */
	Server launch(String name, String database, int port, List<String> command, Path log) throws IOException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		Server server = new Server(name, database, "http://localhost:" + port + "/fhir", process, log, Double.NaN, System.nanoTime());
		servers.add(server);
		return server;
	}

	/** Waits until the server's /metadata answers 200; the server with the seconds since its launch. */
	Server awaitReady(Server server, Duration timeout) throws Exception {
		waitForMetadata(server.base(), server.process(), server.log(), timeout);
		Server ready = new Server(server.name(), server.database(), server.base(), server.process(), server.log(),
				(System.nanoTime() - server.launchedNanos()) / 1e9, server.launchedNanos());
		servers.set(servers.indexOf(server), ready);
		return ready;
	}

	/** A server already running (e.g. a stock server started by hand): only its base URL. */
	static Server external(String name, String base) throws Exception {
		waitForMetadata(base, null, null, Duration.ofSeconds(30));
		return new Server(name, null, base, null, null, Double.NaN, 0);
	}

	private static void waitForMetadata(String base, Process process, Path log, Duration timeout) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (process != null && !process.isAlive()) {
				throw new IllegalStateException(base + " exited with " + process.exitValue() + "; see " + log);
			}
			try {
				HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/metadata"))
						.header("Accept", "application/fhir+json").timeout(Duration.ofSeconds(30)).GET().build(),
						HttpResponse.BodyHandlers.discarding());
				if (response.statusCode() == 200) {
					return;
				}
			} catch (IOException notYet) {
				// not listening yet
			}
			Thread.sleep(500);
		}
		throw new IllegalStateException(base + "/metadata did not answer 200 within " + timeout + (log != null ? "; see " + log : ""));
	}

	/** CPU seconds of the PostgreSQL backends now connected to {@code database} (exited ones are not counted). */
	double databaseCpuSeconds(String database) {
		if (database == null) {
			return Double.NaN;
		}
		long postmaster = postmasterPid();
		double seconds = 0;
		try (Stream<ProcessHandle> children = ProcessHandle.of(postmaster).map(ProcessHandle::children).orElse(Stream.empty())) {
			for (ProcessHandle child : children.toList()) {
				// a backend's title: "postgres: <user> <database> <client> <state>"
				String title = readQuietly(Path.of("/proc", String.valueOf(child.pid()), "cmdline")).replace('\0', ' ');
				if (title.startsWith("postgres: postgres " + database + " ")) {
					seconds += cpuSeconds(child.pid());
				}
			}
		}
		return seconds;
	}

	private long postmasterPid() {
		try {
			return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
		} catch (IOException e) {
			throw new IllegalStateException("cannot read the postmaster's pid", e);
		}
	}

	/** utime + stime of a process (fields 14 and 15 of /proc/[pid]/stat, after the parenthesised name). */
	static double cpuSeconds(long pid) {
		String stat = readQuietly(Path.of("/proc", String.valueOf(pid), "stat"));
		if (stat.isEmpty()) {
			return Double.NaN;
		}
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		// fields[0] is field 3 (state): utime is field 14, stime 15
		return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
	}

	/** The load averages of {@code uptime} (/proc/loadavg: 1, 5 and 15 minutes). */
	static String load() {
		String[] parts = readQuietly(Path.of("/proc/loadavg")).split(" ");
		return parts.length >= 3 ? parts[0] + " " + parts[1] + " " + parts[2] : "?";
	}

	private static String readQuietly(Path file) {
		try {
			return Files.readString(file, StandardCharsets.ISO_8859_1);
		} catch (IOException gone) {
			return "";
		}
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/** Stops every server started here (SIGTERM, then kill after a minute), then PostgreSQL. */
	@Override
	public synchronized void close() throws IOException {
		if (closed) {
			return; // by main, then again by the shutdown hook
		}
		closed = true;
		for (Server server : servers) {
			if (server.process() != null && server.process().isAlive()) {
				server.process().destroy();
			}
		}
		for (Server server : servers) {
			Process process = server.process();
			if (process == null) {
				continue;
			}
			try {
				if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
					process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
				}
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}
		long postmaster;
		try {
			postmaster = postmasterPid();
		} catch (IllegalStateException gone) {
			postmaster = -1;
		}
		try {
			postgres.close();
		} catch (RuntimeException slow) {
			// zonky's pg_ctl stop waits 5 s, too little on a busy machine: SIGTERM, then wait for it
			ProcessHandle.of(postmaster).ifPresent(ProcessHandle::destroy);
			ProcessHandle.of(postmaster).ifPresent(p -> p.onExit().orTimeout(120, java.util.concurrent.TimeUnit.SECONDS).join());
		}
	}
}
