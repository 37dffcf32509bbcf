package vn.ehealth.fhir.terminology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.CodeSystemContentMode;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.junit.jupiter.api.Test;

class Icd10FileLoaderTest {

  static LoadResult load(String resource) throws Exception {
    try (InputStream in = Icd10FileLoaderTest.class.getResourceAsStream("/samples/" + resource)) {
      return new Icd10FileLoader().load(in, resource);
    }
  }

  static LoadResult loadText(String text, boolean merge) throws Exception {
    return new Icd10FileLoader().mergeCurated(merge)
        .load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "inline.csv");
  }

  /** code → parent code (null for roots). */
  static Map<String, String> parentsOf(CodeSystem cs) {
    Map<String, String> out = new HashMap<>();
    walk(cs.getConcept(), null, out);
    return out;
  }

  private static void walk(java.util.List<ConceptDefinitionComponent> list, String parent, Map<String, String> out) {
    for (ConceptDefinitionComponent c : list) {
      assertThat(out.put(c.getCode(), parent)).as("duplicate " + c.getCode()).isNull();
      walk(c.getConcept(), c.getCode(), out);
    }
  }

  @Test
  void loadsSemicolonMinistryExport() throws Exception {
    LoadResult result = load("icd10-byt-semicolon.csv");
    assertThat(result.errors()).isEmpty();
    CodeSystem cs = result.orThrow();
    assertThat(cs.getUrl()).isEqualTo(VnTerminology.CS_ICD10);
    assertThat(cs.getIdElement().getIdPart()).isEqualTo("vn-icd10");
    assertThat(cs.getContent()).isEqualTo(CodeSystemContentMode.COMPLETE);
    Map<String, String> parents = parentsOf(cs);
    // new codes are placed in the curated hierarchy
    assertThat(parents.get("I15")).isEqualTo("I10-I15");
    assertThat(parents.get("I15.0")).isEqualTo("I15");
    // dagger/asterisk marks dropped, category missing in the file: placed under the block
    assertThat(parents.get("A17.0")).isEqualTo("A15-A19");
    assertThat(parents.get("G01")).isEqualTo("G00-G09");
    // undotted code normalised and merged into the curated concept, whose name the file replaces
    assertThat(parents.get("J18.9")).isEqualTo("J18");
    Map<String, ConceptDefinitionComponent> concepts = VnTerminologyTest.concepts(cs);
    assertThat(concepts.get("J18.9").getDisplay()).isEqualTo("Viêm phổi, không xác định");
    assertThat(concepts.get("K29.7").getDisplay()).isEqualTo("Viêm dạ dày; không đặc hiệu");
    assertThat(concepts.get("I15.0").getDesignationFirstRep().getValue()).isEqualTo("Renovascular hypertension");
    assertThat(cs.getCount()).isEqualTo(concepts.size());
    // the curated hierarchy and codes are all still there
    assertThat(concepts.keySet()).containsAll(VnTerminology.codes(VnCodeSystem.ICD10));
    assertThat(result.warnings()).anySatisfy(w -> assertThat(w.toString()).contains("A17").contains("line 6"));
    assertThat(result.warnings()).anySatisfy(w -> assertThat(w.line()).isZero());
  }

  @Test
  void loadsCommaFileWithQuotedNames() throws Exception {
    LoadResult result = load("icd10-simple-comma.csv");
    assertThat(result.errors()).isEmpty();
    Map<String, ConceptDefinitionComponent> concepts = VnTerminologyTest.concepts(result.codeSystem());
    assertThat(concepts.get("A00.0").getDisplay()).isEqualTo("Bệnh tả do Vibrio cholerae 01, typ sinh học cholerae");
    assertThat(concepts.get("A00.9").getDesignationFirstRep().getValue()).isEqualTo("Cholera, unspecified");
    Map<String, String> parents = parentsOf(result.codeSystem());
    assertThat(parents.get("A00")).isEqualTo("A00-A09");
    assertThat(parents.get("A00.0")).isEqualTo("A00");
    assertThat(parents.get("E11.9")).isEqualTo("E11");
  }

  @Test
  void reportsMalformedLinesWithLineNumbers() throws Exception {
    LoadResult result = load("icd10-malformed.csv");
    assertThat(result.errors()).extracting(LoadIssue::line).containsExactly(3, 4, 5, 7, 8);
    assertThat(result.errors().get(0).message()).contains("XYZ");
    assertThat(result.errors().get(1).message()).contains("4 fields").contains("header has 3");
    assertThat(result.errors().get(2).message()).contains("no code");
    assertThat(result.errors().get(3).message()).contains("K29.7").contains("no Vietnamese name");
    assertThat(result.errors().get(4).message()).contains("I10").contains("line 2");
    // the good lines still load
    Map<String, ConceptDefinitionComponent> concepts = VnTerminologyTest.concepts(result.codeSystem());
    assertThat(concepts.get("N39.0").getDisplay()).isEqualTo("Nhiễm khuẩn hệ tiết niệu, vị trí không xác định");
    assertThatThrownBy(result::orThrow)
        .isInstanceOf(TerminologyLoadException.class)
        .hasMessageContaining("icd10-malformed.csv")
        .hasMessageContaining("line 3:")
        .hasMessageContaining("line 8:");
  }

  @Test
  void loadsFromPath() throws Exception {
    Path file = Path.of(getClass().getResource("/samples/icd10-simple-comma.csv").toURI());
    CodeSystem cs = new Icd10FileLoader().loadOrThrow(file);
    assertThat(cs.getDescription()).contains("icd10-simple-comma.csv");
  }

  @Test
  void withoutCuratedSetUsesTheFileHierarchy() throws Exception {
    String text = "code,display,parent,chapter\n"
        + "X,Bệnh của hệ hô hấp,,\n"
        + "J09-J18,Cúm và viêm phổi,X,\n"
        + "J18,\"Viêm phổi, tác nhân không xác định\",,X\n"
        + "J18.9,\"Viêm phổi, không đặc hiệu\",,\n"
        + "J45,Hen,,10\n";
    LoadResult result = loadText(text, false);
    assertThat(result.errors()).isEmpty();
    Map<String, String> parents = parentsOf(result.codeSystem());
    assertThat(parents).containsEntry("X", null).containsEntry("J09-J18", "X")
        .containsEntry("J18", "J09-J18").containsEntry("J18.9", "J18")
        .containsEntry("J45", "X")
        .hasSize(5);
  }

  @Test
  void wrongParentColumnFallsBackToTheCodeWithAWarning() throws Exception {
    LoadResult result = loadText("code,display,parent\nE11.65,Tên thử,I10\n", true);
    assertThat(result.errors()).isEmpty();
    assertThat(parentsOf(result.codeSystem()).get("E11.65")).isEqualTo("E11");
    assertThat(result.warnings()).anySatisfy(w -> {
      assertThat(w.line()).isEqualTo(2);
      assertThat(w.message()).contains("parent I10");
    });
  }

  @Test
  void headerWithoutCodeColumnIsFatal() {
    assertThatThrownBy(() -> loadText("foo;bar\n1;2\n", true))
        .isInstanceOf(TerminologyLoadException.class)
        .hasMessageContaining("line 1")
        .hasMessageContaining("MA_BENH");
  }

  @Test
  void tooFewFieldsIsAnError() throws Exception {
    LoadResult result = loadText("MA_BENH;TEN_BENH\nI10\n", true);
    assertThat(result.errors()).singleElement().satisfies(e -> {
      assertThat(e.line()).isEqualTo(2);
      assertThat(e.message()).contains("only 1 field");
    });
  }

  @Test
  void headerNamesWithDiacriticsAndSpaces() throws Exception {
    LoadResult result = loadText("Mã bệnh\tTên bệnh\tTên tiếng Anh\nI10\tBệnh lý tăng huyết áp\tEssential hypertension\n", true);
    assertThat(result.errors()).isEmpty();
    assertThat(VnTerminologyTest.concepts(result.codeSystem()).get("I10").getDesignationFirstRep().getValue())
        .isEqualTo("Essential hypertension");
  }
}
