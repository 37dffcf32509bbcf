package vn.ehealth.fhir.tests.security;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket to the test server on loopback, with a Host header of the test's
 * choosing (Java's HttpClient does not let a request set Host): what a client sends when it names
 * the server by another host, or a proxy forwards a client's Host unchanged.
 */
final class ForeignHost {

	/** Status code and the whole response text (headers and body, chunk sizes included). */
	record Response(int status, String text) {}

	private ForeignHost() {}

	static Response send(int port, String host, String method, String path, Map<String, String> headers, String body) {
		byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
		StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n");
		headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
		if (body != null) {
			head.append("Content-Length: ").append(content.length).append("\r\n");
		}
		head.append("\r\n");
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(60_000);
			OutputStream out = socket.getOutputStream();
			out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
			out.write(content);
			out.flush();
			String text = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			return new Response(Integer.parseInt(text.substring(9, 12)), text);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
