package vn.ehealth.fhir.terminology;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A province as written in an address or a form (a code or a name, Vietnamese or English, of the 63
 * provinces before 1 July 2025 or of the 34 after them) resolved to its 2025 code: Resolution
 * 202/2025/QH15 merged the provinces, and the guide's ConceptMap {@code vn-province-legacy-to-2025}
 * ({@link VnTerminology#provinceFromLegacy}) says which one holds a former province today, so "Hà Giang"
 * and "Tuyên Quang" are one province. Where a code or name is on both lists, the current province wins.
 */
public final class Provinces2025 {

  private static final Map<String, String> CODE_BY_KEY = codeByKey();

  private Provinces2025() {}

  /** The 2025 province code of a code or name of either list; empty when it is none of them. */
  public static Optional<String> of(String codeOrName) {
    return codeOrName == null ? Optional.empty() : Optional.ofNullable(CODE_BY_KEY.get(key(codeOrName)));
  }

  private static Map<String, String> codeByKey() {
    Map<String, String> keys = new HashMap<>();
    for (String legacy : VnTerminology.codes(VnCodeSystem.PROVINCE_LEGACY)) {
      VnTerminology.provinceFromLegacy(legacy).ifPresent(target -> {
        keys.put(key(legacy), target);
        VnTerminology.display(VnCodeSystem.PROVINCE_LEGACY, legacy).ifPresent(name -> keys.put(key(name), target));
        VnTerminology.displayEn(VnCodeSystem.PROVINCE_LEGACY, legacy).ifPresent(name -> keys.put(key(name), target));
      });
    }
    for (String code : VnTerminology.codes(VnCodeSystem.PROVINCE)) {
      keys.put(key(code), code);
      VnTerminology.display(VnCodeSystem.PROVINCE, code).ifPresent(name -> keys.put(key(name), code));
      VnTerminology.displayEn(VnCodeSystem.PROVINCE, code).ifPresent(name -> keys.put(key(name), code));
    }
    return Map.copyOf(keys);
  }

  /** Lower case, without diacritics, spaces, punctuation or the words "tỉnh" / "thành phố" / "TP.". */
  private static String key(String value) {
    String plain = Normalizer.normalize(value.trim().toLowerCase(Locale.ROOT), Normalizer.Form.NFD)
        .replaceAll("\\p{M}", "").replace('đ', 'd');
    plain = plain.replaceFirst("^(tinh|thanh pho|tp\\.?|province|city)\\s+", "");
    return plain.replaceAll("[^a-z0-9]", "");
  }
}
