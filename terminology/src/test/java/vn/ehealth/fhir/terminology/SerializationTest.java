package vn.ehealth.fhir.terminology;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.MetadataResource;
import org.junit.jupiter.api.Test;

class SerializationTest {

  static final FhirContext CTX = FhirContext.forR4Cached();

  static List<MetadataResource> everything() throws Exception {
    List<MetadataResource> all = new ArrayList<>(VnTerminology.allResources());
    try (InputStream in = SerializationTest.class.getResourceAsStream("/samples/icd10-byt-semicolon.csv")) {
      all.add(new Icd10FileLoader().load(in, "icd10-byt-semicolon.csv").orThrow());
    }
    try (InputStream in = SerializationTest.class.getResourceAsStream("/samples/communes-sample.csv")) {
      var communes = new VnCommuneFileLoader().load(in, "communes-sample.csv").orThrow();
      all.add(communes);
      all.add(VnCommuneFileLoader.valueSet(communes));
    }
    return all;
  }

  @Test
  void everyResourceRoundTripsThroughJson() throws Exception {
    IParser parser = CTX.newJsonParser().setPrettyPrint(true).setParserErrorHandler(new StrictErrorHandler());
    for (MetadataResource r : everything()) {
      String json = parser.encodeResourceToString(r);
      assertThat(json).contains("\"resourceType\": \"" + r.fhirType() + "\"")
          .contains("\"url\": \"" + r.getUrl() + "\"");
      MetadataResource back = (MetadataResource) parser.parseResource(r.getClass(), json);
      assertThat(back.equalsDeep(r)).as(r.getUrl()).isTrue();
      assertThat(parser.encodeResourceToString(back)).isEqualTo(json);
    }
  }

  @Test
  void jsonKeepsVietnameseCharacters() {
    String json = CTX.newJsonParser().encodeResourceToString(VnTerminology.codeSystem(VnCodeSystem.ETHNICITY));
    assertThat(json).contains("\"display\":\"Khơ-me\"").contains("\"display\":\"Ê-đê\"");
    String xml = CTX.newXmlParser().encodeResourceToString(VnTerminology.codeSystem(VnCodeSystem.PROVINCE));
    assertThat(xml).contains("Hà Nội");
  }
}
