package vn.ehealth.fhir.server.disclosure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class IndexQueryTest {

	private static final ProvinceNames PROVINCES = new ProvinceNames();

	@Test
	void aFormerProvinceCodeIsTheProvinceItWasMergedInto() {
		IndexQuery query = IndexQuery.parse(Map.of("tinh", new String[] {"02"}, "ten", new String[] {" benh vien "}), PROVINCES);
		assertThat(query.province().code()).isEqualTo("08");
		assertThat(query.province().name()).isEqualTo("Tuyên Quang");
		assertThat(query.name()).isEqualTo("benh vien");
		assertThat(query.page()).isEqualTo(1);
	}

	@Test
	void emptyValuesMeanNoFilter() {
		IndexQuery query = IndexQuery.parse(Map.of("tinh", new String[] {""}, "ten", new String[] {""}), PROVINCES);
		assertThat(query.province()).isNull();
		assertThat(query.name()).isNull();
	}

	@Test
	void aLinkToAnotherPageKeepsTheQuery() {
		IndexQuery query = IndexQuery.parse(Map.of("tinh", new String[] {"01"}, "ten", new String[] {"Đồng Tâm & co"}), PROVINCES);
		assertThat(query.link(2)).isEqualTo("?tinh=01&ten=%C4%90%E1%BB%93ng+T%C3%A2m+%26+co&trang=2");
	}

	@Test
	void badValuesAreRefusedInBothLanguages() {
		for (Map<String, String[]> bad : java.util.List.of(
				Map.of("tinh", new String[] {"99"}), Map.of("tinh", new String[] {"1a"}), Map.of("trang", new String[] {"0"}),
				Map.of("trang", new String[] {"10001"}), Map.of("x", new String[] {"1"}), Map.of("tinh", new String[] {"01", "02"}),
				Map.of("ten", new String[] {"a\u0000"}), Map.of("ten", new String[] {"a".repeat(101)}))) {
			assertThatThrownBy(() -> IndexQuery.parse(bad, PROVINCES))
					.isInstanceOfSatisfying(IndexQuery.BadQuery.class, e -> assertThat(e.vi).isNotBlank().isNotEqualTo(e.en));
		}
	}
}
