package vn.ehealth.fhir.tests.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromium-driver} packages) driven by
 * Selenium, for the tests of the server's web pages. Nothing is downloaded: the driver and the browser
 * are the installed binaries, never Selenium Manager's. The flags keep Chromium from reaching for the
 * network on its own (this machine's network is closed: without them it retries Google's hosts at
 * every start). When the packages are missing and the tests run as root, they are installed once with
 * apt-get, so the README's one test command still does everything on a fresh Debian machine.
 */
public final class Browser implements AutoCloseable {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
	private static final Duration WAIT = Duration.ofSeconds(20);

	private final WebDriver driver;
	private final Path profile;

	private Browser(WebDriver driver, Path profile) {
		this.driver = driver;
		this.profile = profile;
	}

	/** A new headless browser with an empty profile, at 1280×900 so screenshots are comparable. */
	public static Browser open() {
		ensureInstalled();
		try {
			Path profile = Files.createTempDirectory("chromium-profile-");
			ChromeOptions options = new ChromeOptions();
			options.setBinary(CHROMIUM.toFile());
			options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
					"--no-first-run", "--disable-background-networking", "--disable-component-update",
					"--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=vi",
					"--user-data-dir=" + profile);
			ChromeDriverService service = new ChromeDriverService.Builder()
					.usingDriverExecutable(CHROMEDRIVER.toFile())
					.usingAnyFreePort()
					.build();
			return new Browser(new ChromeDriver(service, options), profile);
		} catch (IOException e) {
			throw new IllegalStateException("no temporary profile directory for Chromium", e);
		}
	}

	public WebDriver driver() {
		return driver;
	}

	/** A wait of up to 20 s for a page's script to draw what a test looks for. */
	public WebDriverWait waiting() {
		return new WebDriverWait(driver, WAIT);
	}

	/** Saves what the browser shows as a PNG (for docs/ screenshots and failed-test evidence). */
	public Path screenshot(Path target) {
		try {
			Files.createDirectories(target.toAbsolutePath().getParent());
			File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
			return Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		} catch (IOException e) {
			throw new IllegalStateException("screenshot not written to " + target, e);
		}
	}

	@Override
	public void close() {
		driver.quit();
		try (var files = Files.walk(profile)) {
			files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
		} catch (IOException ignored) {
			// a profile left in /tmp is harmless
		}
	}

	private static synchronized void ensureInstalled() {
		if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
			return;
		}
		if (!"root".equals(System.getProperty("user.name"))) {
			throw new IllegalStateException("Browser tests need Debian's Chromium: "
					+ "sudo apt-get install -y chromium chromium-driver");
		}
		run("apt-get", "update", "-q");
		run("apt-get", "install", "-y", "-q", "chromium", "chromium-driver");
		if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
			throw new IllegalStateException("apt-get did not install " + CHROMIUM + " and " + CHROMEDRIVER);
		}
	}

	private static void run(String... command) {
		try {
			Process process = new ProcessBuilder(command).inheritIO().start();
			if (!process.waitFor(15, TimeUnit.MINUTES) || process.exitValue() != 0) {
				throw new IllegalStateException(String.join(" ", command) + " failed");
			}
		} catch (IOException e) {
			throw new IllegalStateException(String.join(" ", command) + " could not start", e);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(String.join(" ", command) + " interrupted", e);
		}
	}
}
