package vn.ehealth.fhir.tests.terminology;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/** $lookup, $validate-code, $expand (accent-insensitive), $translate and search, all offline (issue 4). */
class TerminologyServicesTest {

	private static final String B = "https://vietfhir.org/fhir";
	private static final String JSON = "application/fhir+json";
	private static Http http;

	@BeforeAll
	static void server() {
		http = TestServer.shared().http();
	}

	@Test
	void lookupGivesTheVietnameseDisplayAndTheEnglishDesignation() {
		Parameters result = get("/fhir/CodeSystem/$lookup?system=" + B + "/CodeSystem/vn-ethnicity&code=17", Parameters.class);
		assertThat(result.getParameter("display").getValue().primitiveValue()).isEqualTo("Chăm");
		assertThat(result.getParameters("designation"))
				.anySatisfy(d -> assertThat(d.getPart())
						.anySatisfy(p -> assertThat(p.hasValue() ? p.getValue().primitiveValue() : null).isEqualTo("Cham")));
	}

	@Test
	void validateCodeKnowsTheCodesOfTheGuide() {
		assertThat(result(get("/fhir/CodeSystem/$validate-code?url=" + B + "/CodeSystem/vn-ethnicity&code=17", Parameters.class)))
				.isTrue();
		assertThat(result(get("/fhir/CodeSystem/$validate-code?url=" + B + "/CodeSystem/vn-ethnicity&code=77", Parameters.class)))
				.isFalse();
		assertThat(result(get(
						"/fhir/ValueSet/$validate-code?url=" + B + "/ValueSet/vn-icd10&system=" + B + "/CodeSystem/vn-icd10&code=I10",
						Parameters.class)))
				.isTrue();
	}

	@Test
	void expandFilterIgnoresDiacritics() {
		assertThat(displays(expand("vn-province", "ha noi", ""))).containsExactly("Hà Nội");
		assertThat(displays(expand("vn-province", "HÀ NỘI", ""))).containsExactly("Hà Nội");
		assertThat(displays(expand("vn-province", "quang", "")))
				.contains("Quảng Ninh", "Quảng Trị", "Quảng Ngãi", "Tuyên Quang")
				.doesNotContain("Hà Nội");
		assertThat(displays(expand("vn-icd10", "tang huyet ap", ""))).contains("Bệnh lý tăng huyết áp");
	}

	@Test
	void expandFilterPagesWithCountAndOffset() {
		ValueSet all = expand("vn-province", "quang", "");
		ValueSet first = expand("vn-province", "quang", "&count=2");
		ValueSet rest = expand("vn-province", "quang", "&count=2&offset=2");
		assertThat(first.getExpansion().getTotal()).isEqualTo(all.getExpansion().getContains().size());
		assertThat(first.getExpansion().getContains()).hasSize(2);
		List<String> paged = new java.util.ArrayList<>(displays(first));
		paged.addAll(displays(rest));
		assertThat(paged).isEqualTo(displays(all));
		Http.Response bad = http.get("/fhir/ValueSet/$expand?url=" + B + "/ValueSet/vn-province&filter=ha&count=-1", JSON);
		assertThat(bad.status()).isEqualTo(400);
	}

	@Test
	void translateMapsALegacyProvinceToIts2025Province() {
		Parameters merged = get(
				"/fhir/ConceptMap/$translate?url=" + B + "/ConceptMap/vn-province-legacy-to-2025&system=" + B
						+ "/CodeSystem/vn-province-legacy&code=34&targetsystem=" + B + "/CodeSystem/vn-province",
				Parameters.class);
		assertThat(result(merged)).isTrue();
		Coding target = (Coding) merged.getParameters("match").get(0).getPart().stream()
				.filter(p -> p.getName().equals("concept"))
				.findFirst()
				.orElseThrow()
				.getValue();
		assertThat(target.getCode()).isEqualTo("33");
		assertThat(target.getDisplay()).isEqualTo("Hưng Yên");
	}

	@Test
	void codeSystemsAndValueSetsAreSearchable() {
		Bundle byUrl = get("/fhir/CodeSystem?url=" + B + "/CodeSystem/vn-province-legacy", Bundle.class);
		assertThat(byUrl.getEntry()).hasSize(1);
		Bundle valueSets = get("/fhir/ValueSet?url=" + B + "/ValueSet/vn-ethnicity", Bundle.class);
		assertThat(valueSets.getEntry()).hasSize(1);
	}

	private static ValueSet expand(String valueSet, String filter, String more) {
		return get("/fhir/ValueSet/$expand?url=" + B + "/ValueSet/" + valueSet + "&filter="
						+ URLEncoder.encode(filter, StandardCharsets.UTF_8) + more,
				ValueSet.class);
	}

	private static List<String> displays(ValueSet expansion) {
		return expansion.getExpansion().getContains().stream().map(ValueSet.ValueSetExpansionContainsComponent::getDisplay).toList();
	}

	private static boolean result(Parameters parameters) {
		return ((BooleanType) parameters.getParameter("result").getValue()).booleanValue();
	}

	private static <T extends org.hl7.fhir.instance.model.api.IBaseResource> T get(String path, Class<T> type) {
		Http.Response response = http.get(path, JSON);
		assertThat(response.status()).as(path).isEqualTo(200);
		return response.resource(type);
	}
}
