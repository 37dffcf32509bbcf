package vn.ehealth.fhir.tests.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * Request bodies as large as real exchanges send (one Synthea patient's bundle reaches 44 MB), and
 * the limits around them: the size limit (413) and how many large bodies are read at once (503 with
 * Retry-After). A server of its own, with a 50 MB limit, a 1 MB large-body threshold and one permit.
 */
class LargeRequestBodyTest {

	private static final String JSON = "application/fhir+json";
	private static final int MB = 1 << 20;
	private static final String RUN_SYSTEM = "urn:vietfhir:test:large-body";
	private static final String PAYLOAD_URL = "https://vietfhir.org/fhir/test/payload";
	/** Percent of this JVM's heap that makes bodies of about 55 MiB the most it parses (× 10 each). */
	private static final int HEAP_SHARE = (int) Math.ceil(55.0 * MB * 10 * 100 / Runtime.getRuntime().maxMemory());
	private static TestServer server;
	private static Http http;

	@BeforeAll
	static void start() {
		server = TestServer.start("vietfhir-large-body-", Map.of(
				"vietfhir.fhir.max-request-size", "60MB",
				// this JVM's heap parses bodies up to about 55 MiB: under the 60 MB limit, which it caps
				"vietfhir.fhir.large-bodies.heap-share", String.valueOf(HEAP_SHARE),
				"vietfhir.fhir.large-bodies.threshold", "1MB",
				"vietfhir.fhir.large-bodies.at-once", "1",
				"vietfhir.fhir.large-bodies.max-wait", "1s",
				// what is measured here is the body's way in, not the profiles
				"vietfhir.validation.default-mode", "off"));
		http = server.http();
	}

	@AfterAll
	static void stop() {
		server.stop();
	}

	@Test
	void transactionOverTheOldTwentyMegabyteLimitIsStoredWhole() {
		String run = Fixtures.uniqueValue();
		int entries = 46;
		int payloadChars = 850_000; // about 1 MB in UTF-8
		byte[] body = transaction(run, entries, payloadChars).getBytes(StandardCharsets.UTF_8);
		// larger than the largest Synthea patient (43.6 MB), under the test server's 50 MB
		assertThat(body.length).isGreaterThan(44 * MB).isLessThan(50 * MB);

		long started = System.nanoTime();
		Http.Response response = http.send(HttpRequest.newBuilder(http.uri("/fhir"))
				.header("Content-Type", JSON)
				.POST(HttpRequest.BodyPublishers.ofByteArray(body)));
		System.out.printf("%d MB transaction: %d ms%n", body.length / MB, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));

		assertThat(response.status()).as(abbreviate(response.body())).isEqualTo(200);
		assertThat(response.resource(Bundle.class).getEntry())
				.hasSize(entries)
				.allSatisfy(entry -> assertThat(entry.getResponse().getStatus()).startsWith("201"));
		assertThat(http.get("/fhir/Basic?code=" + RUN_SYSTEM + "%7C" + run + "&_summary=count", JSON).body())
				.contains("\"total\":" + entries);
		String location = response.resource(Bundle.class).getEntry().get(entries - 1).getResponse().getLocation();
		Basic last = http.get("/fhir/" + location, JSON).resource(Basic.class);
		assertThat(last.getExtensionByUrl(PAYLOAD_URL).getValue().primitiveValue()).hasSize(payloadChars);
	}

	@Test
	void bodyBeyondWhatTheHeapCanParseIs413NamingTheSettingAndTheHeap() {
		long heapCap = Runtime.getRuntime().maxMemory() / 100 * HEAP_SHARE / 10 / MB * MB;
		assertThat(heapCap).isGreaterThan(50L * MB).isLessThan(60L * 1000 * 1000);
		// chunked, so the server counts it as it reads: refused past what the heap parses, the rest is swallowed
		Http.Response response = http.postChunked("/fhir", JSON,
				() -> new SequenceInputStream(stream(transactionStart()), new Spaces(heapCap + MB)));
		assertThat(response.status()).as(abbreviate(response.body())).isEqualTo(413);
		assertThat(response.outcome().getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
		assertThat(response.diagnostics())
				.contains("vietfhir.fhir.max-request-size capped by the heap", "-Xmx", "heap-share");
	}

	@Test
	void largeBodyBeyondThePermitsWaitsThenGets503WithRetryAfter() throws Exception {
		CountDownLatch finish = new CountDownLatch(1);
		String run = Fixtures.uniqueValue();
		String first = transaction(run, 3, MB);
		// the first body stops after 2 MB (over the 1 MB threshold: it holds the only permit) until released
		int split = 2 * MB;
		ExecutorService holders = Executors.newCachedThreadPool();
		CompletableFuture<Http.Response> holding = hold(first, split, finish, holders);
		try {
			Http.Response refused = null;
			String probe = transaction(Fixtures.uniqueValue(), 2, MB);
			for (int attempt = 0; attempt < 60 && refused == null; attempt++) {
				if (holding.isDone()) {
					// it met a probe holding the permit and was refused itself: hold again
					holding = hold(first, split, finish, holders);
				}
				Thread.sleep(500);
				Http.Response response = post(probe);
				refused = response.status() == 503 ? response : null;
			}
			assertThat(refused).as("no 503 while a large body held the only permit").isNotNull();
			assertThat(refused.header("Retry-After")).isEqualTo("1");
			assertThat(refused.outcome().getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.TRANSIENT);
			assertThat(refused.diagnostics()).startsWith("Máy chủ đang xử lý").contains("vietfhir.fhir.large-bodies.at-once");
		} finally {
			finish.countDown();
		}
		Http.Response held = holding.get(2, TimeUnit.MINUTES);
		holders.shutdown();
		assertThat(held.status()).as(abbreviate(held.body())).isEqualTo(200);
		// the permit is given back: the next large body goes through
		Http.Response next = post(transaction(Fixtures.uniqueValue(), 2, MB));
		assertThat(next.status()).as(abbreviate(next.body())).isEqualTo(200);
	}

	/** Sends a body chunked that stops after {@code split} characters (past the threshold) until {@code finish}. */
	private static CompletableFuture<Http.Response> hold(String body, int split, CountDownLatch finish, ExecutorService on) {
		return CompletableFuture.supplyAsync(() -> http.postChunked("/fhir", JSON,
				() -> new SequenceInputStream(stream(body.substring(0, split)),
						new WaitingStream(finish, stream(body.substring(split))))), on);
	}

	private static Http.Response post(String body) {
		return http.post("/fhir", JSON, body);
	}

	/** A transaction of Basic entries, each with a text payload of the given size, tagged with the run. */
	private static String transaction(String run, int entries, int payloadChars) {
		String payload = "Ghi chú khám bệnh. ".repeat(payloadChars / 19 + 1).substring(0, payloadChars);
		StringBuilder json = new StringBuilder(transactionStart());
		for (int i = 0; i < entries; i++) {
			json.append(i == 0 ? "" : ",")
					.append("{\"resource\":{\"resourceType\":\"Basic\",\"code\":{\"coding\":[{\"system\":\"")
					.append(RUN_SYSTEM).append("\",\"code\":\"").append(run).append("\"}]},\"extension\":[{\"url\":\"")
					.append(PAYLOAD_URL).append("\",\"valueString\":\"").append(payload)
					.append("\"}]},\"request\":{\"method\":\"POST\",\"url\":\"Basic\"}}");
		}
		return json.append("]}").toString();
	}

	private static String transactionStart() {
		return "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[";
	}

	private static InputStream stream(String text) {
		return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
	}

	private static String abbreviate(String body) {
		return body.length() > 2000 ? body.substring(0, 2000) + "…" : body;
	}

	/** So many spaces, made as they are read. */
	private static final class Spaces extends InputStream {
		private long left;

		Spaces(long count) {
			this.left = count;
		}

		@Override
		public int read() {
			return left-- > 0 ? ' ' : -1;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) {
			if (left <= 0) {
				return -1;
			}
			int n = (int) Math.min(length, left);
			java.util.Arrays.fill(buffer, offset, offset + n, (byte) ' ');
			left -= n;
			return n;
		}
	}

	/** The rest of a body, sent once the latch is released. */
	private static final class WaitingStream extends InputStream {
		private final CountDownLatch latch;
		private final InputStream rest;

		WaitingStream(CountDownLatch latch, InputStream rest) {
			this.latch = latch;
			this.rest = rest;
		}

		@Override
		public int read() throws IOException {
			await();
			return rest.read();
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			await();
			return rest.read(buffer, offset, length);
		}

		private void await() {
			try {
				latch.await(2, TimeUnit.MINUTES);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new UncheckedIOException(new IOException(e));
			}
		}
	}
}
