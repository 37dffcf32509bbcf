package vn.ehealth.fhir.terminology;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.CodeSystemContentMode;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * Loads the communes (xã, phường, đặc khu) in force from 1 July 2025 — 3,321 units with 5-digit
 * codes, Decision 19/2025/QĐ-TTg — from a CSV file into CodeSystem {@code vn-commune}
 * ({@value VnTerminology#CS_COMMUNE}). The list is not shipped; load the official export.
 *
 * <h2>File format</h2>
 * UTF-8, delimiter {@code ,}, {@code ;} or tab (detected), one header row; names are matched
 * ignoring case, diacritics and punctuation:
 * <table>
 *   <caption>columns</caption>
 *   <tr><th>column</th><th>required</th><th>accepted header names</th></tr>
 *   <tr><td>commune code (5 digits)</td><td>yes</td><td>code, ma_xa, ma_phuong_xa, ma_don_vi, ma</td></tr>
 *   <tr><td>Vietnamese name</td><td>yes</td><td>display_vi, display, ten_xa, ten_phuong_xa, ten_don_vi, ten, name</td></tr>
 *   <tr><td>province code (2 digits, {@code vn-province})</td><td>yes</td><td>province_code, ma_tinh, province, tinh</td></tr>
 *   <tr><td>English name</td><td>no</td><td>display_en, ten_tieng_anh, name_en</td></tr>
 * </table>
 * Codes that lost their leading zeros in a spreadsheet ({@code 4} for {@code 00004}) are padded,
 * with a warning. Each concept carries property {@code province} (the {@code vn-province} code).
 * Blank lines are skipped; every other unusable line is an error with its line number.
 */
public final class VnCommuneFileLoader implements CodeSystemFileLoader {

  public static final String ID = "vn-commune";
  /** Number of communes from 1 July 2025; a different count is reported as a warning. */
  public static final int EXPECTED_COUNT = 3321;
  /** Concept property holding the province code. */
  public static final String PROPERTY_PROVINCE = "province";

  private static final String[] CODE = {"code", "ma_xa", "ma_phuong_xa", "ma_don_vi", "ma"};
  private static final String[] NAME_VI = {"display_vi", "display", "ten_xa", "ten_phuong_xa", "ten_don_vi",
      "ten", "name"};
  private static final String[] PROVINCE = {"province_code", "ma_tinh", "province", "tinh"};
  private static final String[] NAME_EN = {"display_en", "ten_tieng_anh", "name_en"};

  private static final Resources.Meta META = new Resources.Meta(ID, "VNCommune",
      "Xã, phường, đặc khu từ 01/7/2025 (Communes of Vietnam from 1 July 2025)",
      "Đơn vị hành chính cấp xã từ ngày 01/7/2025, mã 5 chữ số (Quyết định 19/2025/QĐ-TTg), nạp từ"
          + " tệp. / Commune-level administrative units from 1 July 2025, 5-digit codes (Decision"
          + " 19/2025/QĐ-TTg), loaded from a file.",
      CodeSystemContentMode.COMPLETE);

  private static final Resources.PropertyDef PROVINCE_PROPERTY = new Resources.PropertyDef(
      PROPERTY_PROVINCE, "Province the commune belongs to (code from " + VnTerminology.CS_PROVINCE + ")");



  @Override
  public LoadResult load(InputStream in, String sourceName) throws IOException {
    CsvReader.Table table = CodeSystemFileLoader.readTable(in, sourceName);
    Columns cols = new Columns(table.columns());
    int code = cols.find(CODE);
    int name = cols.find(NAME_VI);
    int province = cols.find(PROVINCE);
    if (code < 0 || name < 0 || province < 0) {
      throw new TerminologyLoadException(sourceName, List.of(new LoadIssue(table.header().line(),
          "the header needs code, display_vi and province_code columns; found " + table.columns())));
    }
    int nameEn = cols.find(NAME_EN);
    int required = Math.max(code, Math.max(name, province));
    Set<String> provinces = VnTerminology.codes(VnCodeSystem.PROVINCE);

    List<LoadIssue> errors = new ArrayList<>();
    List<LoadIssue> warnings = new ArrayList<>();
    Map<String, ConceptNode> nodes = new LinkedHashMap<>();
    for (CsvReader.Row r : table.rows()) {
      if (r.isMalformed()) {
        errors.add(new LoadIssue(r.line(), r.problem()));
        continue;
      }
      if (r.isBlank()) {
        continue;
      }
      if (r.size() <= required) {
        errors.add(new LoadIssue(r.line(), "only " + r.size() + " field(s); the header has " + cols.size()));
        continue;
      }
      if (r.size() > cols.size() && r.fields().subList(cols.size(), r.size()).stream().anyMatch(f -> !f.isBlank())) {
        errors.add(new LoadIssue(r.line(), r.size() + " fields but the header has " + cols.size()
            + "; quote names that contain '" + Icd10FileLoader.printable(table.delimiter()) + "'"));
        continue;
      }
      String c = padDigits(r.get(code).trim(), 5, r.line(), "commune code", warnings);
      String p = padDigits(r.get(province).trim(), 2, r.line(), "province code", warnings);
      String vi = r.get(name).trim();
      if (!c.matches("\\d{5}")) {
        errors.add(new LoadIssue(r.line(), "commune code '" + r.get(code).trim() + "' is not 5 digits"));
        continue;
      }
      if (vi.isEmpty()) {
        errors.add(new LoadIssue(r.line(), "commune " + c + " has no name"));
        continue;
      }
      if (!provinces.contains(p)) {
        errors.add(new LoadIssue(r.line(), "province code '" + r.get(province).trim()
            + "' of commune " + c + " is not one of the 34 provinces of vn-province"));
        continue;
      }
      ConceptNode first = nodes.get(c);
      if (first != null) {
        errors.add(new LoadIssue(r.line(), "commune code " + c + " is already on line " + first.line));
        continue;
      }
      String en = nameEn < 0 ? "" : r.get(nameEn).trim();
      ConceptNode n = new ConceptNode(c, vi, en.isEmpty() ? null : en, null, r.line());
      n.properties.put(PROPERTY_PROVINCE, p);
      nodes.put(c, n);
    }
    if (nodes.size() != EXPECTED_COUNT) {
      warnings.add(new LoadIssue(0, nodes.size() + " communes loaded; the 2025 list has " + EXPECTED_COUNT));
    }
    Resources.Meta meta = new Resources.Meta(META.id(), META.name(), META.title(),
        META.description() + " Tệp / file: " + sourceName + ".", META.content());
    CodeSystem cs = Resources.codeSystem(meta, nodes.values(), List.of(PROVINCE_PROPERTY), null);
    return new LoadResult(cs, errors, warnings, sourceName);
  }

  /** The value set {@code vn-commune}: every code of the commune code system. */
  public static ValueSet valueSet(CodeSystem communes) {
    return VnTerminology.valueSetFor(communes);
  }

  private static String padDigits(String value, int width, int line, String what, List<LoadIssue> warnings) {
    if (value.matches("\\d{1," + (width - 1) + "}")) {
      String padded = "0".repeat(width - value.length()) + value;
      warnings.add(new LoadIssue(line, what + " " + value + " read as " + padded
          + " (leading zeros lost, e.g. by a spreadsheet)"));
      return padded;
    }
    return value;
  }
}
