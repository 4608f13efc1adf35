package io.slabtrack.cluster.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless {@code chromium} driven through {@code chromium-driver} (both from apt; README, "Run the
 * tests"), with a fresh profile per browser, and screenshots of each step at phone and desktop size under
 * {@code target/screenshots/} for people to look at.
 */
public final class Browser implements AutoCloseable {
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  public static final Dimension PHONE = new Dimension(390, 844);
  public static final Dimension DESKTOP = new Dimension(1280, 800);
  private static final Path SHOTS = Path.of("target", "screenshots");

  public final WebDriver driver;
  private final Path profile;
  private final String flow;

  public Browser(String flow) throws IOException {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new IllegalStateException("browser tests need Debian's chromium and chromium-driver: "
          + "apt-get install -y chromium chromium-driver (.ci/run installs them)");
    }
    this.flow = flow;
    profile = Files.createTempDirectory("slabtrack-chromium-");
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
        .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--user-data-dir=" + profile,
            "--window-size=" + DESKTOP.width + "," + DESKTOP.height);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
  }

  public void open(String url) {
    driver.get(url);
  }

  public <T> T await(String what, ExpectedCondition<T> condition) {
    return new WebDriverWait(driver, Duration.ofSeconds(30)).withMessage(what).until(condition);
  }

  /**
   * What sticks out of its box at the current window size: every element inside a {@code containerSelector} match
   * whose box reaches past that container's left or right edge (a price cut off by the tile's rounded corners on a
   * phone), as {@code "tag.class: text"}; empty when everything fits.
   */
  @SuppressWarnings("unchecked")
  public List<String> overflowing(String containerSelector) {
    return (List<String>) ((JavascriptExecutor) driver).executeScript("""
        const out = [];
        for (const container of document.querySelectorAll(arguments[0])) {
          const box = container.getBoundingClientRect();
          for (const e of container.querySelectorAll('*')) {
            const r = e.getBoundingClientRect();
            if (r.width > 0 && (r.right > box.right + 0.5 || r.left < box.left - 0.5)) {
              out.push(e.tagName.toLowerCase() + '.' + e.className + ': ' + e.textContent.trim().slice(0, 40));
            }
          }
        }
        return out;""", containerSelector);
  }

  /**
   * The current page at 390×844 and at 1280×800 ({@code target/screenshots/<flow>-<step>-<w>x<h>.png}); fails
   * when, at either size, the page is wider than the window (a buyer on a phone would have to scroll sideways).
   */
  public void shoot(String step) throws IOException {
    Files.createDirectories(SHOTS);
    for (Dimension size : new Dimension[] {PHONE, DESKTOP}) {
      driver.manage().window().setSize(size);
      Path file = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
      Files.move(file, SHOTS.resolve(flow + "-" + step + "-" + size.width + "x" + size.height + ".png"),
          StandardCopyOption.REPLACE_EXISTING);
      List<String> wide = widerThanTheWindow();
      if (!wide.isEmpty()) {
        throw new AssertionError(flow + " " + step + " at " + size.width + "x" + size.height
            + ": the page is wider than the window; sticking out: " + wide);
      }
    }
    driver.manage().window().setSize(DESKTOP);
  }

  /** The elements reaching past the window's right edge ({@code "tag.class: text"}), when the page scrolls sideways. */
  @SuppressWarnings("unchecked")
  private List<String> widerThanTheWindow() {
    return (List<String>) ((JavascriptExecutor) driver).executeScript("""
        const root = document.documentElement;
        if (root.scrollWidth <= root.clientWidth) { return []; }
        const out = [];
        for (const e of document.body.querySelectorAll('*')) {
          if (e.getBoundingClientRect().right > root.clientWidth + 0.5 && out.length < 10) {
            out.push(e.tagName.toLowerCase() + '.' + e.className + ': ' + e.textContent.trim().slice(0, 40));
          }
        }
        return out;""");
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
