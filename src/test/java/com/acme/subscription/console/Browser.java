package com.acme.subscription.console;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driven through the installed chromedriver, for the console's browser tests. The binary and
 * the driver are always given explicitly, so Selenium Manager never runs and nothing is downloaded.
 * Use with {@link BrowserTest} and try-with-resources.
 */
public final class Browser implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(10);
    public static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final String DEFAULT_CHROMIUM = "/usr/bin/chromium";
    private static final String DEFAULT_CHROMEDRIVER = "/usr/bin/chromedriver";

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** CHROME_BIN, else Debian's /usr/bin/chromium. */
    public static String chromiumPath() {
        return envOr("CHROME_BIN", DEFAULT_CHROMIUM);
    }

    /** CHROMEDRIVER, else Debian's /usr/bin/chromedriver. */
    public static String chromedriverPath() {
        return envOr("CHROMEDRIVER", DEFAULT_CHROMEDRIVER);
    }

    public static boolean available() {
        return Files.isExecutable(Path.of(chromiumPath())) && Files.isExecutable(Path.of(chromedriverPath()));
    }

    /** Why the browser tests cannot run here, as printed when they are skipped. */
    public static String unavailableReason() {
        return "Browser tests skipped: " + whatIsMissing();
    }

    /** What is missing and how to install it, e.g. "no Chromium found (looked for ...). Install them with ...". */
    public static String whatIsMissing() {
        String missing = !Files.isExecutable(Path.of(chromiumPath())) ? "no Chromium" : "no chromedriver";
        return missing + " found (looked for " + chromiumPath() + " and " + chromedriverPath() + "). Install them"
                + " with `apt-get install -y chromium chromium-driver` (as root) and run ./mvnw verify again.";
    }

    public static Browser open() {
        // Selenium Manager's usage statistics: off, even though the explicit paths below keep it from running
        System.setProperty("SE_AVOID_STATS", "true");
        Path profile;
        try {
            profile = Files.createTempDirectory("console-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromiumPath());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-default-apps", "--window-size=1280,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriverPath()))
                .usingAnyFreePort()
                .build();
        try {
            return new Browser(new ChromeDriver(service, options), profile);
        } catch (RuntimeException e) {
            deleteTree(profile);
            throw e;
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    public Browser get(String url) {
        driver.get(url);
        return this;
    }

    /**
     * A PNG of the whole page, in target/console-screenshots/name.png: the window is stretched to the
     * page's height for the shot (so a reviewer sees everything below the fold) and then put back.
     */
    public Path screenshot(String name) {
        Dimension window = driver.manage().window().getSize();
        Number height = (Number) driver.executeScript("return document.documentElement.scrollHeight");
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            driver.manage().window().setSize(new Dimension(window.getWidth(),
                    Math.max(window.getHeight(), Math.min(height.intValue() + 140, 6000))));
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            driver.manage().window().setSize(window);
        }
    }

    /** An iPhone-sized window (390x844). */
    public Browser phone() {
        driver.manage().window().setSize(new Dimension(390, 844));
        return this;
    }

    public Browser laptop() {
        driver.manage().window().setSize(new Dimension(1280, 900));
        return this;
    }

    /** Waits (up to 10 s) until the element is visible. */
    public WebElement waitFor(By locator) {
        return until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    /** Waits (up to 10 s) until the element's text contains the given text. */
    public WebElement waitForText(By locator, String text) {
        return until(page -> {
            WebElement element = page.findElement(locator);
            return element.getText().contains(text) ? element : null;
        });
    }

    /**
     * Waits (up to 10 s) for the condition, asking again while the page is being replaced: an element
     * found in the old document can be gone when it is read. Selenium reports that as a stale element,
     * or Chromium as a node that "does not belong to the document" (a plain WebDriverException).
     */
    private <T> T until(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class).until(page -> {
            try {
                return condition.apply(page);
            } catch (WebDriverException e) {
                if (e.getMessage() != null && e.getMessage().contains("does not belong to the document")) {
                    return null;
                }
                throw e;
            }
        });
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteTree(profile);
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover profile in the temp directory is not worth failing a test for
        }
    }
}
