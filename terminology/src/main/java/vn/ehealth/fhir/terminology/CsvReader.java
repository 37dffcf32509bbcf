package vn.ehealth.fhir.terminology;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A small RFC 4180 style CSV reader for UTF-8 terminology files.
 *
 * <ul>
 *   <li>Input must be UTF-8 (a leading byte-order mark is ignored); invalid UTF-8 is rejected with
 *       the line number of the first bad byte.</li>
 *   <li>Fields may be quoted with {@code "}; inside quotes the delimiter and line breaks are data and
 *       {@code ""} stands for one quote.</li>
 *   <li>Line breaks may be LF, CRLF or CR. Empty lines are skipped.</li>
 *   <li>The delimiter ({@code ,}, {@code ;} or tab) can be detected from the header line.</li>
 *   <li>A malformed record (text after a closing quote, a quote left open at end of file) does not
 *       stop the reader: the row is returned with {@link Row#problem()} set, so that callers can
 *       report it with its line number and carry on.</li>
 * </ul>
 *
 * Field values are returned exactly as written (no trimming); callers trim where that is wanted.
 */
public final class CsvReader {

  /** One record: the physical line it starts on (1-based), its fields, and a parse problem or null. */
  public record Row(int line, List<String> fields, String problem) {
    public Row {
      fields = List.copyOf(fields);
    }

    /** The field at {@code index}, or the empty string if the row is shorter. */
    public String get(int index) {
      return index >= 0 && index < fields.size() ? fields.get(index) : "";
    }

    public int size() {
      return fields.size();
    }

    /** True when every field is empty or whitespace. */
    public boolean isBlank() {
      return fields.stream().allMatch(f -> f.isBlank());
    }

    public boolean isMalformed() {
      return problem != null;
    }
  }

  /** A parsed file: the delimiter used, the header row and the data rows that follow it. */
  public record Table(char delimiter, Row header, List<Row> rows) {
    public Table {
      rows = List.copyOf(rows);
    }

    /** Header names, trimmed. */
    public List<String> columns() {
      List<String> out = new ArrayList<>();
      for (String f : header.fields()) {
        out.add(f.trim());
      }
      return out;
    }
  }

  private static final char NO_DELIMITER = '\0';

  private CsvReader() {}

  /** Reads a UTF-8 file, detecting the delimiter from its first non-empty line. */
  public static Table readFile(Path file) throws IOException {
    return readTable(Files.readAllBytes(file), NO_DELIMITER);
  }

  /** Reads UTF-8 bytes from a stream (not closed), detecting the delimiter from the first non-empty line. */
  public static Table read(InputStream in) throws IOException {
    return readTable(in.readAllBytes(), NO_DELIMITER);
  }

  /** Reads UTF-8 bytes from a stream (not closed) with a fixed delimiter. */
  public static Table read(InputStream in, char delimiter) throws IOException {
    return readTable(in.readAllBytes(), delimiter);
  }

  /** Parses text that is already decoded, with auto-detected delimiter. */
  public static Table parseTable(String text) {
    return toTable(stripBom(text), NO_DELIMITER);
  }

  /** Parses text that is already decoded into rows (the header is the first row). */
  public static List<Row> parse(String text, char delimiter) {
    return parseRows(stripBom(text), delimiter);
  }

  /**
   * Picks the delimiter of a header line: whichever of {@code ;}, {@code ,} and tab occurs most
   * often outside quotes; comma when none occurs.
   */
  public static char detectDelimiter(String headerLine) {
    int commas = 0;
    int semicolons = 0;
    int tabs = 0;
    boolean quoted = false;
    for (int i = 0; i < headerLine.length(); i++) {
      char c = headerLine.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted) {
        if (c == ',') {
          commas++;
        } else if (c == ';') {
          semicolons++;
        } else if (c == '\t') {
          tabs++;
        }
      }
    }
    if (semicolons > commas && semicolons >= tabs) {
      return ';';
    }
    if (tabs > commas && tabs > semicolons) {
      return '\t';
    }
    return ',';
  }

  /** Decodes bytes as strict UTF-8; a malformed sequence fails with the line it is on. */
  public static String decodeUtf8(byte[] bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(Math.max(16, bytes.length));
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int line = 1;
      for (int i = 0; i < in.position(); i++) {
        if (bytes[i] == '\n') {
          line++;
        }
      }
      throw new TerminologyLoadException(List.of(new LoadIssue(line,
          "not valid UTF-8 (byte offset " + in.position() + "); save the file as UTF-8")));
    }
    decoder.flush(out);
    out.flip();
    return stripBom(out.toString());
  }

  private static Table readTable(byte[] bytes, char delimiter) {
    return toTable(decodeUtf8(bytes), delimiter);
  }

  private static Table toTable(String text, char delimiter) {
    char d = delimiter != NO_DELIMITER ? delimiter : detectDelimiter(firstNonEmptyLine(text));
    List<Row> rows = parseRows(text, d);
    if (rows.isEmpty()) {
      throw new TerminologyLoadException(List.of(new LoadIssue(0, "the file is empty (no header row)")));
    }
    return new Table(d, rows.get(0), rows.subList(1, rows.size()));
  }

  private static String firstNonEmptyLine(String text) {
    for (String line : text.split("\\r\\n|\\r|\\n", -1)) {
      if (!line.isBlank()) {
        return line;
      }
    }
    return "";
  }

  private static String stripBom(String text) {
    return !text.isEmpty() && text.charAt(0) == '\uFEFF' ? text.substring(1) : text;
  }

  private static List<Row> parseRows(String text, char delimiter) {
    List<Row> rows = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int line = 1;
    int rowLine = 1;
    String problem = null;
    boolean inQuotes = false;
    boolean fieldWasQuoted = false;
    boolean afterClosingQuote = false;
    int quoteOpenedOnLine = 0;
    int n = text.length();
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (inQuotes) {
        if (c == '"') {
          if (i + 1 < n && text.charAt(i + 1) == '"') {
            field.append('"');
            i += 2;
            continue;
          }
          inQuotes = false;
          afterClosingQuote = true;
          i++;
          continue;
        }
        if (c == '\r' || c == '\n') {
          // a line break inside quotes is data; normalise it to \n
          if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
            i++;
          }
          field.append('\n');
          line++;
          i++;
          continue;
        }
        field.append(c);
        i++;
        continue;
      }
      if (c == delimiter) {
        fields.add(field.toString());
        field.setLength(0);
        fieldWasQuoted = false;
        afterClosingQuote = false;
        i++;
        continue;
      }
      if (c == '\r' || c == '\n') {
        if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
          i++;
        }
        fields.add(field.toString());
        addRow(rows, rowLine, fields, problem);
        fields = new ArrayList<>();
        field.setLength(0);
        fieldWasQuoted = false;
        afterClosingQuote = false;
        problem = null;
        line++;
        rowLine = line;
        i++;
        continue;
      }
      if (c == '"' && field.length() == 0 && !fieldWasQuoted && !afterClosingQuote) {
        inQuotes = true;
        fieldWasQuoted = true;
        quoteOpenedOnLine = line;
        i++;
        continue;
      }
      if (afterClosingQuote && (c == ' ' || c == '\t')) {
        i++; // blanks between a closing quote and the delimiter are ignored
        continue;
      }
      if (afterClosingQuote && problem == null) {
        problem = "unexpected text after the closing quote of field " + (fields.size() + 1);
      }
      field.append(c);
      i++;
    }
    if (inQuotes) {
      problem = "quoted field " + (fields.size() + 1) + " opened on line " + quoteOpenedOnLine
          + " is never closed";
    }
    if (field.length() > 0 || !fields.isEmpty() || fieldWasQuoted || problem != null) {
      fields.add(field.toString());
      addRow(rows, rowLine, fields, problem);
    }
    return Collections.unmodifiableList(rows);
  }

  private static void addRow(List<Row> rows, int line, List<String> fields, String problem) {
    boolean emptyLine = fields.size() == 1 && fields.get(0).isEmpty() && problem == null;
    if (!emptyLine) {
      rows.add(new Row(line, fields, problem));
    }
  }
}
