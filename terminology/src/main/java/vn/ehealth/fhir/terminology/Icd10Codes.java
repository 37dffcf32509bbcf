package vn.ehealth.fhir.terminology;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The shape of codes in {@code vn-icd10}:
 * <ul>
 *   <li>chapter: Roman numeral {@code I}…{@code XXII} (as in the WHO ICD-10 tabular list);</li>
 *   <li>block: first and last category of the range, {@code A00-A09}; a block of one category is
 *       written {@code B99-B99};</li>
 *   <li>category: letter and two digits, {@code I10};</li>
 *   <li>subcategory: category, dot, one or two digits, {@code E11.9}.</li>
 * </ul>
 */
public final class Icd10Codes {

  /** Which level of the classification a code is. */
  public enum Kind {
    CHAPTER, BLOCK, CATEGORY, SUBCATEGORY;

    /** The value of the {@code kind} concept property: {@code chapter}, {@code block}, … */
    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The chapter numerals in order. */
  public static final List<String> CHAPTERS = List.of("I", "II", "III", "IV", "V", "VI", "VII",
      "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX",
      "XXI", "XXII");

  private static final Pattern BLOCK = Pattern.compile("[A-Z]\\d{2}-[A-Z]\\d{2}");
  private static final Pattern CATEGORY = Pattern.compile("[A-Z]\\d{2}");
  private static final Pattern SUBCATEGORY = Pattern.compile("[A-Z]\\d{2}\\.\\d{1,2}");
  private static final Pattern UNDOTTED = Pattern.compile("([A-Z]\\d{2})(\\d{1,2})");

  private Icd10Codes() {}

  /** The kind of a (normalised) code, or null if it is not a valid {@code vn-icd10} code. */
  public static Kind kind(String code) {
    if (code == null) {
      return null;
    }
    if (CHAPTERS.contains(code)) {
      return Kind.CHAPTER;
    }
    if (BLOCK.matcher(code).matches()) {
      return start(code).compareTo(end(code)) <= 0 ? Kind.BLOCK : null;
    }
    if (CATEGORY.matcher(code).matches()) {
      return Kind.CATEGORY;
    }
    if (SUBCATEGORY.matcher(code).matches()) {
      return Kind.SUBCATEGORY;
    }
    return null;
  }

  /**
   * Puts a code as written in a file into the form used here: trimmed, upper case, inner spaces
   * removed, dagger/asterisk marks ({@code †}, {@code *}, {@code +}) dropped, en dash in ranges
   * turned into a hyphen, and a missing dot restored ({@code A000} → {@code A00.0}).
   */
  public static String normalise(String raw) {
    if (raw == null) {
      return "";
    }
    String s = raw.trim().toUpperCase(Locale.ROOT)
        .replaceAll("\\s+", "")
        .replace('\u2013', '-').replace('\u2014', '-')
        .replaceAll("[\u2020*+]+$", "");
    var m = UNDOTTED.matcher(s);
    if (m.matches()) {
      s = m.group(1) + "." + m.group(2);
    }
    return s;
  }

  /** The first category of a block, {@code A00} for {@code A00-A09}. */
  public static String start(String block) {
    return block.substring(0, 3);
  }

  /** The last category of a block, {@code A09} for {@code A00-A09}. */
  public static String end(String block) {
    return block.substring(4, 7);
  }

  /** The category a category or subcategory belongs to ({@code E11} for {@code E11.9}). */
  public static String category(String code) {
    return code.length() >= 3 ? code.substring(0, 3) : code;
  }

  /** True when the block's range holds the category. */
  public static boolean blockContains(String block, String category) {
    return start(block).compareTo(category) <= 0 && category.compareTo(end(block)) <= 0;
  }

  /** True when {@code outer} holds all of {@code inner} and is not the same range. */
  public static boolean blockContainsBlock(String outer, String inner) {
    return !outer.equals(inner) && blockContains(outer, start(inner)) && blockContains(outer, end(inner));
  }

  /**
   * Reads a chapter as written in a file column: {@code IX}, {@code 9}, {@code 09},
   * {@code Chương IX}, {@code Chapter 9}. Returns the numeral, or null if it is not one.
   */
  public static String chapterFrom(String raw) {
    if (raw == null) {
      return null;
    }
    String s = Columns.normalise(raw).replaceFirst("^(chuong|chapter)_?", "").split("_")[0]
        .toUpperCase(Locale.ROOT);
    if (CHAPTERS.contains(s)) {
      return s;
    }
    if (s.matches("\\d{1,2}")) {
      int n = Integer.parseInt(s);
      return n >= 1 && n <= CHAPTERS.size() ? CHAPTERS.get(n - 1) : null;
    }
    return null;
  }
}
