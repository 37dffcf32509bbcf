package vn.ehealth.fhir.tests.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.IdType;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.tests.support.Fixtures;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * Requests without a token are limited per client address (default 300 a minute). They are sent from
 * another loopback address (127.0.0.2), so the rest of the suite keeps its own budget on 127.0.0.1.
 */
class PublicDirectoryRateLimitTest {

	private static final int DEFAULT_PER_MINUTE = 300;

	/** One GET from 127.0.0.2 over a fresh connection; the raw response (status line, headers, body). */
	private static String getFromOtherAddress(int port, String path) {
		try (Socket socket = new Socket()) {
			socket.bind(new InetSocketAddress("127.0.0.2", 0));
			socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
			socket.setSoTimeout(30_000);
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost:" + port + "\r\nAccept: application/fhir+json\r\n"
					+ "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	@Test
	void anonymousRequestsBeyondTheLimitGet429WhileTokensAreUnaffected() {
		TestServer server = TestServer.shared();
		IdType organization = (IdType) server.client().create().resource(Fixtures.facility("Phòng khám Giới hạn"))
				.execute().getId().toUnqualifiedVersionless();
		String path = "/fhir/" + organization.getValue();
		int allowed = 0;
		String refused = null;
		// at most two windows' worth: even if a minute turns over meanwhile, one must be refused
		for (int i = 0; i < 2 * DEFAULT_PER_MINUTE + 2 && refused == null; i++) {
			String response = getFromOtherAddress(server.port(), path);
			if (response.startsWith("HTTP/1.1 200")) {
				allowed++;
			} else {
				refused = response;
			}
		}
		assertThat(refused).isNotNull().startsWith("HTTP/1.1 429");
		assertThat(refused).containsIgnoringCase("Retry-After:").contains("Too many requests without a token")
				.contains("\"resourceType\":\"OperationOutcome\"");
		assertThat(allowed).isGreaterThanOrEqualTo(DEFAULT_PER_MINUTE / 2).isLessThanOrEqualTo(2 * DEFAULT_PER_MINUTE);
		// the suite's own address and tokens are unaffected
		assertThat(server.anonymousHttp().get(path).status()).isEqualTo(200);
		assertThat(server.http().get(path).status()).isEqualTo(200);
	}
}
