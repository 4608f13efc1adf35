package io.slabtrack.storefront.pages;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.Browser;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.cluster.testing.TestTokens;
import io.slabtrack.storefront.StorefrontFixture;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.support.pagefactory.ByChained;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Swagger UI at /docs in a real browser under the app's Content-Security-Policy: it renders every operation, the
 * console shows no CSP violation, and "Try it out" runs a call with the browser's session cookie.
 */
class ApiDocsBrowserTest {
  @RegisterExtension
  static final StorefrontFixture storefront = StorefrontFixture.perClass();

  @Test
  void theExplorerRendersUnderTheCspAndRunsACallWithTheSessionCookie() throws Exception {
    try (Browser browser = new Browser("api-docs")) {
      browser.open(storefront.node.url(AppName.STOREFRONT, "/health"));
      browser.driver.manage().addCookie(new Cookie("st_storefront",
          TestTokens.operator(TestNode.SECRET, AppName.STOREFRONT)));
      browser.open(storefront.node.url(AppName.STOREFRONT, "/docs"));
      browser.await("operations rendered", ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector(".opblock"), 20));
      browser.shoot("rendered");

      By op = By.xpath("//div[contains(@class,'opblock-get')][.//*[@data-path='/api/storefronts']]");
      browser.driver.findElement(op).findElement(By.cssSelector(".opblock-summary")).click();
      browser.await("try it out", ExpectedConditions.elementToBeClickable(
          new ByChained(op, By.cssSelector(".try-out__btn")))).click();
      browser.await("execute", ExpectedConditions.elementToBeClickable(
          new ByChained(op, By.cssSelector(".execute")))).click();
      WebElement status = browser.await("a live response", ExpectedConditions.visibilityOfElementLocated(
          new ByChained(op, By.cssSelector(".live-responses-table tbody .response-col_status"))));
      browser.shoot("executed");
      assertThat(status.getText().trim()).as("the call ran with the operator's cookie").startsWith("200");

      List<String> violations = browser.driver.manage().logs().get(LogType.BROWSER).getAll().stream()
          .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
          .map(LogEntry::getMessage).filter(m -> m.contains("Content Security Policy")).toList();
      assertThat(violations).isEmpty();
    }
  }
}
