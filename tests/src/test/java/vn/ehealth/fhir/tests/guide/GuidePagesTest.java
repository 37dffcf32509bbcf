package vn.ehealth.fhir.tests.guide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.ehealth.fhir.server.guide.Html;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/** The guide's public pages at /ig/: readable by people, downloadable by tools, and safe HTML. */
class GuidePagesTest {

	private static Http http;

	@BeforeAll
	static void server() {
		http = TestServer.shared().http();
	}

	@Test
	void indexListsTheProfilesExtensionsAndTerminology() {
		Http.Response index = http.get("/ig/");
		assertThat(index.status()).isEqualTo(200);
		assertThat(index.header("Content-Type")).startsWith("text/html").containsIgnoringCase("charset=UTF-8");
		assertThat(index.body())
				.contains("<html lang=\"vi\">")
				.contains("vietfhir.core", "0.1.0", "https://vietfhir.org/fhir")
				.contains("href=\"StructureDefinition/vn-patient\"")
				.contains("href=\"StructureDefinition/vn-ext-ethnicity\"")
				.contains("href=\"CodeSystem/vn-ethnicity\"")
				.contains("href=\"ValueSet/vn-ethnicity\"")
				.contains("href=\"ConceptMap/vn-province-legacy-to-2025\"")
				.contains("href=\"vietfhir.core.tgz\"")
				.contains("Hồ sơ", "Profiles", "Hệ mã", "Code systems");
		// and every link of the index leads to a page
		assertThat(http.get("/ig/StructureDefinition/vn-ext-ethnicity").status()).isEqualTo(200);
		assertThat(http.get("/ig/ValueSet/vn-ethnicity").status()).isEqualTo(200);
	}

	@Test
	void withoutTheSlashTheIndexRedirects() {
		Http.Response response = http.get("/ig");
		assertThat(response.status()).isEqualTo(301);
		assertThat(response.header("Location")).endsWith("ig/");
	}

	@Test
	void patientProfilePageShowsItsInvariantsInBothLanguages() {
		Http.Response page = http.get("/ig/StructureDefinition/vn-patient");
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.header("Content-Type")).startsWith("text/html").containsIgnoringCase("charset=UTF-8");
		assertThat(page.body())
				.contains("VN Core Patient")
				.contains("https://vietfhir.org/fhir/StructureDefinition/vn-patient")
				.contains("<code>vn-cccd-3</code>", "<code>vn-cccd-4</code>")
				// Vietnamese and English halves of the invariant text, each in its own cell, diacritics intact
				.contains("<td lang=\"vi\">Chữ số thứ 5–6 của số CCCD phải là hai số cuối của năm sinh</td>")
				.contains("<td lang=\"en\">CCCD digits 5–6 must be the last two digits of the birth year</td>")
				.contains("Chữ số thứ 4 của số CCCD phải khớp với giới tính")
				.contains("CCCD digit 4 must agree with the gender")
				// the differential: a slice with its cardinality, a binding, must-support
				.contains("Patient.identifier:cccd", "0..1")
				.contains("href=\"../StructureDefinition/vn-ext-ethnicity\"");
	}

	@Test
	void extensionPageShowsItsContextAndBinding() {
		Http.Response page = http.get("/ig/StructureDefinition/vn-ext-practice-licence");
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body())
				.contains("<code>Practitioner</code>")
				.contains("Sub-extensions")
				.contains("href=\"../ValueSet/vn-practitioner-title\"");
	}

	@Test
	void ethnicityCodeSystemPageListsCodesWithVietnameseAndEnglish() {
		Http.Response page = http.get("/ig/CodeSystem/vn-ethnicity");
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.header("Content-Type")).containsIgnoringCase("charset=UTF-8");
		assertThat(page.body())
				.containsPattern("<code>01</code></td><td lang=\"vi\">Kinh</td><td lang=\"en\">Kinh</td>")
				.containsPattern("<code>17</code></td><td lang=\"vi\">Chăm</td><td lang=\"en\">Cham</td>")
				.contains("complete");
	}

	@Test
	void icd10PageNestsItsConceptsAndSaysItIsAFragment() {
		String body = http.get("/ig/CodeSystem/vn-icd10").body();
		assertThat(body).contains("fragment");
		// a subcategory sits deeper than its chapter
		assertThat(body).contains("<td><code>I</code></td>").contains("padding-left:5.0em\"><code>A01.0</code>");
	}

	@Test
	void conceptMapPageShowsMappingRows() {
		String body = http.get("/ig/ConceptMap/vn-province-legacy-to-2025").body();
		assertThat(body).containsPattern(
				"<code>02</code></td><td>Hà Giang</td><td>wider \\(rộng hơn\\)</td><td><code>08</code></td><td>Tuyên Quang</td>");
	}

	@Test
	void resourcesComeAsJsonToo() throws IOException {
		ObjectMapper mapper = new ObjectMapper();
		for (String path : new String[] {"/ig/StructureDefinition/vn-patient?_format=json", "/ig/StructureDefinition/vn-patient.json"}) {
			Http.Response json = http.get(path);
			assertThat(json.status()).isEqualTo(200);
			assertThat(json.header("Content-Type")).startsWith("application/fhir+json");
			JsonNode resource = mapper.readTree(json.body());
			assertThat(resource.path("resourceType").asText()).isEqualTo("StructureDefinition");
			assertThat(resource.path("id").asText()).isEqualTo("vn-patient");
		}
		assertThat(mapper.readTree(http.get("/ig/CodeSystem/vn-ethnicity?_format=json").body()).path("concept").size())
				.isEqualTo(56);
	}

	@Test
	void downloadIsTheNpmPackage() throws Exception {
		for (String path : new String[] {"/ig/vietfhir.core.tgz", "/ig/package.tgz"}) {
			HttpResponse<byte[]> response = HttpClient.newHttpClient().send(
					HttpRequest.newBuilder(http.uri(path)).timeout(Duration.ofMinutes(1)).GET().build(),
					HttpResponse.BodyHandlers.ofByteArray());
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/gzip");
			assertThat(response.headers().firstValue("Content-Disposition"))
					.hasValue("attachment; filename=\"vietfhir.core-0.1.0.tgz\"");
			byte[] body = response.body();
			// gzip magic number, then a package the HL7 tooling reads
			assertThat(body[0] & 0xff).isEqualTo(0x1f);
			assertThat(body[1] & 0xff).isEqualTo(0x8b);
			NpmPackage npm = NpmPackage.fromPackage(new ByteArrayInputStream(body));
			assertThat(npm.name()).isEqualTo("vietfhir.core");
			assertThat(npm.version()).isEqualTo("0.1.0");
			assertThat(npm.listResources("StructureDefinition")).contains("StructureDefinition-vn-patient.json");
			try (InputStream profile = npm.loadResource("StructureDefinition-vn-patient.json")) {
				assertThat(new ObjectMapper().readTree(profile).path("url").asText())
						.isEqualTo("https://vietfhir.org/fhir/StructureDefinition/vn-patient");
			}
		}
	}

	@Test
	void unknownIdsGetA404Page() {
		for (String path : new String[] {
			"/ig/StructureDefinition/vn-no-such-profile", "/ig/CodeSystem/vn-patient", "/ig/Patient/x", "/ig/nothing.tgz",
			"/ig/a/b/c"
		}) {
			Http.Response response = http.get(path);
			assertThat(response.status()).as(path).isEqualTo(404);
			assertThat(response.header("Content-Type")).as(path).startsWith("text/html");
			assertThat(response.body()).as(path).contains("Không tìm thấy").doesNotContain("Exception");
		}
		assertThat(http.get("/ig/StructureDefinition/vn-no-such-profile").body()).contains("vn-no-such-profile");
	}

	@Test
	void textFromRequestsAndResourcesIsEscaped() {
		// an id asked for is echoed on the 404 page: as text, never as markup
		Http.Response response = http.get("/ig/StructureDefinition/%3Cscript%3Ealert(1)%3C-script%3E");
		assertThat(response.status()).isEqualTo(404);
		assertThat(response.body()).doesNotContain("<script>").contains("&lt;script&gt;alert(1)&lt;-script&gt;");

		// the vn-cccd-2 invariant says digits 1–3 must be "0" and ...: quotes in the guide's text are escaped
		String patient = http.get("/ig/StructureDefinition/vn-patient").body();
		assertThat(patient).contains("phải là &quot;0&quot; và mã tỉnh").doesNotContain("phải là \"0\"");
		// and the FHIRPath expressions' quotes too
		assertThat(patient).contains("value.matches(&#39;^[0-9]{12}$&#39;)");
	}

	@Test
	void escaperHandlesEveryMarkupCharacter() {
		assertThat(Html.escape("<a href=\"x\" title='y'>Tom & Jerry</a>"))
				.isEqualTo("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;");
		assertThat(Html.escape("Nguyễn Văn An")).isEqualTo("Nguyễn Văn An");
		assertThat(Html.escape(null)).isEmpty();
		assertThat(new Html().open("p", "title", "a\"b").text("<b>").close("p").toString())
				.isEqualTo("<p title=\"a&quot;b\">&lt;b&gt;</p>");
		assertThatThrownBy(() -> new Html().open("p onclick=x")).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> new Html().style("p{}</style><script>")).isInstanceOf(IllegalArgumentException.class);
	}
}
