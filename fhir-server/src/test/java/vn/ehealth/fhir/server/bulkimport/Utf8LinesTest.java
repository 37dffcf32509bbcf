package vn.ehealth.fhir.server.bulkimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NDJSON lines decoded one by one: a line that is not UTF-8 fails alone, the others are imported. */
class Utf8LinesTest {

	@TempDir
	Path dir;

	@Test
	void splitsOnLfAndDropsTheCrOfCrLf() throws Exception {
		assertThat(lines("{\"a\":\"Hà Nội\"}\r\n{\"b\":2}\n\n{\"c\":3}".getBytes(StandardCharsets.UTF_8)))
				.containsExactly(new Utf8Lines.Line("{\"a\":\"Hà Nội\"}", true), new Utf8Lines.Line("{\"b\":2}", true),
						new Utf8Lines.Line("", true), new Utf8Lines.Line("{\"c\":3}", true));
	}

	@Test
	void aLineThatIsNotUtf8IsReportedAndTheNextOneIsRead() throws Exception {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		bytes.writeBytes("{\"name\":\"".getBytes(StandardCharsets.UTF_8));
		bytes.write(0xC0); // never valid in UTF-8
		bytes.writeBytes("\"}\n{\"name\":\"Lê\"}\n".getBytes(StandardCharsets.UTF_8));
		List<Utf8Lines.Line> lines = lines(bytes.toByteArray());
		assertThat(lines).hasSize(2);
		assertThat(lines.get(0).utf8()).isFalse();
		assertThat(lines.get(0).text()).contains("\uFFFD");
		assertThat(lines.get(1)).isEqualTo(new Utf8Lines.Line("{\"name\":\"Lê\"}", true));
	}

	/** A line longer than the read buffer (64 KiB), with a character across the boundary, comes out whole. */
	@Test
	void readsALineLongerThanItsBuffer() throws Exception {
		String longLine = "x".repeat(64 * 1024 - 1) + "ệ" + "y".repeat(100_000);
		assertThat(lines((longLine + "\nend").getBytes(StandardCharsets.UTF_8)))
				.containsExactly(new Utf8Lines.Line(longLine, true), new Utf8Lines.Line("end", true));
	}

	@Test
	void anEmptyFileHasNoLines() throws Exception {
		assertThat(lines(new byte[0])).isEmpty();
	}

	private List<Utf8Lines.Line> lines(byte[] content) throws Exception {
		Path file = Files.write(dir.resolve("input.ndjson"), content);
		List<Utf8Lines.Line> lines = new ArrayList<>();
		try (Utf8Lines reader = new Utf8Lines(file)) {
			for (Utf8Lines.Line line = reader.next(); line != null; line = reader.next()) {
				lines.add(line);
			}
		}
		return lines;
	}
}
