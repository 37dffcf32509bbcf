package vn.ehealth.fhir.tests.guide;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import vn.ehealth.fhir.tests.support.Browser;
import vn.ehealth.fhir.tests.support.TestServer;

/** The guide's pages as a person sees them, in a real headless Chromium: Vietnamese intact, links followed. */
class GuidePagesBrowserTest {

	@Test
	void theIndexRendersInVietnameseAndItsProfileLinkOpensThePage() throws Exception {
		try (Browser browser = Browser.open()) {
			browser.driver().get(TestServer.shared().rootUrl() + "/ig/");
			assertThat(browser.driver().findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("vi");
			assertThat(browser.driver().findElement(By.tagName("body")).getText()).contains("Hồ sơ", "Hệ mã");

			WebElement patientProfile = browser.driver().findElement(By.cssSelector("a[href='StructureDefinition/vn-patient']"));
			patientProfile.click();
			browser.waiting().until(ExpectedConditions.urlContains("/ig/StructureDefinition/vn-patient"));
			assertThat(browser.driver().findElement(By.tagName("body")).getText()).contains("vn-patient");

			Path shot = browser.screenshot(Path.of("target", "screenshots", "guide-vn-patient.png"));
			assertThat(Files.size(shot)).isGreaterThan(1_000);
		}
	}
}
