package vn.ehealth.fhir.terminology;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.CodeSystemContentMode;

/**
 * Loads the Ministry of Health ICD-10 list (Decision 4469/QĐ-BYT and its updates) exported to CSV,
 * and returns a complete {@code vn-icd10} CodeSystem.
 *
 * <h2>File format</h2>
 * UTF-8 (with or without BOM), delimiter {@code ;}, {@code ,} or tab (detected from the header),
 * one header row. Column names are matched ignoring case, diacritics, spaces and punctuation, so
 * {@code MA_BENH}, {@code Mã bệnh} and {@code ma benh} are the same column. Accepted names:
 * <table>
 *   <caption>columns</caption>
 *   <tr><th>column</th><th>required</th><th>accepted header names</th></tr>
 *   <tr><td>code</td><td>yes</td><td>MA_BENH, MA_ICD, MA_ICD10, ICD10, ICD_CODE, MA, CODE</td></tr>
 *   <tr><td>Vietnamese name</td><td>yes</td><td>TEN_BENH, TEN_TIENG_VIET, TEN_BENH_TIENG_VIET, TEN_ICD, TEN,
 *       DISPLAY_VI, DISPLAY</td></tr>
 *   <tr><td>English name</td><td>no</td><td>TEN_TIENG_ANH, TEN_BENH_TIENG_ANH, TEN_TA, DISPLAY_EN, ENGLISH,
 *       ENGLISH_NAME, NAME_EN, DISEASE_NAME</td></tr>
 *   <tr><td>parent code</td><td>no</td><td>PARENT, MA_CHA, PARENT_CODE</td></tr>
 *   <tr><td>category (3 characters)</td><td>no</td><td>MA_LOAI, CATEGORY</td></tr>
 *   <tr><td>block</td><td>no</td><td>MA_NHOM_CHINH, MA_NHOM, NHOM, BLOCK</td></tr>
 *   <tr><td>chapter</td><td>no</td><td>MA_CHUONG, CHUONG, CHAPTER (I–XXII, 1–22, "Chương IX")</td></tr>
 * </table>
 * Codes are normalised with {@link Icd10Codes#normalise}: {@code a00.0}, {@code A000} and
 * {@code A00.0†} all become {@code A00.0}. Rows may also carry chapters ({@code IX}) and blocks
 * ({@code I10-I15}).
 *
 * <h2>Merging and hierarchy</h2>
 * By default the shipped curated set (22 chapters, all blocks, common codes) is the starting
 * point: the file's names replace the curated ones, the file's codes are added, and curated codes
 * absent from the file are kept (with a warning). Each new code is placed under: its
 * {@code parent} column when that code exists; else, for a subcategory, its category; else the
 * block given in the file; else the smallest block whose range holds it; else its chapter (column
 * or range). A code that finds no place stays at the top level with a warning.
 *
 * <h2>Errors</h2>
 * Blank lines are skipped. Every other line that cannot be used is reported in
 * {@link LoadResult#errors()} with its line number and left out; nothing is dropped silently.
 * Problems that make the whole file unreadable (not UTF-8, no code or name column) throw
 * {@link TerminologyLoadException}.
 */
public final class Icd10FileLoader implements CodeSystemFileLoader {

  private static final String[] CODE = {"ma_benh", "ma_icd", "ma_icd10", "ma_icd_10", "icd10", "icd_10",
      "icd_code", "ma_benh_icd", "ma", "code"};
  private static final String[] NAME_VI = {"ten_benh", "ten_tieng_viet", "ten_benh_tieng_viet", "ten_icd",
      "ten", "display_vi", "display", "name_vi"};
  private static final String[] NAME_EN = {"ten_tieng_anh", "ten_benh_tieng_anh", "ten_ta", "display_en",
      "english", "english_name", "name_en", "disease_name"};
  private static final String[] PARENT = {"parent", "ma_cha", "parent_code"};
  private static final String[] CATEGORY = {"ma_loai", "category"};
  private static final String[] BLOCK = {"ma_nhom_chinh", "ma_nhom", "nhom", "block"};
  private static final String[] CHAPTER = {"ma_chuong", "chuong", "chapter"};

  private boolean mergeCurated = true;

  /** Whether to start from the shipped curated hierarchy (default true). */
  public Icd10FileLoader mergeCurated(boolean merge) {
    this.mergeCurated = merge;
    return this;
  }



  /** Loads from a stream (not closed); {@code sourceName} is used in messages and the description. */
  @Override
  public LoadResult load(InputStream in, String sourceName) throws IOException {
    CsvReader.Table table = CodeSystemFileLoader.readTable(in, sourceName);
    Columns cols = new Columns(table.columns());
    int code = cols.find(CODE);
    int nameVi = cols.find(NAME_VI);
    if (code < 0 || nameVi < 0) {
      throw new TerminologyLoadException(sourceName, List.of(new LoadIssue(table.header().line(),
          "the header needs a code column (e.g. MA_BENH or code) and a Vietnamese name column"
              + " (e.g. TEN_BENH or display); found " + table.columns())));
    }
    int nameEn = cols.find(NAME_EN);
    int parent = cols.find(PARENT);
    int category = cols.find(CATEGORY);
    int block = cols.find(BLOCK);
    int chapter = cols.find(CHAPTER);
    int required = Math.max(code, nameVi);

    List<LoadIssue> errors = new ArrayList<>();
    List<LoadIssue> warnings = new ArrayList<>();
    Map<String, ConceptNode> curated = VnTerminology.Data.get().nodes(VnCodeSystem.ICD10);
    Map<String, ConceptNode> nodes = new LinkedHashMap<>();
    if (mergeCurated) {
      curated.values().forEach(n -> nodes.put(n.code, n.copy()));
    }
    Map<String, Integer> fromFile = new LinkedHashMap<>();
    Map<String, String[]> hints = new HashMap<>();
    Set<String> added = new HashSet<>();

    for (CsvReader.Row r : table.rows()) {
      if (r.isMalformed()) {
        errors.add(new LoadIssue(r.line(), r.problem()));
        continue;
      }
      if (r.isBlank()) {
        continue;
      }
      if (r.size() <= required) {
        errors.add(new LoadIssue(r.line(), "only " + r.size() + " field(s); the header has "
            + cols.size() + " (is the delimiter '" + printable(table.delimiter()) + "'?)"));
        continue;
      }
      if (hasExtraFields(r, cols.size())) {
        errors.add(new LoadIssue(r.line(), r.size() + " fields but the header has " + cols.size()
            + "; quote names that contain '" + printable(table.delimiter()) + "'"));
        continue;
      }
      String raw = r.get(code).trim();
      if (raw.isEmpty()) {
        errors.add(new LoadIssue(r.line(), "no code"));
        continue;
      }
      String c = Icd10Codes.normalise(raw);
      if (Icd10Codes.kind(c) == null) {
        errors.add(new LoadIssue(r.line(), "'" + raw + "' is not an ICD-10 code (expected e.g. A00,"
            + " A00.0, a block A00-A09 or a chapter I–XXII)"));
        continue;
      }
      String vi = r.get(nameVi).trim();
      if (vi.isEmpty()) {
        errors.add(new LoadIssue(r.line(), "code " + c + " has no Vietnamese name"));
        continue;
      }
      Integer firstLine = fromFile.get(c);
      if (firstLine != null) {
        if (vi.equals(nodes.get(c).display)) {
          warnings.add(new LoadIssue(r.line(), "code " + c + " repeats line " + firstLine + "; ignored"));
        } else {
          errors.add(new LoadIssue(r.line(), "code " + c + " is already on line " + firstLine
              + " with a different name"));
        }
        continue;
      }
      String en = nameEn < 0 ? "" : r.get(nameEn).trim();
      ConceptNode existing = nodes.get(c);
      if (existing != null) {
        existing.display = vi;
        if (!en.isEmpty()) {
          existing.displayEn = en;
        }
      } else {
        nodes.put(c, new ConceptNode(c, vi, en.isEmpty() ? null : en, null, r.line()));
        added.add(c);
      }
      fromFile.put(c, r.line());
      hints.put(c, new String[] {
          parent < 0 ? "" : r.get(parent).trim(),
          category < 0 ? "" : r.get(category).trim(),
          block < 0 ? "" : r.get(block).trim(),
          chapter < 0 ? "" : r.get(chapter).trim()});
    }

    placeNewCodes(nodes, added, fromFile, hints, warnings);

    if (mergeCurated) {
      List<String> keptOnly = curated.keySet().stream()
          .filter(c -> !fromFile.containsKey(c))
          .filter(c -> {
            Icd10Codes.Kind k = Icd10Codes.kind(c);
            return k == Icd10Codes.Kind.CATEGORY || k == Icd10Codes.Kind.SUBCATEGORY;
          }).toList();
      if (!keptOnly.isEmpty() && !fromFile.isEmpty()) {
        warnings.add(new LoadIssue(0, keptOnly.size() + " curated code(s) are not in the file and were kept: "
            + String.join(", ", keptOnly.subList(0, Math.min(20, keptOnly.size())))
            + (keptOnly.size() > 20 ? ", …" : "")));
      }
    }

    nodes.values().forEach(n -> n.properties.put(VnTerminology.PROPERTY_ICD10_KIND,
        Icd10Codes.kind(n.code).code()));
    Resources.Meta meta = Resources.Meta.of(VnCodeSystem.ICD10).withContent(CodeSystemContentMode.COMPLETE,
        "Nạp từ tệp / loaded from file: " + sourceName + ".");
    CodeSystem cs = Resources.codeSystem(meta, nodes.values(), List.of(Icd10Support.KIND_PROPERTY),
        ICD_ORDER);
    return new LoadResult(cs, errors, warnings, sourceName);
  }

  /** Chapters in numeral order, everything else by code. */
  private static final Comparator<ConceptNode> ICD_ORDER = Comparator
      .comparingInt((ConceptNode n) -> {
        int i = Icd10Codes.CHAPTERS.indexOf(n.code);
        return i < 0 ? Integer.MAX_VALUE : i;
      })
      .thenComparing(n -> n.code);

  private void placeNewCodes(Map<String, ConceptNode> nodes, Set<String> added,
      Map<String, Integer> fromFile, Map<String, String[]> hints, List<LoadIssue> warnings) {
    Map<String, String[]> chapterRanges = Icd10Support.chapterRanges(VnTerminology.Data.get().nodes(VnCodeSystem.ICD10));
    List<String> blocks = nodes.keySet().stream()
        .filter(c -> Icd10Codes.kind(c) == Icd10Codes.Kind.BLOCK).toList();
    // blocks first, so that codes can rely on the block tree
    List<String> order = new ArrayList<>();
    added.stream().filter(c -> Icd10Codes.kind(c) == Icd10Codes.Kind.BLOCK).sorted(
        Comparator.comparing((String c) -> widthOf(c)).reversed()).forEach(order::add);
    fromFile.keySet().stream().filter(added::contains)
        .filter(c -> Icd10Codes.kind(c) != Icd10Codes.Kind.BLOCK).forEach(order::add);

    for (String c : order) {
      ConceptNode n = nodes.get(c);
      Icd10Codes.Kind kind = Icd10Codes.kind(c);
      if (kind == Icd10Codes.Kind.CHAPTER) {
        continue;
      }
      int line = fromFile.get(c);
      String[] h = hints.get(c);
      String placed = null;

      String explicit = Icd10Codes.normalise(h[0]);
      if (!explicit.isEmpty()) {
        String why = !nodes.containsKey(explicit) ? "is not in the list"
            : createsCycle(nodes, c, explicit) ? "would make a loop"
            : Icd10Support.checkParent(c, explicit);
        if (why == null) {
          placed = explicit;
        } else {
          warnings.add(new LoadIssue(line, "parent " + h[0] + " of " + c + " ignored (" + why
              + "); placed by its code"));
        }
      }
      if (placed == null && kind == Icd10Codes.Kind.SUBCATEGORY) {
        for (int len = c.length() - 1; len >= 3 && placed == null; len--) {
          String candidate = c.substring(0, len);
          if (candidate.endsWith(".")) {
            continue;
          }
          if (nodes.containsKey(candidate)) {
            placed = candidate;
          }
        }
        String cat = Icd10Codes.normalise(h[1]);
        if (placed == null && nodes.containsKey(cat) && c.startsWith(cat)) {
          placed = cat;
        }
        if (placed == null) {
          warnings.add(new LoadIssue(line, "category " + Icd10Codes.category(c) + " of " + c
              + " is not in the file; placed under its block"));
        }
      }
      if (placed == null) {
        String b = Icd10Codes.normalise(h[2]);
        if (Icd10Codes.kind(b) == Icd10Codes.Kind.BLOCK && nodes.containsKey(b) && !b.equals(c)
            && (kind == Icd10Codes.Kind.BLOCK ? Icd10Codes.blockContainsBlock(b, c)
                : Icd10Codes.blockContains(b, Icd10Codes.category(c)))) {
          placed = b;
        }
      }
      if (placed == null) {
        placed = smallestBlockHolding(c, kind, blocks);
      }
      if (placed == null) {
        String ch = Icd10Codes.chapterFrom(h[3]);
        if (ch != null && nodes.containsKey(ch)) {
          placed = ch;
        }
      }
      if (placed == null) {
        String first = kind == Icd10Codes.Kind.BLOCK ? Icd10Codes.start(c) : Icd10Codes.category(c);
        for (Map.Entry<String, String[]> e : chapterRanges.entrySet()) {
          String[] range = e.getValue();
          if (nodes.containsKey(e.getKey()) && range[0].compareTo(first) <= 0 && first.compareTo(range[1]) <= 0) {
            placed = e.getKey();
            break;
          }
        }
      }
      if (placed == null) {
        warnings.add(new LoadIssue(line, "no chapter or block found for " + c + "; kept at the top level"));
      }
      n.parent = placed;
    }
  }

  private static int widthOf(String block) {
    return (block.charAt(4) - block.charAt(0)) * 100
        + Integer.parseInt(block.substring(5, 7)) - Integer.parseInt(block.substring(1, 3));
  }

  private static String smallestBlockHolding(String code, Icd10Codes.Kind kind, List<String> blocks) {
    String best = null;
    for (String b : blocks) {
      boolean holds = kind == Icd10Codes.Kind.BLOCK ? Icd10Codes.blockContainsBlock(b, code)
          : Icd10Codes.blockContains(b, Icd10Codes.category(code));
      if (holds && (best == null || widthOf(b) < widthOf(best))) {
        best = b;
      }
    }
    return best;
  }

  private static boolean createsCycle(Map<String, ConceptNode> nodes, String code, String parent) {
    String cur = parent;
    for (int guard = 0; cur != null && guard < 50; guard++) {
      if (cur.equals(code)) {
        return true;
      }
      ConceptNode n = nodes.get(cur);
      cur = n == null ? null : n.parent;
    }
    return false;
  }

  private static boolean hasExtraFields(CsvReader.Row r, int headerSize) {
    for (int i = headerSize; i < r.size(); i++) {
      if (!r.get(i).isBlank()) {
        return true;
      }
    }
    return false;
  }

  static String printable(char delimiter) {
    return delimiter == '\t' ? "\\t" : String.valueOf(delimiter);
  }
}
