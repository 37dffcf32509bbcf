package vn.ehealth.fhir.tests.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny HTTP server in the test JVM that serves NDJSON files, the "other server" a bulk import
 * fetches from. Started once; the suite's servers allow imports from {@link #ALLOWED_PATH} on it
 * only, so anything under {@code /private/} stands for an address the server must refuse to fetch.
 */
public final class NdjsonFileHost {

	public static final String ALLOWED_PATH = "/ndjson/";
	private static NdjsonFileHost shared;

	private final HttpServer server;
	private final Map<String, byte[]> files = new ConcurrentHashMap<>();
	private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

	private NdjsonFileHost() throws IOException {
		server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
		server.createContext("/", exchange -> {
			String path = exchange.getRequestURI().getPath();
			hits.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
			byte[] body = files.get(path);
			if (body == null) {
				exchange.sendResponseHeaders(404, -1);
			} else {
				exchange.getResponseHeaders().add("Content-Type", "application/fhir+ndjson");
				exchange.sendResponseHeaders(200, body.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			}
			exchange.close();
		});
		server.start();
		// its dispatcher thread would keep the test JVM alive
		Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
	}

	public static synchronized NdjsonFileHost shared() {
		if (shared == null) {
			try {
				shared = new NdjsonFileHost();
			} catch (IOException e) {
				throw new UncheckedIOException(e);
			}
		}
		return shared;
	}

	/** Serves {@code content} at {@code path}; returns its URL. */
	public String put(String path, String content) {
		files.put(path, content.getBytes(StandardCharsets.UTF_8));
		return url(path);
	}

	public String url(String path) {
		return "http://localhost:" + server.getAddress().getPort() + path;
	}

	/** How often {@code path} was requested. */
	public int hits(String path) {
		AtomicInteger count = hits.get(path);
		return count == null ? 0 : count.get();
	}
}
