package vn.ehealth.fhir.terminology;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;

/** Finds columns in a header row by normalised name (case, diacritics and punctuation ignored). */
final class Columns {

  private final List<String> normalised;

  Columns(List<String> header) {
    this.normalised = header.stream().map(Columns::normalise).toList();
  }

  /** Index of the first column whose normalised name is one of {@code aliases}, or -1. */
  int find(String... aliases) {
    for (String alias : aliases) {
      int i = normalised.indexOf(normalise(alias));
      if (i >= 0) {
        return i;
      }
    }
    return -1;
  }

  int size() {
    return normalised.size();
  }

  /**
   * Lower case, Vietnamese diacritics removed ({@code đ} becomes {@code d}), every run of
   * characters other than letters and digits turned into one {@code _}: {@code "Tên bệnh"} and
   * {@code "TEN_BENH"} both become {@code ten_benh}.
   */
  static String normalise(String name) {
    String s = name.replace("\uFEFF", "").trim().toLowerCase(Locale.ROOT)
        .replace('đ', 'd');
    s = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
    s = s.replaceAll("[^a-z0-9]+", "_");
    return s.replaceAll("^_+|_+$", "");
  }
}
