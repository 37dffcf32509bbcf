package vn.ehealth.fhir.server.bulkimport;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The lines of an NDJSON file, each decoded as UTF-8 on its own: a line that is not UTF-8 is reported
 * as such (and its line alone fails), where a reader of the whole file would stop at the first bad
 * byte. Lines end with LF, a CR before it is dropped (NDJSON: "\n" or "\r\n").
 */
final class Utf8Lines implements Closeable {

	/** One line: its text (bad bytes shown as U+FFFD), and whether it was valid UTF-8. */
	record Line(String text, boolean utf8) {}

	private final InputStream in;
	private final CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
			.onMalformedInput(CodingErrorAction.REPORT)
			.onUnmappableCharacter(CodingErrorAction.REPORT);
	private byte[] buffer = new byte[64 * 1024];
	private int start;
	private int end;
	private boolean eof;

	Utf8Lines(Path file) throws IOException {
		this.in = Files.newInputStream(file);
	}

	/** The next line, or null at the end of the file. */
	Line next() throws IOException {
		int scanned = start;
		while (true) {
			for (int i = scanned; i < end; i++) {
				if (buffer[i] == '\n') {
					Line line = decode(start, i);
					start = i + 1;
					return line;
				}
			}
			scanned = end;
			if (eof) {
				if (start == end) {
					return null;
				}
				Line line = decode(start, end);
				start = end;
				return line;
			}
			scanned -= fill();
		}
	}

	/** Reads more bytes, first moving the unread ones to the front (growing the buffer for a long line); how far they moved. */
	private int fill() throws IOException {
		int moved = start;
		if (start > 0) {
			System.arraycopy(buffer, start, buffer, 0, end - start);
			end -= start;
			start = 0;
		}
		if (end == buffer.length) {
			buffer = Arrays.copyOf(buffer, buffer.length * 2);
		}
		int n = in.read(buffer, end, buffer.length - end);
		if (n < 0) {
			eof = true;
		} else {
			end += n;
		}
		return moved;
	}

	private Line decode(int from, int to) {
		int length = to > from && buffer[to - 1] == '\r' ? to - from - 1 : to - from;
		try {
			return new Line(strict.decode(ByteBuffer.wrap(buffer, from, length)).toString(), true);
		} catch (CharacterCodingException e) {
			return new Line(new String(buffer, from, length, StandardCharsets.UTF_8), false);
		}
	}

	@Override
	public void close() throws IOException {
		in.close();
	}
}
