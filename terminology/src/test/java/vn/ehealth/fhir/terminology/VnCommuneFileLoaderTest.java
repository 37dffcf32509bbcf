package vn.ehealth.fhir.terminology;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.CodeSystemContentMode;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Test;

class VnCommuneFileLoaderTest {

  static LoadResult load(String resource) throws Exception {
    try (InputStream in = VnCommuneFileLoaderTest.class.getResourceAsStream("/samples/" + resource)) {
      return new VnCommuneFileLoader().load(in, resource);
    }
  }

  @Test
  void loadsSample() throws Exception {
    LoadResult result = load("communes-sample.csv");
    assertThat(result.errors()).isEmpty();
    CodeSystem cs = result.orThrow();
    assertThat(cs.getIdElement().getIdPart()).isEqualTo("vn-commune");
    assertThat(cs.getUrl()).isEqualTo(VnTerminology.CS_COMMUNE);
    assertThat(cs.getContent()).isEqualTo(CodeSystemContentMode.COMPLETE);
    assertThat(cs.getCount()).isEqualTo(5);
    Map<String, ConceptDefinitionComponent> concepts = VnTerminologyTest.concepts(cs);
    assertThat(concepts.get("00004").getDisplay()).isEqualTo("Phường Ba Đình");
    assertThat(((CodeType) concepts.get("26734").getPropertyFirstRep().getValue()).getValue()).isEqualTo("79");
    assertThat(concepts.get("10507").getDesignation()).isEmpty();
    assertThat(result.warnings()).singleElement().satisfies(w -> {
      assertThat(w.line()).isZero();
      assertThat(w.message()).contains("3321");
    });
    ValueSet vs = VnCommuneFileLoader.valueSet(cs);
    assertThat(vs.getUrl()).isEqualTo(VnTerminology.VS_COMMUNE);
    assertThat(vs.getCompose().getIncludeFirstRep().getSystem()).isEqualTo(VnTerminology.CS_COMMUNE);
  }

  @Test
  void reportsBadLines() throws Exception {
    LoadResult result = load("communes-malformed.csv");
    assertThat(result.errors()).extracting(LoadIssue::line).containsExactly(3, 4, 6);
    assertThat(result.errors().get(0).message()).contains("123456").contains("5 digits");
    assertThat(result.errors().get(1).message()).contains("'30'").contains("34 provinces");
    assertThat(result.errors().get(2).message()).contains("00004").contains("line 2");
    // 70 / 1 lost their leading zeros: padded, with warnings on line 5
    Map<String, ConceptDefinitionComponent> concepts = VnTerminologyTest.concepts(result.codeSystem());
    assertThat(concepts).containsOnlyKeys("00004", "00070");
    assertThat(((CodeType) concepts.get("00070").getPropertyFirstRep().getValue()).getValue()).isEqualTo("01");
    assertThat(result.warnings()).filteredOn(w -> w.line() == 5).hasSize(2);
  }
}
