package vn.ehealth.fhir.terminology;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.ehealth.fhir.terminology.VnTerminologyTest.flatten;

import java.io.InputStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.CodeType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class Icd10CuratedTest {

  /** code → parent as written in vn-icd10.csv. */
  static Map<String, String> parents = new LinkedHashMap<>();

  @BeforeAll
  static void readCsv() throws Exception {
    try (InputStream in = Icd10CuratedTest.class.getResourceAsStream("/vietfhir/terminology/vn-icd10.csv")) {
      CsvReader.Table t = CsvReader.read(in);
      assertThat(t.columns()).containsExactly("code", "display_vi", "display_en", "parent");
      for (CsvReader.Row r : t.rows()) {
        parents.put(r.get(0), r.get(3));
      }
    }
  }

  @Test
  void everyParentExistsAndFitsTheCode() {
    for (Map.Entry<String, String> e : parents.entrySet()) {
      String code = e.getKey();
      String parent = e.getValue().isEmpty() ? null : e.getValue();
      if (parent != null) {
        assertThat(parents).as("parent of " + code).containsKey(parent);
      }
      assertThat(Icd10Support.checkParent(code, parent)).as(code + " under " + parent).isNull();
    }
  }

  @Test
  void everyCodeReachesAChapter() {
    for (String code : parents.keySet()) {
      String cur = code;
      int steps = 0;
      while (!parents.get(cur).isEmpty()) {
        cur = parents.get(cur);
        assertThat(++steps).as("loop above " + code).isLessThan(10);
      }
      assertThat(Icd10Codes.kind(cur)).as("root of " + code).isEqualTo(Icd10Codes.Kind.CHAPTER);
    }
  }

  @Test
  void chaptersBlocksAndCodes() {
    Map<Icd10Codes.Kind, Integer> perKind = new HashMap<>();
    parents.keySet().forEach(c -> perKind.merge(Icd10Codes.kind(c), 1, Integer::sum));
    assertThat(perKind.get(Icd10Codes.Kind.CHAPTER)).isEqualTo(22);
    assertThat(perKind.get(Icd10Codes.Kind.BLOCK)).isGreaterThan(250);
    assertThat(perKind.get(Icd10Codes.Kind.CATEGORY) + perKind.get(Icd10Codes.Kind.SUBCATEGORY))
        .isGreaterThanOrEqualTo(150);
    assertThat(parents.keySet().stream().filter(c -> Icd10Codes.kind(c) == Icd10Codes.Kind.CHAPTER))
        .containsExactlyElementsOf(Icd10Codes.CHAPTERS);
    assertThat(parents.keySet()).contains("I10", "E11.9", "J44.9", "A15.0", "A90", "A91", "B18.1",
        "J18.9", "K29.7", "N39.0", "I63.9", "J06.9", "K21.9", "E78.5", "M54.5", "O80", "Z00.0",
        "I10-I15", "A00-A09", "U07.1");
  }

  @Test
  void blocksOfAChapterDoNotOverlapAndCoverTheirCodes() {
    List<String> topBlocks = parents.entrySet().stream()
        .filter(e -> Icd10Codes.kind(e.getKey()) == Icd10Codes.Kind.BLOCK)
        .filter(e -> Icd10Codes.kind(e.getValue()) == Icd10Codes.Kind.CHAPTER)
        .map(Map.Entry::getKey).sorted().toList();
    for (int i = 1; i < topBlocks.size(); i++) {
      assertThat(Icd10Codes.end(topBlocks.get(i - 1)).compareTo(Icd10Codes.start(topBlocks.get(i))))
          .as(topBlocks.get(i - 1) + " / " + topBlocks.get(i)).isLessThan(0);
    }
  }

  @Test
  void ministryDisplays() {
    assertThat(VnTerminology.display(VnCodeSystem.ICD10, "I10")).contains("Bệnh lý tăng huyết áp");
    assertThat(VnTerminology.display(VnCodeSystem.ICD10, "E11")).contains("Bệnh đái tháo đường không phụ thuộc insuline");
    assertThat(VnTerminology.display(VnCodeSystem.ICD10, "A90")).contains("Sốt Dengue [sốt xuất huyết Dengue cổ điển]");
    assertThat(VnTerminology.displayEn(VnCodeSystem.ICD10, "I10")).contains("Essential (primary) hypertension");
  }

  @Test
  void codeSystemIsNestedWithKindProperty() {
    CodeSystem cs = VnTerminology.codeSystem(VnCodeSystem.ICD10);
    assertThat(cs.getConcept()).extracting(ConceptDefinitionComponent::getCode)
        .containsExactlyElementsOf(Icd10Codes.CHAPTERS);
    assertThat(cs.getProperty()).extracting(p -> p.getCode()).containsExactly("kind");
    ConceptDefinitionComponent chapterIx = cs.getConcept().get(8);
    assertThat(chapterIx.getCode()).isEqualTo("IX");
    ConceptDefinitionComponent block = chapterIx.getConcept().stream()
        .filter(c -> c.getCode().equals("I10-I15")).findFirst().orElseThrow();
    assertThat(block.getConcept()).extracting(ConceptDefinitionComponent::getCode).contains("I10", "I11");
    assertThat(flatten(cs.getConcept())).allSatisfy(c -> assertThat(c.getProperty())
        .singleElement().satisfies(p -> {
          assertThat(p.getCode()).isEqualTo("kind");
          assertThat(((CodeType) p.getValue()).getValue()).isEqualTo(Icd10Codes.kind(c.getCode()).code());
        }));
    assertThat(VnTerminologyTest.concepts(cs)).hasSize(parents.size());
    assertThat(cs.hasCount()).isFalse();
  }

  @Test
  void codeShapes() {
    assertThat(Icd10Codes.normalise(" a00.0 ")).isEqualTo("A00.0");
    assertThat(Icd10Codes.normalise("J189")).isEqualTo("J18.9");
    assertThat(Icd10Codes.normalise("A17.0†")).isEqualTo("A17.0");
    assertThat(Icd10Codes.normalise("G01*")).isEqualTo("G01");
    assertThat(Icd10Codes.normalise("I10–I15")).isEqualTo("I10-I15");
    assertThat(Icd10Codes.kind("XXII")).isEqualTo(Icd10Codes.Kind.CHAPTER);
    assertThat(Icd10Codes.kind("A09-A00")).isNull();
    assertThat(Icd10Codes.kind("XYZ")).isNull();
    assertThat(Icd10Codes.chapterFrom("Chương IX")).isEqualTo("IX");
    assertThat(Icd10Codes.chapterFrom("9")).isEqualTo("IX");
    assertThat(Icd10Codes.chapterFrom("Chapter 22")).isEqualTo("XXII");
    assertThat(Icd10Codes.chapterFrom("A00-B99")).isNull();
  }
}
