package vn.ehealth.fhir.terminology;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.CodeSystemContentMode;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.ConceptMap.SourceElementComponent;
import org.hl7.fhir.r4.model.Enumerations.ConceptMapEquivalence;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VnTerminologyTest {

  /** CCCD digits 1–3, Circular 07/2016 Appendix I, as listed in shared/docs/vn-domain.md. */
  private static final String CCCD_PROVINCE_CODES =
      "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 "
          + "033 034 035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 "
          + "064 066 067 068 070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 "
          + "094 095 096";

  static Stream<ConceptDefinitionComponent> flatten(List<ConceptDefinitionComponent> concepts) {
    return concepts.stream().flatMap(c -> Stream.concat(Stream.of(c), flatten(c.getConcept())));
  }

  static Map<String, ConceptDefinitionComponent> concepts(CodeSystem cs) {
    return flatten(cs.getConcept()).collect(Collectors.toMap(ConceptDefinitionComponent::getCode,
        Function.identity()));
  }

  @Test
  void counts() {
    assertThat(concepts(VnTerminology.codeSystem("vn-ethnicity"))).hasSize(56);
    assertThat(concepts(VnTerminology.codeSystem("vn-province"))).hasSize(34);
    assertThat(concepts(VnTerminology.codeSystem("vn-province-legacy"))).hasSize(63);
    assertThat(concepts(VnTerminology.codeSystem("vn-practitioner-title"))).hasSize(10);
    assertThat(concepts(VnTerminology.codeSystem("vn-bhyt-beneficiary-group"))).hasSizeGreaterThanOrEqualTo(40);
    assertThat(VnTerminology.provinceLegacyTo2025().getGroupFirstRep().getElement()).hasSize(63);
    for (CodeSystem cs : VnTerminology.codeSystems()) {
      if (cs.getContent() == CodeSystemContentMode.COMPLETE) {
        assertThat(cs.getCount()).as(cs.getId()).isEqualTo(concepts(cs).size());
      } else {
        assertThat(cs.hasCount()).as(cs.getId()).isFalse();
      }
    }
  }

  @Test
  void ethnicityCodesAre01To54Plus55And99() {
    Set<String> expected = new HashSet<>();
    for (int i = 1; i <= 55; i++) {
      expected.add(String.format("%02d", i));
    }
    expected.add("99");
    assertThat(VnTerminology.codes(VnCodeSystem.ETHNICITY)).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(VnTerminology.display(VnCodeSystem.ETHNICITY, "55")).contains("Người nước ngoài");
    assertThat(VnTerminology.displayEn(VnCodeSystem.ETHNICITY, "99")).contains("Unknown");
  }

  @Test
  void legacyProvincesAreExactlyTheCccdProvinceCodes() {
    Set<String> fromCccd = Arrays.stream(CCCD_PROVINCE_CODES.split(" "))
        .map(c -> c.substring(1)).collect(Collectors.toSet());
    assertThat(fromCccd).hasSize(63);
    assertThat(VnTerminology.codes(VnCodeSystem.PROVINCE_LEGACY)).containsExactlyInAnyOrderElementsOf(fromCccd);
  }

  @Test
  void provinces2025MatchTheDomainList() {
    assertThat(VnTerminology.codes(VnCodeSystem.PROVINCE)).containsExactly("01", "04", "08", "11",
        "12", "14", "15", "19", "20", "22", "24", "25", "31", "33", "37", "38", "40", "42", "44",
        "46", "48", "51", "52", "56", "66", "68", "75", "79", "80", "82", "86", "91", "92", "96");
    assertThat(VnTerminology.display(VnCodeSystem.PROVINCE, "46")).contains("Huế");
    assertThat(VnTerminology.display(VnCodeSystem.PROVINCE, "66")).contains("Đắk Lắk");
  }

  @Test
  void practitionerTitlesAreTheContractCodes() {
    CodeSystem cs = VnTerminology.codeSystem(VnCodeSystem.PRACTITIONER_TITLE);
    Map<String, String> expected = new java.util.LinkedHashMap<>();
    expected.put("bac-sy", "Bác sỹ");
    expected.put("y-sy", "Y sỹ");
    expected.put("dieu-duong", "Điều dưỡng");
    expected.put("ho-sinh", "Hộ sinh");
    expected.put("ky-thuat-y", "Kỹ thuật y");
    expected.put("dinh-duong-lam-sang", "Dinh dưỡng lâm sàng");
    expected.put("cap-cuu-vien-ngoai-vien", "Cấp cứu viên ngoại viện");
    expected.put("tam-ly-lam-sang", "Tâm lý lâm sàng");
    expected.put("luong-y", "Lương y");
    expected.put("gia-truyen", "Người có bài thuốc gia truyền hoặc có phương pháp chữa bệnh gia truyền");
    assertThat(cs.getConcept()).extracting(ConceptDefinitionComponent::getCode)
        .containsExactlyElementsOf(expected.keySet());
    for (ConceptDefinitionComponent c : cs.getConcept()) {
      assertThat(c.getDisplay()).isEqualTo(expected.get(c.getCode()));
    }
  }

  @Test
  void bhytGroupsIncludeTheDocumentedOnes() {
    assertThat(VnTerminology.codes(VnCodeSystem.BHYT_BENEFICIARY_GROUP)).contains("DN", "HX", "CH",
        "NN", "TK", "HC", "XK", "HT", "TB", "TE", "CC", "CK", "QN", "CA", "CY", "MS", "XB", "XN",
        "CB", "KC", "HD", "TQ", "TA", "TY", "HG", "LS", "PV", "CN", "HN", "DT", "DK", "XD", "TS",
        "TC", "GD", "SV", "HS", "NO", "BT", "GB");
    assertThat(VnTerminology.codes(VnCodeSystem.BHYT_BENEFICIARY_GROUP)).allMatch(c -> c.matches("[A-Z]{2}"));
  }

  @Test
  void occupationHasNoneAndTheTenMajorGroups() {
    assertThat(VnTerminology.codes(VnCodeSystem.OCCUPATION))
        .contains("00000", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "22", "32");
    CodeSystem cs = VnTerminology.codeSystem(VnCodeSystem.OCCUPATION);
    assertThat(cs.getContent()).isEqualTo(CodeSystemContentMode.FRAGMENT);
    assertThat(concepts(cs).get("00000").getDisplay()).isEqualTo("Không nghề nghiệp");
    // level-2 groups nest under their major group
    assertThat(concepts(cs).get("2").getConcept()).extracting(ConceptDefinitionComponent::getCode)
        .contains("22");
  }

  @Test
  void diacriticsAreIntact() {
    assertThat(VnTerminology.display(VnCodeSystem.PROVINCE, "01")).contains("Hà Nội");
    assertThat(VnTerminology.display(VnCodeSystem.ETHNICITY, "05")).contains("Khơ-me");
    assertThat(VnTerminology.display(VnCodeSystem.ETHNICITY, "12")).contains("Ê-đê");
    assertThat(VnTerminology.display(VnCodeSystem.ETHNICITY, "08")).contains("HMông");
    assertThat(VnTerminology.display(VnCodeSystem.ETHNICITY, "53")).contains("Ơ Đu");
    assertThat(VnTerminology.display(VnCodeSystem.PROVINCE_LEGACY, "46")).contains("Thừa Thiên Huế");
    assertThat(VnTerminology.display(VnCodeSystem.PROVINCE_LEGACY, "77")).contains("Bà Rịa - Vũng Tàu");
    assertThat(VnTerminology.display(VnCodeSystem.ICD10, "A90"))
        .contains("Sốt Dengue [sốt xuất huyết Dengue cổ điển]");
    // every display is NFC (precomposed, as typed on Vietnamese keyboards) and has no mojibake
    for (CodeSystem cs : VnTerminology.codeSystems()) {
      flatten(cs.getConcept()).forEach(c -> {
        assertThat(Normalizer.isNormalized(c.getDisplay(), Normalizer.Form.NFC)).as(c.getCode()).isTrue();
        assertThat(c.getDisplay()).as(cs.getId() + " " + c.getCode())
            .doesNotContain("\uFFFD").doesNotContain("Ã").doesNotContain("?");
      });
    }
  }

  @ParameterizedTest
  @EnumSource(VnCodeSystem.class)
  void everyConceptHasAnEnglishDesignation(VnCodeSystem id) {
    CodeSystem cs = VnTerminology.codeSystem(id);
    flatten(cs.getConcept()).forEach(c -> {
      assertThat(c.getDesignation()).as(id.id() + " " + c.getCode())
          .anySatisfy(d -> {
            assertThat(d.getLanguage()).isEqualTo("en");
            assertThat(d.getValue()).isNotBlank();
          });
    });
  }

  @ParameterizedTest
  @EnumSource(VnCodeSystem.class)
  void codeSystemMetadata(VnCodeSystem id) {
    CodeSystem cs = VnTerminology.codeSystem(id);
    assertThat(cs.getIdElement().getIdPart()).isEqualTo(id.id());
    assertThat(cs.getUrl()).isEqualTo("https://vietfhir.org/fhir/CodeSystem/" + id.id());
    assertThat(cs.getVersion()).isEqualTo("0.1.0");
    assertThat(cs.getName()).matches("[A-Z][A-Za-z0-9_]*").isEqualTo(id.resourceName());
    assertThat(cs.getTitle()).contains(id.titleVi()).contains(id.titleEn());
    assertThat(cs.getStatus()).isEqualTo(PublicationStatus.ACTIVE);
    assertThat(cs.getCaseSensitive()).isTrue();
    assertThat(cs.getLanguage()).isEqualTo("vi");
    assertThat(cs.getValueSet()).isEqualTo("https://vietfhir.org/fhir/ValueSet/" + id.id());
    assertThat(cs.getContent()).isEqualTo(id == VnCodeSystem.ICD10 || id == VnCodeSystem.OCCUPATION
        ? CodeSystemContentMode.FRAGMENT : CodeSystemContentMode.COMPLETE);

    ValueSet vs = VnTerminology.valueSet(id);
    assertThat(vs.getIdElement().getIdPart()).isEqualTo(id.id());
    assertThat(vs.getUrl()).isEqualTo("https://vietfhir.org/fhir/ValueSet/" + id.id());
    assertThat(vs.getVersion()).isEqualTo("0.1.0");
    assertThat(vs.getStatus()).isEqualTo(PublicationStatus.ACTIVE);
    assertThat(vs.getCompose().getInclude()).singleElement().satisfies(inc -> {
      assertThat(inc.getSystem()).isEqualTo(cs.getUrl());
      assertThat(inc.getConcept()).isEmpty();
      assertThat(inc.getFilter()).isEmpty();
    });
  }

  @Test
  void urlConstantsMatchTheContract() {
    assertThat(VnTerminology.CANONICAL_BASE).isEqualTo("https://vietfhir.org/fhir");
    assertThat(VnTerminology.CS_ETHNICITY).isEqualTo(VnCodeSystem.ETHNICITY.url());
    assertThat(VnTerminology.CS_PROVINCE).isEqualTo(VnCodeSystem.PROVINCE.url());
    assertThat(VnTerminology.CS_PROVINCE_LEGACY).isEqualTo(VnCodeSystem.PROVINCE_LEGACY.url());
    assertThat(VnTerminology.CS_OCCUPATION).isEqualTo(VnCodeSystem.OCCUPATION.url());
    assertThat(VnTerminology.CS_PRACTITIONER_TITLE).isEqualTo(VnCodeSystem.PRACTITIONER_TITLE.url());
    assertThat(VnTerminology.CS_BHYT_BENEFICIARY_GROUP).isEqualTo(VnCodeSystem.BHYT_BENEFICIARY_GROUP.url());
    assertThat(VnTerminology.CS_ICD10).isEqualTo(VnCodeSystem.ICD10.url());
    assertThat(VnTerminology.VS_ETHNICITY).isEqualTo(VnCodeSystem.ETHNICITY.valueSetUrl());
    assertThat(VnTerminology.VS_PROVINCE).isEqualTo(VnCodeSystem.PROVINCE.valueSetUrl());
    assertThat(VnTerminology.VS_PROVINCE_LEGACY).isEqualTo(VnCodeSystem.PROVINCE_LEGACY.valueSetUrl());
    assertThat(VnTerminology.VS_OCCUPATION).isEqualTo(VnCodeSystem.OCCUPATION.valueSetUrl());
    assertThat(VnTerminology.VS_PRACTITIONER_TITLE).isEqualTo(VnCodeSystem.PRACTITIONER_TITLE.valueSetUrl());
    assertThat(VnTerminology.VS_BHYT_BENEFICIARY_GROUP).isEqualTo(VnCodeSystem.BHYT_BENEFICIARY_GROUP.valueSetUrl());
    assertThat(VnTerminology.VS_ICD10).isEqualTo(VnCodeSystem.ICD10.valueSetUrl());
    assertThat(VnCodeSystem.values()).extracting(VnCodeSystem::id).containsExactly("vn-ethnicity",
        "vn-province", "vn-province-legacy", "vn-occupation", "vn-practitioner-title",
        "vn-bhyt-beneficiary-group", "vn-icd10");
    for (MetadataResource r : VnTerminology.allResources()) {
      assertThat(r.getUrl()).isEqualTo("https://vietfhir.org/fhir/" + r.fhirType() + "/"
          + r.getIdElement().getIdPart());
    }
    assertThat(VnTerminology.allResources()).hasSize(7 + 7 + 1);
  }

  @Test
  void conceptMapMapsEveryLegacyProvinceOnceAndReachesEvery2025Province() {
    ConceptMap cm = VnTerminology.provinceLegacyTo2025();
    assertThat(cm.getIdElement().getIdPart()).isEqualTo("vn-province-legacy-to-2025");
    assertThat(cm.getUrl()).isEqualTo("https://vietfhir.org/fhir/ConceptMap/vn-province-legacy-to-2025");
    assertThat(cm.getSourceCanonicalType().getValue()).isEqualTo(VnTerminology.VS_PROVINCE_LEGACY);
    assertThat(cm.getTargetCanonicalType().getValue()).isEqualTo(VnTerminology.VS_PROVINCE);
    assertThat(cm.getGroup()).singleElement().satisfies(g -> {
      assertThat(g.getSource()).isEqualTo(VnTerminology.CS_PROVINCE_LEGACY);
      assertThat(g.getTarget()).isEqualTo(VnTerminology.CS_PROVINCE);
    });
    List<SourceElementComponent> elements = cm.getGroupFirstRep().getElement();
    assertThat(elements).extracting(SourceElementComponent::getCode)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(VnTerminology.codes(VnCodeSystem.PROVINCE_LEGACY));
    assertThat(elements).allSatisfy(e -> assertThat(e.getTarget()).hasSize(1));
    Map<String, Long> perTarget = elements.stream().collect(Collectors.groupingBy(
        e -> e.getTargetFirstRep().getCode(), Collectors.counting()));
    assertThat(perTarget.keySet()).containsExactlyInAnyOrderElementsOf(VnTerminology.codes(VnCodeSystem.PROVINCE));
    // equivalent exactly when the 2025 province is that one legacy province alone
    for (SourceElementComponent e : elements) {
      String target = e.getTargetFirstRep().getCode();
      ConceptMapEquivalence expected = perTarget.get(target) == 1
          ? ConceptMapEquivalence.EQUIVALENT : ConceptMapEquivalence.WIDER;
      assertThat(e.getTargetFirstRep().getEquivalence()).as(e.getCode()).isEqualTo(expected);
      assertThat(e.getDisplay()).isEqualTo(VnTerminology.display(VnCodeSystem.PROVINCE_LEGACY, e.getCode()).orElseThrow());
      assertThat(e.getTargetFirstRep().getDisplay()).isEqualTo(VnTerminology.display(VnCodeSystem.PROVINCE, target).orElseThrow());
    }
    assertThat(perTarget.values().stream().filter(n -> n == 1)).hasSize(11);
  }

  @Test
  void resolution202Merges() {
    Map<String, String> expected = Map.ofEntries(
        Map.entry("02", "08"), Map.entry("06", "19"), Map.entry("15", "15"), Map.entry("10", "15"),
        Map.entry("17", "25"), Map.entry("26", "25"), Map.entry("24", "24"), Map.entry("27", "24"),
        Map.entry("30", "31"), Map.entry("34", "33"), Map.entry("35", "37"), Map.entry("36", "37"),
        Map.entry("44", "44"), Map.entry("45", "44"), Map.entry("46", "46"), Map.entry("49", "48"),
        Map.entry("62", "51"), Map.entry("52", "52"), Map.entry("64", "52"), Map.entry("54", "66"),
        Map.entry("58", "56"), Map.entry("60", "68"), Map.entry("67", "68"), Map.entry("70", "75"),
        Map.entry("74", "79"), Map.entry("77", "79"), Map.entry("80", "80"), Map.entry("72", "80"),
        Map.entry("82", "82"), Map.entry("87", "82"), Map.entry("83", "86"), Map.entry("84", "86"),
        Map.entry("89", "91"), Map.entry("91", "91"), Map.entry("94", "92"), Map.entry("93", "92"),
        Map.entry("95", "96"), Map.entry("01", "01"), Map.entry("22", "22"), Map.entry("31", "31"));
    expected.forEach((legacy, target) ->
        assertThat(VnTerminology.provinceFromLegacy(legacy)).as(legacy).contains(target));
    assertThat(VnTerminology.provinceFromLegacy("03")).isEmpty();
  }

  @Test
  void resourcesAreFreshCopies() {
    CodeSystem a = VnTerminology.codeSystem(VnCodeSystem.ETHNICITY);
    a.getConceptFirstRep().setDisplay("changed");
    assertThat(VnTerminology.codeSystem(VnCodeSystem.ETHNICITY).getConceptFirstRep().getDisplay()).isEqualTo("Kinh");
  }
}
