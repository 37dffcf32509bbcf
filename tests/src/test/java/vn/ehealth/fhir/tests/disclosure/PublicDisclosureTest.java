package vn.ehealth.fhir.tests.disclosure;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.ChargeItemDefinition;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vn.ehealth.fhir.profiles.Canonicals;
import vn.ehealth.fhir.profiles.identifier.IdentifierSystems;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * Public disclosure at /cong-khai/ (Circular 38/2024/TT-BYT) over real HTTP without a token: the index
 * searched by province (2025 and legacy codes) and by name without accents, the facility page with
 * licence, quality result, prices and staff hours, no personal identifier of a practitioner, markup in
 * a name escaped, and bad parameters answered with 400.
 */
class PublicDisclosureTest {

	private static final Pattern FACILITY_LINK = Pattern.compile("href=\"co-so/([^\"]+)\"");

	private static TestServer server;
	private static Http anonymous;
	private static DisclosureData data;
	private static String hospitalHaGiang;
	private static String stationHaNoi;
	private static String hostile;
	private static String notAFacility;
	private static final String HOSTILE_NAME = "<script>alert('x')</script> Bệnh viện \"Ác\" & Co ";

	@BeforeAll
	static void store() {
		server = TestServer.shared();
		anonymous = server.anonymousHttp();
		data = DisclosureData.load(server);
		String m = data.marker;
		Organization office = DisclosureData.facility("Sở Y tế Thử nghiệm " + m, "01" + code(), "Thành phố Hà Nội");
		office.getType().clear();
		office.addType().setText("Cơ quan quản lý (not a facility)");
		List<String> ids = DisclosureData.create(server, List.of(
				// no address: the legacy facility code 02 (Hà Giang) puts it in 2025 province 08 (Tuyên Quang)
				DisclosureData.facility("Bệnh viện Đa khoa Xuân Thủy " + m, "02" + code(), null),
				DisclosureData.facility("Trạm Y tế xã Đồng Tâm " + m, "01" + code(), "Thành phố Hà Nội"),
				DisclosureData.facility(HOSTILE_NAME + m, "79" + code(), "Thành phố Hồ Chí Minh"),
				office));
		hospitalHaGiang = ids.get(0);
		stationHaNoi = ids.get(1);
		hostile = ids.get(2);
		notAFacility = ids.get(3);
	}

	@Test
	void theIndexRendersWithoutATokenInVietnamese() {
		Http.Response index = anonymous.get("/cong-khai/");
		assertThat(index.status()).isEqualTo(200);
		assertThat(index.header("Content-Type")).startsWith("text/html").contains("UTF-8");
		assertThat(index.body()).contains("<html lang=\"vi\">", "Công khai thông tin cơ sở khám bệnh, chữa bệnh",
				"Public disclosure of health facilities", "name=\"tinh\"", "name=\"ten\"", "Tuyên Quang");
		assertThat(anonymous.get("/cong-khai").status()).isEqualTo(301);
	}

	@Test
	void theHomePageLinksToTheDisclosure() {
		assertThat(anonymous.get("/").body()).contains("href=\"cong-khai/\"");
	}

	@Test
	void aNameWithoutAccentsFindsTheFacilitiesWhoseNameHasThoseWordsAndNoOthers() {
		assertThat(search("ten=" + q("benh vien " + data.marker))).containsExactlyInAnyOrder(hospitalHaGiang, hostile);
		// "đ" is folded to "d" too, and the words may come in any order
		assertThat(search("ten=" + q(data.marker + " dong tam"))).containsExactly(stationHaNoi);
		assertThat(search("ten=" + q("Trạm Y TẾ " + data.marker))).containsExactly(stationHaNoi);
		assertThat(search("ten=" + q("khong co " + data.marker))).isEmpty();
		assertThat(search("ten=" + q(data.marker))).doesNotContain(notAFacility);
	}

	@Test
	void aProvinceFindsItsFacilitiesByTheir2025CodeOrAFormerCode() {
		String byName = "&ten=" + q(data.marker);
		assertThat(search("tinh=08" + byName)).containsExactly(hospitalHaGiang);
		assertThat(search("tinh=02" + byName)).containsExactly(hospitalHaGiang);
		assertThat(search("tinh=01" + byName)).containsExactly(stationHaNoi);
		assertThat(search("tinh=79" + byName)).containsExactly(hostile);
		assertThat(search("tinh=04" + byName)).isEmpty();
	}

	@Test
	void manyResultsComeInPagesOfTwenty() {
		String word = "pg" + data.marker;
		List<Organization> many = new ArrayList<>();
		for (int i = 0; i < 21; i++) {
			many.add(DisclosureData.facility("Phòng khám Đa khoa số " + i + " " + word, "01" + code(), "Thành phố Hà Nội"));
		}
		List<String> ids = DisclosureData.create(server, many);
		Http.Response first = anonymous.get("/cong-khai/?ten=" + q(word));
		assertThat(links(first.body())).hasSize(20);
		assertThat(first.body()).contains("Tìm thấy 21 cơ sở", "rel=\"next\"").doesNotContain("rel=\"prev\"");
		Http.Response second = anonymous.get("/cong-khai/?ten=" + q(word) + "&trang=2");
		assertThat(links(second.body())).hasSize(1);
		assertThat(second.body()).contains("rel=\"prev\"").doesNotContain("rel=\"next\"");
		List<String> all = new ArrayList<>(links(first.body()));
		all.addAll(links(second.body()));
		assertThat(all).containsExactlyInAnyOrderElementsOf(ids);
	}

	@Test
	void theFacilityPageShowsLicenceQualityPricesAndStaffHours() {
		Organization hospital = data.syntheticFacility("Bệnh viện Đa khoa tỉnh");
		String id = hospital.getIdElement().getIdPart();
		String reference = "Organization/" + id;
		Http.Response page = anonymous.get("/cong-khai/co-so/" + id);
		assertThat(page.status()).isEqualTo(200);
		String body = page.body();

		Extension licence = hospital.getExtensionByUrl(Canonicals.EXT_OPERATING_LICENCE);
		assertThat(body).contains(hospital.getName(), "Giấy phép hoạt động", sub(licence, "number"), sub(licence, "issuer"),
				"Số giường bệnh", String.valueOf(licence.getExtensionByUrl("beds").getValue().primitiveValue()),
				"Cấp chuyên môn kỹ thuật", "chuyên sâu", "Còn hiệu lực");

		Extension quality = hospital.getExtensionByUrl(Canonicals.EXT_QUALITY_ASSESSMENT);
		assertThat(body).contains("Kết quả đánh giá chất lượng", sub(quality, "result"), sub(quality, "criteria"),
				quality.getExtensionByUrl("score").getValue().primitiveValue());

		List<ChargeItemDefinition> prices = data.of(ChargeItemDefinition.class, reference);
		assertThat(prices).isNotEmpty();
		NumberFormat vnd = NumberFormat.getIntegerInstance(Locale.forLanguageTag("vi-VN"));
		for (ChargeItemDefinition price : prices) {
			BigDecimal amount = price.getPropertyGroupFirstRep().getPriceComponentFirstRep().getAmount().getValue();
			assertThat(body).contains(price.getCode().getText(), vnd.format(amount) + " đ");
		}

		List<PractitionerRole> roles = data.of(PractitionerRole.class, reference);
		assertThat(roles).isNotEmpty();
		for (PractitionerRole role : roles) {
			if (!role.getActive()) {
				continue;
			}
			for (var time : role.getAvailableTime()) {
				assertThat(body).contains(time.getAllDay() ? "trực 24 giờ" : time.getAvailableStartTime().substring(0, 5)
						+ "–" + time.getAvailableEndTime().substring(0, 5));
			}
		}
		assertThat(body).contains("T2–T6 07:00–17:00");
	}

	@Test
	void noPersonalIdentifierPhoneOrBirthDateOfAPractitionerAppears() {
		Organization hospital = data.syntheticFacility("Bệnh viện Đa khoa tỉnh");
		String body = anonymous.get("/cong-khai/co-so/" + hospital.getIdElement().getIdPart()).body();
		List<String> practitioners = data.of(PractitionerRole.class, "Organization/" + hospital.getIdElement().getIdPart())
				.stream().filter(PractitionerRole::getActive).map(role -> role.getPractitioner().getReference()).toList();
		int checked = 0;
		for (Resource resource : data.directory) {
			if (resource instanceof Practitioner practitioner
					&& practitioners.contains("Practitioner/" + practitioner.getIdElement().getIdPart())) {
				String cccd = practitioner.getIdentifier().stream().filter(i -> IdentifierSystems.CCCD.equals(i.getSystem()))
						.findFirst().orElseThrow().getValue();
				String licence = practitioner.getIdentifier().stream()
						.filter(i -> IdentifierSystems.PRACTICE_LICENCE.equals(i.getSystem())).findFirst().orElseThrow().getValue();
				assertThat(body).doesNotContain(cccd, practitioner.getTelecomFirstRep().getValue(),
						practitioner.getBirthDateElement().getValueAsString(), practitioner.getAddressFirstRep().getText());
				// the public part is there: the licence number
				assertThat(body).contains(licence);
				checked++;
			}
		}
		assertThat(checked).isGreaterThan(3);
	}

	@Test
	void markupInAFacilityNameIsShownAsTextNeverRun() {
		String listed = anonymous.get("/cong-khai/?ten=" + q(data.marker) + "&tinh=79").body();
		String page = anonymous.get("/cong-khai/co-so/" + hostile).body();
		for (String body : List.of(listed, page)) {
			assertThat(body).doesNotContain("<script>", "\"Ác\"")
					.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Bệnh viện &quot;Ác&quot; &amp; Co");
		}
	}

	@Test
	void aFacilityThatIsNotThereOrNotAHealthFacilityIsNotFound() {
		assertThat(anonymous.get("/cong-khai/co-so/khong-co-" + data.marker).status()).isEqualTo(404);
		Http.Response office = anonymous.get("/cong-khai/co-so/" + notAFacility);
		assertThat(office.status()).isEqualTo(404);
		assertThat(office.body()).contains("Không tìm thấy").doesNotContain(data.marker);
		assertThat(anonymous.get("/cong-khai/khac/trang").status()).isEqualTo(404);
	}

	@ParameterizedTest
	@ValueSource(strings = {"tinh=99", "tinh=abc", "tinh=1", "trang=0", "trang=x", "trang=100001", "trang=-1", "foo=1",
			"tinh=01&tinh=02", "ten=%01x", "_format=json"})
	void aBadQueryIsA400PageSayingWhy(String query) {
		Http.Response response = anonymous.get("/cong-khai/?" + query);
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.header("Content-Type")).startsWith("text/html");
		assertThat(response.body()).contains("Yêu cầu không hợp lệ", "Bad request", "href=\"/cong-khai/\"");
	}

	@Test
	void aTooLongNameOrABadIdIsA400() {
		assertThat(anonymous.get("/cong-khai/?ten=" + "a".repeat(101)).status()).isEqualTo(400);
		Http.Response badId = anonymous.get("/cong-khai/co-so/" + "x".repeat(65));
		assertThat(badId.status()).isEqualTo(400);
		assertThat(anonymous.get("/cong-khai/co-so/a_b").status()).isEqualTo(400);
	}

	private static List<String> search(String query) {
		Http.Response response = anonymous.get("/cong-khai/?" + query);
		assertThat(response.status()).as(query).isEqualTo(200);
		return links(response.body());
	}

	private static List<String> links(String body) {
		List<String> ids = new ArrayList<>();
		Matcher matcher = FACILITY_LINK.matcher(body);
		while (matcher.find()) {
			ids.add(matcher.group(1));
		}
		return ids;
	}

	private static String sub(Extension extension, String url) {
		var value = extension.getExtensionByUrl(url).getValue();
		return value instanceof StringType string ? string.getValue() : value.primitiveValue();
	}

	private static String q(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8);
	}

	private static String code() {
		return String.valueOf(100 + (int) (Math.random() * 900));
	}
}
