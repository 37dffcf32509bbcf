package vn.ehealth.fhir.tests.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests {@link java.net.http.HttpClient} refuses to send: bytes
 * that are not legal in a URI (a raw {@code |}, raw UTF-8, a malformed {@code %} escape), unknown
 * methods, transfer encodings of the client's own choosing. One request per connection.
 */
public final class RawHttp {

	private final String host;
	private final int port;

	public RawHttp(String host, int port) {
		this.host = host;
		this.port = port;
	}

	/** What came back: status, headers (names in lower case) and the body as UTF-8 text. */
	public record Response(int status, Map<String, String> headers, String body) {
		public String header(String name) {
			return headers.get(name.toLowerCase(Locale.ROOT));
		}
	}

	/**
	 * Sends {@code method target HTTP/1.1} with the given header lines (each "Name: value"), the body
	 * as is (with a Content-Length unless a header line sets Transfer-Encoding), then reads the answer.
	 */
	public Response send(String method, String target, Map<String, String> headers, byte[] body) {
		try (Socket socket = new Socket(host, port)) {
			socket.setSoTimeout(120_000);
			ByteArrayOutputStream head = new ByteArrayOutputStream();
			write(head, method + " " + target + " HTTP/1.1\r\n");
			write(head, "Host: " + host + ":" + port + "\r\n");
			write(head, "Connection: close\r\n");
			boolean ownFraming = headers.keySet().stream().anyMatch(name -> name.equalsIgnoreCase("Transfer-Encoding"));
			if (body != null && !ownFraming) {
				write(head, "Content-Length: " + body.length + "\r\n");
			}
			for (Map.Entry<String, String> header : headers.entrySet()) {
				write(head, header.getKey() + ": " + header.getValue() + "\r\n");
			}
			write(head, "\r\n");
			OutputStream out = socket.getOutputStream();
			out.write(head.toByteArray());
			if (body != null) {
				out.write(body);
			}
			out.flush();
			return read(socket.getInputStream());
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private static void write(ByteArrayOutputStream out, String text) {
		// the request target is written as UTF-8 bytes, exactly as a client that does not percent-encode sends it
		out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
	}

	private static Response read(InputStream in) throws IOException {
		byte[] all = in.readAllBytes();
		String text = new String(all, StandardCharsets.ISO_8859_1);
		int end = text.indexOf("\r\n\r\n");
		if (end < 0) {
			throw new IOException("No complete HTTP answer: " + text);
		}
		String[] lines = text.substring(0, end).split("\r\n");
		int status = Integer.parseInt(lines[0].split(" ")[1]);
		Map<String, String> headers = new LinkedHashMap<>();
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
		}
		byte[] body = java.util.Arrays.copyOfRange(all, end + 4, all.length);
		if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
			body = unchunk(body);
		}
		return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
	}

	private static byte[] unchunk(byte[] chunked) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int at = 0;
		while (at < chunked.length) {
			int lineEnd = indexOfCrlf(chunked, at);
			String sizeLine = new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1);
			int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
			if (size == 0) {
				break;
			}
			out.write(chunked, lineEnd + 2, size);
			at = lineEnd + 2 + size + 2;
		}
		return out.toByteArray();
	}

	private static int indexOfCrlf(byte[] bytes, int from) {
		for (int i = from; i + 1 < bytes.length; i++) {
			if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
				return i;
			}
		}
		return bytes.length;
	}
}
