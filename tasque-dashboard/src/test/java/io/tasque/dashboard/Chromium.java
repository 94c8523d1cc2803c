package io.tasque.dashboard;

import java.io.File;
import java.time.Duration;
import java.util.Optional;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through its own chromedriver, both found by path ({@code TASQUE_CHROMIUM} and
 * {@code TASQUE_CHROMEDRIVER}, else {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver}): Selenium is handed
 * both, so its manager never runs and nothing is downloaded.
 */
final class Chromium {

    static final String MISSING = "browser tests skipped: no chromium/chromedriver found; install Debian's chromium and chromium-driver";

    private final File browser;
    private final File driver;

    private Chromium(File browser, File driver) {
        this.browser = browser;
        this.driver = driver;
    }

    /** The browser and driver, if both are there and executable. */
    static Optional<Chromium> find() {
        File browser = new File(env("TASQUE_CHROMIUM", "/usr/bin/chromium"));
        File driver = new File(env("TASQUE_CHROMEDRIVER", "/usr/bin/chromedriver"));
        return browser.canExecute() && driver.canExecute() ? Optional.of(new Chromium(browser, driver)) : Optional.empty();
    }

    private static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v;
    }

    /** A new headless browser window of 1280×860. */
    ChromeDriver start() {
        System.setProperty("webdriver.chrome.driver", driver.getAbsolutePath());
        System.setProperty("SE_OFFLINE", "true");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,860", "--hide-scrollbars", "--no-first-run", "--disable-extensions");
        ChromeDriver d = new ChromeDriver(service, options);
        d.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        return d;
    }
}
