package vn.ehealth.fhir.terminology;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** ICD-10 hierarchy rules shared by the shipped set and {@link Icd10FileLoader}. */
final class Icd10Support {

  static final Resources.PropertyDef KIND_PROPERTY = new Resources.PropertyDef(
      VnTerminology.PROPERTY_ICD10_KIND,
      "Level in ICD-10: chapter, block, category (3 characters) or subcategory (with a dot)");

  private Icd10Support() {}

  /**
   * Checks that the shipped hierarchy is sound: chapters are roots; a block sits under a chapter
   * or a block holding its range; a category under a block holding it; a subcategory under its
   * category (or a shorter subcategory). Fails with every problem found.
   */
  static void checkCurated(Map<String, ConceptNode> nodes) {
    List<LoadIssue> problems = new ArrayList<>();
    for (ConceptNode n : nodes.values()) {
      String why = checkParent(n.code, n.parent);
      if (why != null) {
        problems.add(new LoadIssue(n.line, n.code + ": " + why));
      }
    }
    if (!problems.isEmpty()) {
      throw new TerminologyLoadException("vn-icd10.csv", problems);
    }
  }

  /** Null when {@code parent} is a valid place for {@code code}, otherwise the reason. */
  static String checkParent(String code, String parent) {
    Icd10Codes.Kind kind = Icd10Codes.kind(code);
    if (kind == null) {
      return "not an ICD-10 chapter, block or code";
    }
    Icd10Codes.Kind pk = parent == null ? null : Icd10Codes.kind(parent);
    switch (kind) {
      case CHAPTER:
        return parent == null ? null : "a chapter has no parent";
      case BLOCK:
        if (pk == Icd10Codes.Kind.CHAPTER || pk == Icd10Codes.Kind.BLOCK && Icd10Codes.blockContainsBlock(parent, code)) {
          return null;
        }
        return "a block belongs under a chapter or a larger block holding its range";
      case CATEGORY:
        if (pk == Icd10Codes.Kind.BLOCK && Icd10Codes.blockContains(parent, code)) {
          return null;
        }
        return "a category belongs under a block whose range holds it";
      default:
        if (parent != null && code.startsWith(parent) && parent.length() < code.length()
            && (pk == Icd10Codes.Kind.CATEGORY || pk == Icd10Codes.Kind.SUBCATEGORY)) {
          return null;
        }
        return "a subcategory belongs under its category";
    }
  }

  /** Chapter numeral → first and last category, derived from the blocks under each chapter. */
  static Map<String, String[]> chapterRanges(Map<String, ConceptNode> nodes) {
    Map<String, String[]> ranges = new LinkedHashMap<>();
    for (ConceptNode n : nodes.values()) {
      if (Icd10Codes.kind(n.code) != Icd10Codes.Kind.BLOCK) {
        continue;
      }
      String chapter = chapterOf(n, nodes);
      if (chapter == null) {
        continue;
      }
      String[] r = ranges.computeIfAbsent(chapter, k -> new String[] {Icd10Codes.start(n.code), Icd10Codes.end(n.code)});
      if (Icd10Codes.start(n.code).compareTo(r[0]) < 0) {
        r[0] = Icd10Codes.start(n.code);
      }
      if (Icd10Codes.end(n.code).compareTo(r[1]) > 0) {
        r[1] = Icd10Codes.end(n.code);
      }
    }
    return ranges;
  }

  private static String chapterOf(ConceptNode n, Map<String, ConceptNode> nodes) {
    ConceptNode cur = n;
    for (int guard = 0; cur != null && guard < 20; guard++) {
      if (Icd10Codes.kind(cur.code) == Icd10Codes.Kind.CHAPTER) {
        return cur.code;
      }
      cur = cur.parent == null ? null : nodes.get(cur.parent);
    }
    return null;
  }
}
