package vn.ehealth.fhir.tests.terminology;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/** Official lists exported to CSV, loaded through CodeSystem/$import-icd10 and $import-communes (issues 3 and 4). */
class CodeSystemImportTest {

	private static final String VALIDATE_Y35_0 = "/fhir/CodeSystem/$validate-code?url=https://vietfhir.org/fhir/CodeSystem/vn-icd10&code=Y35.0";
	private static Http http;

	@BeforeAll
	static void server() {
		http = TestServer.shared().http();
	}

	@Test
	void afterTheImportEveryCodeOfTheFileIsKnown() {
		// Y35.0 is not in the curated starter set
		assertThat(known(VALIDATE_Y35_0)).isFalse();
		String export = """
				STT;MA_CHUONG;TEN_CHUONG;MA_NHOM_CHINH;TEN_NHOM_CHINH;MA_LOAI;TEN_LOAI;MA_BENH;TEN_BENH;TEN_TIENG_ANH
				1;XX;Nguyên nhân ngoại sinh của bệnh tật và tử vong;Y35-Y36;Can thiệp theo pháp luật và hoạt động chiến tranh;Y35;Can thiệp theo pháp luật;Y35.0;Can thiệp theo pháp luật có sử dụng súng;Legal intervention involving firearm discharge
				2;IX;Bệnh của hệ tuần hoàn;I10-I15;Bệnh lý tăng huyết áp;I10;Bệnh lý tăng huyết áp;I10;Bệnh lý tăng huyết áp;Essential (primary) hypertension
				""";

		Http.Response response = http.post("/fhir/CodeSystem/$import-icd10", "text/csv; charset=utf-8", export);

		assertThat(response.status()).as(response.body()).isEqualTo(200);
		Parameters result = response.resource(Parameters.class);
		assertThat(((IntegerType) result.getParameter("concepts").getValue()).getValue()).isGreaterThan(600);
		assertThat(known(VALIDATE_Y35_0)).isTrue();
		assertThat(http.get(VALIDATE_Y35_0, "application/fhir+json").body()).contains("Can thiệp theo pháp luật có sử dụng súng");
	}

	@Test
	void aMalformedFileIsRefusedWithItsLineNumbers() {
		String export = "MA_BENH;TEN_BENH\nI10;Bệnh lý tăng huyết áp\nXYZ;Không phải mã\n";
		Http.Response response = http.post("/fhir/CodeSystem/$import-icd10", "text/csv", export);
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.diagnostics()).contains("line 3").contains("XYZ");
	}

	@Test
	void communesLoadFromAFileAndAreKnownAtOnce() {
		String communes = "code,display_vi,province_code,display_en\n"
				+ "00004,Phường Ba Đình,01,Ba Dinh Ward\n"
				+ "26734,Phường Sài Gòn,79,Sai Gon Ward\n";
		String validate = "/fhir/ValueSet/$validate-code?url=https://vietfhir.org/fhir/ValueSet/vn-commune"
				+ "&system=https://vietfhir.org/fhir/CodeSystem/vn-commune&code=26734";

		Http.Response response = http.post("/fhir/CodeSystem/$import-communes", "text/csv", communes);

		assertThat(response.status()).as(response.body()).isEqualTo(200);
		assertThat(known(validate)).isTrue();
		Http.Response expanded = http.get(
				"/fhir/ValueSet/$expand?url=https://vietfhir.org/fhir/ValueSet/vn-commune&filter=sai%20gon", "application/fhir+json");
		assertThat(expanded.body()).contains("Phường Sài Gòn").doesNotContain("Ba Đình");
	}

	private static boolean known(String path) {
		Parameters parameters = http.get(path, "application/fhir+json").resource(Parameters.class);
		return ((BooleanType) parameters.getParameter("result").getValue()).booleanValue();
	}
}
