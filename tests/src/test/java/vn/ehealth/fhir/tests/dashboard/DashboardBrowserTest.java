package vn.ehealth.fhir.tests.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hl7.fhir.r4.model.MeasureReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import vn.ehealth.fhir.synth.SyntheticData;
import vn.ehealth.fhir.tests.support.Browser;
import vn.ehealth.fhir.tests.support.Http;
import vn.ehealth.fhir.tests.support.TestServer;
import vn.ehealth.fhir.tests.support.Tokens;

/**
 * The dashboard at /dashboard/ as a person uses it, in a real headless Chromium: Vietnamese first with an
 * English switch, nothing shown before sign-in, sign-in through a real OpenID Connect provider's login page
 * (authorization code + PKCE), then tiles and charts drawn from the server's statistics, filters that
 * change them, and CSV and PNG downloads. The figures shown are compared with the server's own
 * {@code $evaluate-measure} answers for the same filters. Screenshots of the main pages go to docs/screenshots/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

	private static final long SEED = 20;
	private static final int PATIENTS = 12;
	/** Three years of care (ten would make the load slow), up to the generator's fixed "today". */
	private static final LocalDate CARE_START = SyntheticData.DEFAULT_AS_OF.minusYears(3).plusDays(1);
	private static final String ALL_FROM = CARE_START.toString();
	private static final String ALL_TO = SyntheticData.DEFAULT_AS_OF.toString();
	private static final String LAST_YEAR_FROM = SyntheticData.DEFAULT_AS_OF.minusYears(1).plusDays(1).toString();
	/** Six reports per load on a shared machine: more than Browser's usual wait. */
	private static final Duration LOAD_WAIT = Duration.ofSeconds(90);
	private static final Path SCREENSHOTS = Path.of("..", "docs", "screenshots");

	private static OidcProvider oidc;
	private static TestServer server;
	private static Browser browser;
	private static Path downloads;

	@BeforeAll
	static void startProviderServerAndBrowser() throws Exception {
		int port = OidcProvider.freePort();
		String fhirBase = "http://localhost:" + port + "/fhir";
		// a person signs in: the issuer grants a user/ scope
		oidc = OidcProvider.start(fhirBase, "openid user/MeasureReport.r");
		Path dir = Files.createTempDirectory("vietfhir-dashboard-oidc-");
		server = TestServer.start("vietfhir-dashboard-", Map.of(
				"server.port", String.valueOf(port),
				"vietfhir.security.external-issuer", oidc.issuer(),
				"vietfhir.security.external-jwks-file", oidc.writeJwks(dir).toString(),
				"vietfhir.dashboard.client-id", "vietfhir-dashboard",
				// a patient's years of care in one transaction
				"vietfhir.fhir.max-request-size", "32MB"));
		loadSyntheticData();
		browser = Browser.open();
		downloads = Files.createTempDirectory("vietfhir-dashboard-downloads-");
		((ChromeDriver) browser.driver()).executeCdpCommand("Browser.setDownloadBehavior",
				Map.of("behavior", "allow", "downloadPath", downloads.toAbsolutePath().toString()));
	}

	/**
	 * A dozen patients from two provinces, stored as their facilities would send them, with the directory of
	 * those provinces (two provinces keep the directory small, and still give the province filter a choice).
	 */
	private static void loadSyntheticData() {
		Map<String, List<Integer>> byProvince = new LinkedHashMap<>();
		for (int n = 0; n < 2000; n++) {
			byProvince.computeIfAbsent(SyntheticData.residenceOf(SEED, n), k -> new ArrayList<>()).add(n);
		}
		List<Integer> chosen = byProvince.values().stream()
				.sorted(Comparator.comparingInt((List<Integer> residents) -> residents.size()).reversed())
				.limit(2)
				.flatMap(residents -> residents.stream().limit(PATIENTS / 2))
				.toList();
		SyntheticData data = new SyntheticData(SEED, chosen, CARE_START, SyntheticData.DEFAULT_AS_OF);
		server.client().transaction().withBundle(data.directoryBundle()).execute();
		for (int n : data.patientNumbers()) {
			server.client().transaction().withBundle(data.patientBundle(n)).execute();
		}
	}

	@AfterAll
	static void stop() {
		if (browser != null) {
			browser.close();
		}
		if (server != null) {
			server.stop();
		}
		if (oidc != null) {
			oidc.close();
		}
	}

	@Test
	@Order(1)
	void thePageIsVietnameseFirstSwitchesToEnglishAndShowsNoDataBeforeSignIn() throws IOException {
		WebDriver driver = browser.driver();
		driver.get(server.rootUrl() + "/dashboard/");
		WebElement signIn = browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
		assertThat(driver.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("vi");
		assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Thống kê y tế");
		assertThat(signIn.getText()).isEqualTo("Đăng nhập");
		assertThat(driver.findElement(By.id("signed-out")).getText()).contains("chỉ dành cho người dùng đã đăng nhập");
		// no data: the filters, tiles and charts are not shown, and nothing was asked of /fhir
		assertThat(driver.findElement(By.id("data")).isDisplayed()).isFalse();
		assertThat(driver.findElement(By.cssSelector("body")).getAttribute("data-loaded")).isNull();
		browser.screenshot(SCREENSHOTS.resolve("dashboard-signed-out.png"));

		driver.findElement(By.id("lang-en")).click();
		assertThat(driver.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");
		assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Health statistics");
		assertThat(signIn.getText()).isEqualTo("Sign in");
		driver.findElement(By.id("lang-vi")).click();
		assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Thống kê y tế");

		// the statistics themselves need a token: the page cannot show what /fhir will not give
		Http.Response anonymous = server.anonymousHttp().get("/fhir/Measure/vn-encounters/$evaluate-measure?periodStart="
				+ ALL_FROM + "&periodEnd=" + ALL_TO);
		assertThat(anonymous.status()).isEqualTo(401);
	}

	@Test
	@Order(2)
	void signInGoesThroughTheProvidersLoginPageWithPkceAndTheTilesAndChartsDrawWithData() throws IOException {
		WebDriver driver = browser.driver();
		driver.get(server.rootUrl() + "/dashboard/");
		browser.waiting().until(ExpectedConditions.elementToBeClickable(By.id("sign-in"))).click();

		// the provider's own login page, reached with a PKCE challenge (S256) and a state
		browser.waiting().until(ExpectedConditions.urlContains(oidc.issuer() + "/authorize"));
		String authorize = driver.getCurrentUrl();
		assertThat(authorize).contains("response_type=code", "code_challenge_method=S256", "code_challenge=", "state=",
				"client_id=vietfhir-dashboard", "redirect_uri=" + java.net.URLEncoder.encode(server.rootUrl() + "/dashboard/",
						StandardCharsets.UTF_8));
		assertThat(authorize).doesNotContain("code_verifier");
		driver.findElement(By.name("username")).sendKeys("thongke.soyte");
		driver.findElement(By.cssSelector("input[type=submit]")).click();

		// back on the dashboard, signed in, the code gone from the address bar
		browser.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-out")));
		assertThat(driver.getCurrentUrl()).isEqualTo(server.rootUrl() + "/dashboard/");
		assertThat(driver.findElement(By.id("user")).getText()).isEqualTo("Nguyễn Thị Thống Kê");
		assertThat(driver.findElement(By.id("sign-in")).isDisplayed()).isFalse();

		setPeriod(ALL_FROM, ALL_TO);
		assertThat(tile("encounters")).isEqualTo(total("vn-encounters", ALL_FROM, ALL_TO)).isPositive();
		assertThat(tile("admissions")).isEqualTo(total("vn-admissions", ALL_FROM, ALL_TO));
		assertThat(tile("discharges")).isEqualTo(total("vn-discharges", ALL_FROM, ALL_TO));
		assertThat(tile("deaths")).isEqualTo(total("vn-deaths", ALL_FROM, ALL_TO));
		// the mean length of stay in days, or "ẩn" when fewer stays than the threshold ended in the period
		String stay = driver.findElement(By.cssSelector("#tile-length-of-stay .value")).getText();
		if (total("vn-length-of-stay", ALL_FROM, ALL_TO) == null) {
			assertThat(stay).isEqualTo("ẩn");
		} else {
			assertThat(stay).endsWith(" ngày");
		}
		for (String chart : List.of("months", "provinces", "age", "sex", "morbidity")) {
			assertThat(points(chart)).as(chart).isPositive();
			// ECharts drew on its canvas: not a blank one
			assertThat(canvasIsDrawn(chart)).as(chart).isTrue();
		}
		assertThat(driver.findElements(By.cssSelector("[data-chart=provinces] table tbody tr"))).isNotEmpty();
		browser.screenshot(SCREENSHOTS.resolve("dashboard.png"));
	}

	@Test
	@Order(3)
	void aFilterChangeChangesTheNumbers() {
		setPeriod(ALL_FROM, ALL_TO);
		long wholeSpan = tile("encounters");
		setPeriod(LAST_YEAR_FROM, ALL_TO);
		long lastYear = tile("encounters");
		assertThat(lastYear).isLessThan(wholeSpan).isEqualTo(total("vn-encounters", LAST_YEAR_FROM, ALL_TO));
		assertThat(points("months")).isLessThanOrEqualTo(12);

		setPeriod(ALL_FROM, ALL_TO);
		Select province = new Select(browser.driver().findElement(By.id("province")));
		assertThat(province.getOptions()).hasSizeGreaterThan(1);
		// the province with the most encounters: a count large enough not to be suppressed
		String code = evaluate("vn-encounters", ALL_FROM, ALL_TO, "").getGroupFirstRep().getStratifier().stream()
				.filter(s -> s.getCodeFirstRep().getCodingFirstRep().getCode().equals("province"))
				.flatMap(s -> s.getStratum().stream())
				.filter(s -> s.getPopulationFirstRep().hasCount())
				.max(Comparator.comparingInt(s -> s.getPopulationFirstRep().getCount()))
				.orElseThrow().getValue().getCodingFirstRep().getCode();
		String before = loaded();
		province.selectByValue(code);
		waitForLoadAfter(before);
		long inProvince = tile("encounters");
		assertThat(inProvince).isLessThanOrEqualTo(wholeSpan);
		assertThat(inProvince).isEqualTo(total("vn-encounters", ALL_FROM, ALL_TO, "&province=" + code));

		browser.driver().findElement(By.id("lang-en")).click();
		assertThat(browser.driver().findElement(By.cssSelector("#tile-encounters .label")).getText()).isEqualTo("Encounters");
		browser.screenshot(SCREENSHOTS.resolve("dashboard-en-province.png"));
		browser.driver().findElement(By.id("lang-vi")).click();
		province.selectByIndex(0);
	}

	@Test
	@Order(4)
	void everyChartDownloadsAsCsvWithABomAndAsPng() throws Exception {
		setPeriod(ALL_FROM, ALL_TO);
		WebDriver driver = browser.driver();
		driver.findElement(By.cssSelector("[data-chart=months] button[data-download=csv]")).click();
		Path csv = downloaded("vietfhir_months_" + ALL_FROM + "_" + ALL_TO + ".csv");
		byte[] bytes = Files.readAllBytes(csv);
		assertThat(Arrays.copyOf(bytes, 3)).containsExactly(0xEF, 0xBB, 0xBF);
		List<String> lines = List.of(new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8).split("\r\n"));
		assertThat(lines.get(0)).isEqualTo("Tháng / Month,Lượt khám / Encounters,Nhập viện / Admissions,"
				+ "Ra viện / Discharges,Tử vong / Deaths");
		assertThat(lines).hasSize(1 + points("months"));
		// the rows are the server's month strata for the same filters
		MeasureReport report = evaluate("vn-encounters", ALL_FROM, ALL_TO, "");
		List<String> expected = new ArrayList<>();
		report.getGroupFirstRep().getStratifier().stream()
				.filter(s -> s.getCodeFirstRep().getCodingFirstRep().getCode().equals("month"))
				.flatMap(s -> s.getStratum().stream())
				.sorted(Comparator.comparing(s -> s.getValue().getCodingFirstRep().getCode()))
				.forEach(s -> expected.add(s.getValue().getCodingFirstRep().getCode() + ","
						+ (s.getPopulationFirstRep().hasCount() ? s.getPopulationFirstRep().getCount() : "ẩn")));
		assertThat(lines.subList(1, lines.size()).stream().map(l -> l.substring(0, l.indexOf(',', 8)))).containsExactlyElementsOf(expected);

		driver.findElement(By.cssSelector("[data-chart=provinces] button[data-download=csv]")).click();
		List<String> provinces = Files.readAllLines(downloaded("vietfhir_provinces_" + ALL_FROM + "_" + ALL_TO + ".csv"));
		assertThat(provinces.get(0)).isEqualTo("\uFEFFMã / Code,Tỉnh / Province,Lượt khám / Encounters");
		assertThat(provinces).hasSize(1 + points("provinces"));

		driver.findElement(By.cssSelector("[data-chart=age] button[data-download=png]")).click();
		byte[] png = Files.readAllBytes(downloaded("vietfhir_age_" + ALL_FROM + "_" + ALL_TO + ".png"));
		assertThat(Arrays.copyOf(png, 4)).containsExactly(0x89, 'P', 'N', 'G');
		assertThat(driver.findElements(By.cssSelector("figure[data-chart] button[data-download=csv]")))
				.hasSize(driver.findElements(By.cssSelector("figure[data-chart]")).size());
	}

	// ---------- helpers ----------

	/** Sets both dates the way a person's edits do (a change event each) and waits for the page's reload. */
	private static void setPeriod(String from, String to) {
		JavascriptExecutor js = (JavascriptExecutor) browser.driver();
		String current = (String) js.executeScript("return document.getElementById('period-start').value + '/' + "
				+ "document.getElementById('period-end').value");
		if (current.equals(from + "/" + to) && loaded() != null) {
			return;
		}
		String before = loaded();
		js.executeScript("""
				const set = (id, value) => { const e = document.getElementById(id); e.value = value;
				  e.dispatchEvent(new Event('change', {bubbles: true})); };
				set('period-start', arguments[0]); set('period-end', arguments[1]);""", from, to);
		waitForLoadAfter(before);
	}

	private static String statisticsToken() {
		Http.Response token = Tokens.request(server.rootUrl(), Tokens.SUITE_CLIENT, Tokens.suiteKey(),
				"system/MeasureReport.r", "PUBHLTH");
		assertThat(token.status()).as(token.body()).isEqualTo(200);
		return (String) Tokens.json(token.body()).get("access_token");
	}

	private static String loaded() {
		return browser.driver().findElement(By.tagName("body")).getAttribute("data-loaded");
	}

	private static void waitForLoadAfter(String before) {
		new WebDriverWait(browser.driver(), LOAD_WAIT).withMessage(() -> "dashboard status: " + browser.driver().findElement(By.id("status")).getText())
				.until(d -> {
					String now = loaded();
					return now != null && !now.equals(before)
							&& d.findElement(By.id("status")).getText().startsWith("Số liệu cập nhật");
				});
	}

	/** A tile's number, or null when the count is suppressed (fewer people than the threshold). */
	private static Long tile(String name) {
		String value = browser.driver().findElement(By.id("tile-" + name)).getAttribute("data-value");
		return value.isEmpty() ? null : Long.valueOf(value);
	}

	private static int points(String chart) {
		return Integer.parseInt(browser.driver().findElement(By.cssSelector("[data-chart=" + chart + "]")).getAttribute("data-points"));
	}

	private static boolean canvasIsDrawn(String chart) {
		return (Boolean) ((JavascriptExecutor) browser.driver()).executeScript("""
				const canvas = document.querySelector('[data-chart=' + arguments[0] + '] canvas');
				if (!canvas) return false;
				const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
				for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;
				return false;""", chart);
	}

	private static Path downloaded(String name) {
		Path file = downloads.resolve(name);
		browser.waiting().withMessage(() -> name + " not downloaded; have " + Arrays.toString(downloads.toFile().list()))
				.until(d -> Files.isRegularFile(file) && file.toFile().length() > 0);
		return file;
	}

	private static Long total(String measure, String from, String to) {
		return total(measure, from, to, "");
	}

	/** The server's total for the same filters, or null when it is suppressed. */
	private static Long total(String measure, String from, String to, String more) {
		MeasureReport.MeasureReportGroupPopulationComponent population =
				evaluate(measure, from, to, more).getGroupFirstRep().getPopulationFirstRep();
		return population.hasCount() ? Long.valueOf(population.getCount()) : null;
	}

	/**
	 * The server's own answer for the same filters, asked by the suite's client with the dashboard user's
	 * rights (statistics only, no patient-level read: the same small cells suppressed) for purpose PUBHLTH.
	 */
	private static MeasureReport evaluate(String measure, String from, String to, String more) {
		Http http = server.anonymousHttp();
		Http.Response response = http.send(HttpRequest.newBuilder(http.uri("/fhir/Measure/" + measure
						+ "/$evaluate-measure?periodStart=" + from + "&periodEnd=" + to + more))
				.header("Authorization", "Bearer " + statisticsToken())
				.header("X-Purpose-Of-Use", "PUBHLTH")
				.header("Accept", "application/fhir+json")
				.timeout(Duration.ofSeconds(60)));
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.resource(MeasureReport.class);
	}
}
