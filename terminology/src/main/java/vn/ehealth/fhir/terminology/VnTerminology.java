package vn.ehealth.fhir.terminology;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.ConceptMap.ConceptMapGroupComponent;
import org.hl7.fhir.r4.model.ConceptMap.SourceElementComponent;
import org.hl7.fhir.r4.model.Enumerations.ConceptMapEquivalence;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * The VietFHIR Core terminology: canonical urls, and the code systems, value sets and concept map
 * built from the CSV files under {@code /vietfhir/terminology/} on the classpath.
 *
 * <p>Every call that returns a FHIR resource builds a new instance, so callers may change what
 * they get. The parsed CSV content is read once and cached.
 */
public final class VnTerminology {

  /** Canonical base of the guide; every conformance url is {@code <base>/<ResourceType>/<id>}. */
  public static final String CANONICAL_BASE = "https://vietfhir.org/fhir";
  /** Business version of every resource built here. */
  public static final String VERSION = "0.1.0";
  public static final String PUBLISHER = "VietFHIR";
  /** Classpath folder of the CSV sources. */
  public static final String RESOURCE_DIR = "/vietfhir/terminology/";

  public static final String CS_ETHNICITY = CANONICAL_BASE + "/CodeSystem/vn-ethnicity";
  public static final String CS_PROVINCE = CANONICAL_BASE + "/CodeSystem/vn-province";
  public static final String CS_PROVINCE_LEGACY = CANONICAL_BASE + "/CodeSystem/vn-province-legacy";
  public static final String CS_OCCUPATION = CANONICAL_BASE + "/CodeSystem/vn-occupation";
  public static final String CS_PRACTITIONER_TITLE = CANONICAL_BASE + "/CodeSystem/vn-practitioner-title";
  public static final String CS_BHYT_BENEFICIARY_GROUP = CANONICAL_BASE + "/CodeSystem/vn-bhyt-beneficiary-group";
  public static final String CS_ICD10 = CANONICAL_BASE + "/CodeSystem/vn-icd10";
  /** Loaded from a file only ({@link VnCommuneFileLoader}); not part of the shipped set. */
  public static final String CS_COMMUNE = CANONICAL_BASE + "/CodeSystem/vn-commune";

  public static final String VS_ETHNICITY = CANONICAL_BASE + "/ValueSet/vn-ethnicity";
  public static final String VS_PROVINCE = CANONICAL_BASE + "/ValueSet/vn-province";
  public static final String VS_PROVINCE_LEGACY = CANONICAL_BASE + "/ValueSet/vn-province-legacy";
  public static final String VS_OCCUPATION = CANONICAL_BASE + "/ValueSet/vn-occupation";
  public static final String VS_PRACTITIONER_TITLE = CANONICAL_BASE + "/ValueSet/vn-practitioner-title";
  public static final String VS_BHYT_BENEFICIARY_GROUP = CANONICAL_BASE + "/ValueSet/vn-bhyt-beneficiary-group";
  public static final String VS_ICD10 = CANONICAL_BASE + "/ValueSet/vn-icd10";
  public static final String VS_COMMUNE = CANONICAL_BASE + "/ValueSet/vn-commune";

  public static final String CM_PROVINCE_LEGACY_TO_2025_ID = "vn-province-legacy-to-2025";
  public static final String CM_PROVINCE_LEGACY_TO_2025 =
      CANONICAL_BASE + "/ConceptMap/" + CM_PROVINCE_LEGACY_TO_2025_ID;

  /** Concept property on {@code vn-icd10}: chapter, block, category or subcategory. */
  public static final String PROPERTY_ICD10_KIND = "kind";

  static final String PROVINCE_MAP_CSV = "vn-province-legacy-to-2025.csv";

  private VnTerminology() {}

  public static String codeSystemUrl(String id) {
    return CANONICAL_BASE + "/CodeSystem/" + id;
  }

  public static String valueSetUrl(String id) {
    return CANONICAL_BASE + "/ValueSet/" + id;
  }

  public static String conceptMapUrl(String id) {
    return CANONICAL_BASE + "/ConceptMap/" + id;
  }

  // ---------------------------------------------------------------- resources

  /** Every conformance resource: the code systems, their value sets, then the concept map. */
  public static List<MetadataResource> allResources() {
    List<MetadataResource> all = new ArrayList<>();
    all.addAll(codeSystems());
    all.addAll(valueSets());
    all.addAll(conceptMaps());
    return all;
  }

  /** The shipped code systems, in {@link VnCodeSystem} order. */
  public static List<CodeSystem> codeSystems() {
    List<CodeSystem> out = new ArrayList<>();
    for (VnCodeSystem cs : VnCodeSystem.values()) {
      out.add(codeSystem(cs));
    }
    return out;
  }

  /** One value set per shipped code system, same id, including all its codes. */
  public static List<ValueSet> valueSets() {
    List<ValueSet> out = new ArrayList<>();
    for (VnCodeSystem cs : VnCodeSystem.values()) {
      out.add(valueSet(cs));
    }
    return out;
  }

  public static List<ConceptMap> conceptMaps() {
    return List.of(provinceLegacyTo2025());
  }

  public static CodeSystem codeSystem(VnCodeSystem cs) {
    List<Resources.PropertyDef> props = cs == VnCodeSystem.ICD10
        ? List.of(Icd10Support.KIND_PROPERTY) : List.of();
    return Resources.codeSystem(Resources.Meta.of(cs), Data.get().nodes(cs).values(), props, null);
  }

  /** The shipped code system with this id ({@code vn-ethnicity} …). */
  public static CodeSystem codeSystem(String id) {
    return codeSystem(require(id));
  }

  public static ValueSet valueSet(VnCodeSystem cs) {
    return Resources.valueSetFor(codeSystem(cs));
  }

  /** The value set with this id ({@code vn-ethnicity} …). */
  public static ValueSet valueSet(String id) {
    return valueSet(require(id));
  }

  /**
   * A value set with the code system's id holding all its codes; use it for code systems built by
   * the file loaders ({@code vn-commune}, a fully loaded {@code vn-icd10}).
   */
  public static ValueSet valueSetFor(CodeSystem codeSystem) {
    return Resources.valueSetFor(codeSystem);
  }

  /**
   * ConceptMap {@code vn-province-legacy-to-2025}: each of the 63 legacy provinces to its province
   * from 1 July 2025. Equivalence is {@code equivalent} for a province left unchanged and
   * {@code wider} for one merged into a larger province.
   */
  public static ConceptMap provinceLegacyTo2025() {
    ConceptMap cm = new ConceptMap();
    Resources.stamp(cm, CM_PROVINCE_LEGACY_TO_2025_ID, CM_PROVINCE_LEGACY_TO_2025,
        "VNProvinceLegacyTo2025",
        "Ánh xạ 63 tỉnh cũ sang 34 tỉnh từ 01/7/2025 (Legacy 63 provinces to the provinces from 1 July 2025)",
        "Mỗi tỉnh, thành phố trước sáp nhập ứng với tỉnh, thành phố từ 01/7/2025 theo Nghị quyết"
            + " 202/2025/QH15; equivalent khi tỉnh giữ nguyên, wider khi tỉnh được hợp nhất vào tỉnh lớn"
            + " hơn. / Each province before the merger mapped to its province from 1 July 2025 under"
            + " Resolution 202/2025/QH15; equivalent when the province is unchanged, wider when it was"
            + " merged into a larger one.");
    cm.setSource(new CanonicalType(VS_PROVINCE_LEGACY));
    cm.setTarget(new CanonicalType(VS_PROVINCE));
    ConceptMapGroupComponent group = cm.addGroup()
        .setSource(CS_PROVINCE_LEGACY).setSourceVersion(VERSION)
        .setTarget(CS_PROVINCE).setTargetVersion(VERSION);
    for (ProvinceMapping m : Data.get().provinceMap) {
      SourceElementComponent e = group.addElement().setCode(m.legacyCode()).setDisplay(m.legacyDisplay());
      e.addTarget().setCode(m.targetCode()).setDisplay(m.targetDisplay()).setEquivalence(m.equivalence());
    }
    return cm;
  }

  // ---------------------------------------------------------------- lookups

  /** All codes of a shipped code system (nested ones included), in file order. */
  public static Set<String> codes(VnCodeSystem cs) {
    return Collections.unmodifiableSet(Data.get().nodes(cs).keySet());
  }

  /** All codes of the shipped code system with this id. */
  public static Set<String> codes(String codeSystemId) {
    return codes(require(codeSystemId));
  }

  /** The Vietnamese display of a code, if the shipped code system has it. */
  public static Optional<String> display(VnCodeSystem cs, String code) {
    ConceptNode n = Data.get().nodes(cs).get(code);
    return n == null ? Optional.empty() : Optional.of(n.display);
  }

  /** The English designation of a code, if the shipped code system has it. */
  public static Optional<String> displayEn(VnCodeSystem cs, String code) {
    ConceptNode n = Data.get().nodes(cs).get(code);
    return n == null ? Optional.empty() : Optional.ofNullable(n.displayEn);
  }

  /** The 2025 province code for a legacy (63-list) province code, e.g. {@code 30} → {@code 31}. */
  public static Optional<String> provinceFromLegacy(String legacyCode) {
    return Data.get().provinceMap.stream().filter(m -> m.legacyCode().equals(legacyCode))
        .map(ProvinceMapping::targetCode).findFirst();
  }

  private static VnCodeSystem require(String id) {
    VnCodeSystem cs = VnCodeSystem.byId(id);
    if (cs == null) {
      throw new IllegalArgumentException("not a shipped VietFHIR code system: " + id);
    }
    return cs;
  }

  // ---------------------------------------------------------------- data

  record ProvinceMapping(String legacyCode, String legacyDisplay, String targetCode,
      String targetDisplay, ConceptMapEquivalence equivalence) {}

  /** The CSV content, parsed and checked once. */
  static final class Data {
    private static volatile Data instance;

    private final Map<VnCodeSystem, Map<String, ConceptNode>> nodes = new EnumMap<>(VnCodeSystem.class);
    final List<ProvinceMapping> provinceMap;

    static Data get() {
      Data d = instance;
      if (d == null) {
        synchronized (Data.class) {
          d = instance;
          if (d == null) {
            d = new Data();
            instance = d;
          }
        }
      }
      return d;
    }

    private Data() {
      for (VnCodeSystem cs : VnCodeSystem.values()) {
        Map<String, ConceptNode> read = readConcepts(cs);
        if (cs == VnCodeSystem.ICD10) {
          Icd10Support.checkCurated(read);
          read.values().forEach(n -> n.properties.put(PROPERTY_ICD10_KIND, Icd10Codes.kind(n.code).code()));
        }
        nodes.put(cs, Collections.unmodifiableMap(read));
      }
      provinceMap = List.copyOf(readProvinceMap());
    }

    /** Read-only view; callers that change nodes must copy them. */
    Map<String, ConceptNode> nodes(VnCodeSystem cs) {
      return nodes.get(cs);
    }

    private static CsvReader.Table table(String file) {
      try (InputStream in = VnTerminology.class.getResourceAsStream(RESOURCE_DIR + file)) {
        if (in == null) {
          throw new IllegalStateException("missing classpath resource " + RESOURCE_DIR + file);
        }
        return CsvReader.read(in, ',');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static Map<String, ConceptNode> readConcepts(VnCodeSystem cs) {
      String file = cs.csvResource().substring(RESOURCE_DIR.length());
      CsvReader.Table t = table(file);
      Columns cols = new Columns(t.columns());
      int code = cols.find("code");
      int vi = cols.find("display_vi");
      int en = cols.find("display_en");
      int parent = cols.find("parent");
      List<LoadIssue> problems = new ArrayList<>();
      if (code < 0 || vi < 0 || en < 0) {
        problems.add(new LoadIssue(t.header().line(), "header must have code, display_vi, display_en"));
        throw new TerminologyLoadException(file, problems);
      }
      Map<String, ConceptNode> out = new LinkedHashMap<>();
      for (CsvReader.Row r : t.rows()) {
        if (r.isMalformed()) {
          problems.add(new LoadIssue(r.line(), r.problem()));
          continue;
        }
        if (r.isBlank()) {
          continue;
        }
        if (r.size() != t.header().size()) {
          problems.add(new LoadIssue(r.line(), r.size() + " fields, header has " + t.header().size()));
          continue;
        }
        String c = r.get(code).trim();
        String d = r.get(vi).trim();
        String e = r.get(en).trim();
        String p = parent < 0 ? "" : r.get(parent).trim();
        if (c.isEmpty() || d.isEmpty() || e.isEmpty()) {
          problems.add(new LoadIssue(r.line(), "code, display_vi and display_en are required"));
        } else if (out.containsKey(c)) {
          problems.add(new LoadIssue(r.line(), "duplicate code " + c));
        } else {
          out.put(c, new ConceptNode(c, d, e, p.isEmpty() ? null : p, r.line()));
        }
      }
      for (ConceptNode n : out.values()) {
        if (n.parent != null && !out.containsKey(n.parent)) {
          problems.add(new LoadIssue(n.line, "parent " + n.parent + " of " + n.code + " is not in the file"));
        }
      }
      if (!problems.isEmpty()) {
        throw new TerminologyLoadException(file, problems);
      }
      return out;
    }

    private List<ProvinceMapping> readProvinceMap() {
      CsvReader.Table t = table(PROVINCE_MAP_CSV);
      Columns cols = new Columns(t.columns());
      int lc = cols.find("legacy_code");
      int ld = cols.find("legacy_display");
      int tc = cols.find("target_code");
      int td = cols.find("target_display");
      int eq = cols.find("equivalence");
      Map<String, ConceptNode> legacy = nodes.get(VnCodeSystem.PROVINCE_LEGACY);
      Map<String, ConceptNode> current = nodes.get(VnCodeSystem.PROVINCE);
      List<LoadIssue> problems = new ArrayList<>();
      if (lc < 0 || ld < 0 || tc < 0 || td < 0 || eq < 0) {
        problems.add(new LoadIssue(t.header().line(),
            "header must have legacy_code, legacy_display, target_code, target_display, equivalence"));
        throw new TerminologyLoadException(PROVINCE_MAP_CSV, problems);
      }
      List<ProvinceMapping> out = new ArrayList<>();
      Set<String> seen = new LinkedHashSet<>();
      for (CsvReader.Row r : t.rows()) {
        if (r.isBlank()) {
          continue;
        }
        String l = r.get(lc).trim();
        String c = r.get(tc).trim();
        ConceptNode from = legacy.get(l);
        ConceptNode to = current.get(c);
        if (from == null || !from.display.equals(r.get(ld).trim())) {
          problems.add(new LoadIssue(r.line(), "legacy province " + l + " " + r.get(ld) + " is not in vn-province-legacy"));
          continue;
        }
        if (to == null || !to.display.equals(r.get(td).trim())) {
          problems.add(new LoadIssue(r.line(), "province " + c + " " + r.get(td) + " is not in vn-province"));
          continue;
        }
        if (!seen.add(l)) {
          problems.add(new LoadIssue(r.line(), "legacy province " + l + " is mapped twice"));
          continue;
        }
        ConceptMapEquivalence equivalence;
        try {
          equivalence = ConceptMapEquivalence.fromCode(r.get(eq).trim());
        } catch (Exception ex) {
          problems.add(new LoadIssue(r.line(), "unknown equivalence " + r.get(eq)));
          continue;
        }
        out.add(new ProvinceMapping(l, from.display, c, to.display, equivalence));
      }
      if (!seen.containsAll(legacy.keySet())) {
        problems.add(new LoadIssue(0, "legacy provinces not mapped: "
            + legacy.keySet().stream().filter(k -> !seen.contains(k)).toList()));
      }
      if (!problems.isEmpty()) {
        throw new TerminologyLoadException(PROVINCE_MAP_CSV, problems);
      }
      return out;
    }
  }
}
