package vn.ehealth.fhir.tests.disclosure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hl7.fhir.r4.model.Organization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import vn.ehealth.fhir.tests.support.Browser;
import vn.ehealth.fhir.tests.support.TestServer;

/**
 * The disclosure pages as a person sees them, in a real headless Chromium without any login: search by
 * province and by a name typed without accents, open the facility, read its sections. Screenshots go to
 * docs/screenshots/ (the docs page shows them).
 */
class PublicDisclosureBrowserTest {

	private static final Path SCREENSHOTS = Path.of("..", "docs", "screenshots");

	private static Browser browser;
	private static DisclosureData data;
	private static String hostile;

	@BeforeAll
	static void open() {
		data = DisclosureData.load(TestServer.shared());
		hostile = DisclosureData.create(TestServer.shared(), List.of(DisclosureData.facility(
				"<img src=x onerror=\"document.title='pwned'\"> Bệnh viện " + data.marker, "01" + 321, "Thành phố Hà Nội"))).get(0);
		browser = Browser.open();
	}

	@AfterAll
	static void close() {
		browser.close();
	}

	@Test
	void aVisitorFindsAHospitalByProvinceAndAnAccentFreeNameAndReadsItsPage() throws Exception {
		Organization hospital = data.syntheticFacility("Bệnh viện Đa khoa tỉnh");
		String province = hospital.getAddressFirstRep().getState().replaceFirst("^(Thành phố|Tỉnh) ", "");
		browser.driver().get(TestServer.shared().rootUrl() + "/cong-khai/");
		assertThat(browser.driver().findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("vi");

		new Select(browser.driver().findElement(By.name("tinh"))).selectByVisibleText(province);
		WebElement name = browser.driver().findElement(By.name("ten"));
		// typed as on a keyboard without Vietnamese input: no accents, "đ" as "d"
		String typed = java.text.Normalizer.normalize(hospital.getName(), java.text.Normalizer.Form.NFD)
				.replaceAll("\\p{M}", "").replace('đ', 'd').replace('Đ', 'D').toLowerCase(java.util.Locale.ROOT);
		assertThat(typed).startsWith("benh vien da khoa");
		name.sendKeys(typed);
		name.submit();
		browser.waiting().until(ExpectedConditions.urlContains("ten=benh+vien+da+khoa"));
		String id = hospital.getIdElement().getIdPart();
		List<WebElement> rows = browser.driver().findElements(By.cssSelector("#facilities tbody tr"));
		assertThat(rows).isNotEmpty();
		assertThat(rows).allSatisfy(row -> assertThat(row.getText()).contains(province).containsIgnoringCase("Bệnh viện"));
		assertThat(Files.size(browser.screenshot(SCREENSHOTS.resolve("cong-khai-tim-kiem.png")))).isGreaterThan(1_000);

		browser.driver().findElement(By.cssSelector("a[href='co-so/" + id + "']")).click();
		browser.waiting().until(ExpectedConditions.urlContains("/cong-khai/co-so/" + id));
		assertThat(browser.driver().findElement(By.tagName("h1")).getText()).isEqualTo(hospital.getName());
		for (String section : List.of("licence", "quality", "prices", "staff")) {
			assertThat(browser.driver().findElement(By.id(section)).getText()).as(section).doesNotContain("Chưa công bố");
		}
		assertThat(browser.driver().findElement(By.id("staff")).getText()).contains("T2–T6 07:00–17:00");
		assertThat(Files.size(browser.screenshot(SCREENSHOTS.resolve("cong-khai-co-so.png")))).isGreaterThan(1_000);
		((org.openqa.selenium.JavascriptExecutor) browser.driver()).executeScript(
				"document.getElementById('prices').scrollIntoView()");
		assertThat(Files.size(browser.screenshot(SCREENSHOTS.resolve("cong-khai-gia-va-gio-lam-viec.png")))).isGreaterThan(1_000);
	}

	@Test
	void markupInANameIsShownAsTextAndRunsNothing() {
		browser.driver().get(TestServer.shared().rootUrl() + "/cong-khai/co-so/" + hostile);
		assertThat(browser.driver().findElement(By.tagName("h1")).getText()).startsWith("<img src=x onerror=");
		assertThat(browser.driver().findElements(By.tagName("img"))).isEmpty();
		// the handler would have set the title to exactly "pwned"; the name stays in it as text
		assertThat(browser.driver().getTitle()).isNotEqualTo("pwned").startsWith("<img src=x onerror=");
	}

	@Test
	void theHomePageLeadsToTheDisclosure() {
		browser.driver().get(TestServer.shared().rootUrl() + "/");
		browser.driver().findElement(By.cssSelector("a[href='cong-khai/']")).click();
		browser.waiting().until(ExpectedConditions.urlContains("/cong-khai/"));
		assertThat(browser.driver().findElement(By.tagName("h1")).getText()).contains("Công khai thông tin");
	}
}
