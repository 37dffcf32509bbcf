package vn.ehealth.fhir.terminology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReaderTest {

  @Test
  void quotedFieldsKeepDelimitersQuotesAndLineBreaks() {
    List<CsvReader.Row> rows = CsvReader.parse(
        "code,display\nA,\"Viêm dạ dày, không đặc hiệu\"\nB,\"nói \"\"không\"\"\"\nC,\"hai\ndòng\"\nD,cuối\n", ',');
    assertThat(rows).hasSize(5);
    assertThat(rows.get(1).fields()).containsExactly("A", "Viêm dạ dày, không đặc hiệu");
    assertThat(rows.get(2).get(1)).isEqualTo("nói \"không\"");
    assertThat(rows.get(3).get(1)).isEqualTo("hai\ndòng");
    assertThat(rows.get(3).line()).isEqualTo(4);
    // the record after a two-line field starts on line 6
    assertThat(rows.get(4).line()).isEqualTo(6);
    assertThat(rows).noneMatch(CsvReader.Row::isMalformed);
  }

  @Test
  void skipsEmptyLinesAndHandlesCrLfAndMissingFinalNewline() {
    List<CsvReader.Row> rows = CsvReader.parse("a;b\r\n\r\n1;2\r\n3;4", ';');
    assertThat(rows).extracting(CsvReader.Row::line).containsExactly(1, 3, 4);
    assertThat(rows.get(2).fields()).containsExactly("3", "4");
  }

  @Test
  void detectsDelimiterFromHeader() {
    assertThat(CsvReader.detectDelimiter("MA_BENH;TEN_BENH;TEN_TIENG_ANH")).isEqualTo(';');
    assertThat(CsvReader.detectDelimiter("code,display_vi,display_en")).isEqualTo(',');
    assertThat(CsvReader.detectDelimiter("code\tdisplay")).isEqualTo('\t');
    assertThat(CsvReader.detectDelimiter("\"a;b\",c,d")).isEqualTo(',');
    assertThat(CsvReader.detectDelimiter("code")).isEqualTo(',');
  }

  @Test
  void reportsMalformedRowsWithTheirLineAndGoesOn() {
    List<CsvReader.Row> rows = CsvReader.parse("a,b\n\"x\"y,z\nok,1\n\"open,2\n", ',');
    assertThat(rows.get(1).line()).isEqualTo(2);
    assertThat(rows.get(1).problem()).contains("after the closing quote");
    assertThat(rows.get(2).isMalformed()).isFalse();
    CsvReader.Row last = rows.get(rows.size() - 1);
    assertThat(last.line()).isEqualTo(4);
    assertThat(last.problem()).contains("opened on line 4").contains("never closed");
  }

  @Test
  void readsUtf8WithBomAndRejectsOtherEncodings() throws Exception {
    byte[] withBom = "\uFEFFcode,display\n01,Hà Nội\n".getBytes(StandardCharsets.UTF_8);
    CsvReader.Table t = CsvReader.read(new ByteArrayInputStream(withBom));
    assertThat(t.columns()).containsExactly("code", "display");
    assertThat(t.rows().get(0).get(1)).isEqualTo("Hà Nội");

    byte[] latin1 = "code,display\n01,ok\n02,Th\u00e1i\n".getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> CsvReader.read(new ByteArrayInputStream(latin1)))
        .isInstanceOf(TerminologyLoadException.class)
        .hasMessageContaining("line 3")
        .hasMessageContaining("UTF-8");
  }
}
