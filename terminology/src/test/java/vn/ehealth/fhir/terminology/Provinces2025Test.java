package vn.ehealth.fhir.terminology;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Provinces2025Test {

  @Test
  void aFormerProvinceByNameOrCodeIsTheProvinceThatHoldsItToday() {
    // Resolution 202/2025/QH15: Hà Giang (02) is part of Tuyên Quang (08), Bình Dương (74) of Hồ Chí Minh (79)
    assertThat(Provinces2025.of("Hà Giang")).contains("08");
    assertThat(Provinces2025.of("Tỉnh Hà Giang")).contains("08");
    assertThat(Provinces2025.of("02")).contains("08");
    assertThat(Provinces2025.of("binh duong")).contains("79");
  }

  @Test
  void aCurrentProvinceIsItselfWhateverItsSpelling() {
    assertThat(Provinces2025.of("TP. Hồ Chí Minh")).contains("79");
    assertThat(Provinces2025.of("Thành phố Hà Nội")).contains("01");
    assertThat(Provinces2025.of("Ha Noi")).contains("01");
    assertThat(Provinces2025.of("01")).contains("01");
  }

  @Test
  void anythingElseIsNoProvince() {
    assertThat(Provinces2025.of("Atlantis")).isEmpty();
    assertThat(Provinces2025.of("")).isEmpty();
    assertThat(Provinces2025.of(null)).isEmpty();
  }
}
