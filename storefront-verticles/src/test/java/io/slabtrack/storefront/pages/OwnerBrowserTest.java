package io.slabtrack.storefront.pages;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.auth.Role;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.Browser;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.cluster.testing.TestTokens;
import io.slabtrack.storefront.PayingShop;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The shop owner in a real browser (headless chromium): core's one-time handoff link (no {@code next}) signs them in
 * and lands on their shop's manage page, they mark a paid order shipped with carrier and tracking, and the buyer's
 * order page shows both. Screenshots under {@code target/screenshots/owner-*}.
 */
class OwnerBrowserTest {
  private static final String SLUG = PayingShop.SLUG;
  private static PayingShop shop;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    shop = new PayingShop();
    base = "http://127.0.0.1:" + shop.sf.node.httpPort(AppName.STOREFRONT);
  }

  @AfterAll
  static void stop() throws Exception {
    shop.close();
  }

  @Test
  void handoffLandsOnTheManagePageMarkShippedAndTheBuyerSeesTracking() throws Exception {
    long card = shop.card(5400);
    String order = shop.order(card);
    shop.pay(order);
    shop.awaitState(order, "paid");
    String buyerToken = shop.sf.sql("SELECT buyer_token FROM orders WHERE id = $1", order).iterator().next()
        .getString("buyer_token");

    try (Browser b = new Browser("owner")) {
      String handoff = TestTokens.handoff(TestNode.SECRET, "ursula", AppName.STOREFRONT, Role.VENDOR);
      b.open(base + "/auth/handoff?token=" + handoff);
      b.await("the shop's manage page", ExpectedConditions.urlToBe(base + "/s/" + SLUG + "/manage"));
      assertThat(b.driver.findElement(By.tagName("h1")).getText()).isEqualTo("Manage Shop " + SLUG);
      assertThat(b.driver.findElement(By.cssSelector("[data-test=payments-state]")).getAttribute("data-state"))
          .isEqualTo("ready");
      b.shoot("01-manage");

      WebElement row = b.driver.findElement(By.cssSelector("[data-test=order][data-order-id='" + order + "']"));
      assertThat(row.getText()).contains("$54.00", "Bea Buyer");
      row.findElement(By.name("carrier")).sendKeys("USPS");
      row.findElement(By.name("trackingNumber")).sendKeys("9400111899223344556677");
      row.findElement(By.cssSelector("[data-test=ship]")).click();
      b.await("shipped note", ExpectedConditions.presenceOfElementLocated(
          By.cssSelector("[data-test=manage-note][data-note=shipped]")));
      WebElement shipped = b.driver.findElement(By.cssSelector("[data-test=order][data-order-id='" + order + "']"));
      assertThat(shipped.getAttribute("data-state")).isEqualTo("shipped");
      assertThat(shipped.findElement(By.cssSelector("[data-test=tracking]")).getText())
          .isEqualTo("9400111899223344556677");
      b.shoot("02-shipped");

      // the theme preview follows the form before anything is saved
      WebElement preview = b.driver.findElement(By.cssSelector("[data-test=theme-preview]"));
      assertThat(preview.getAttribute("class")).contains("preset-classic", "palette-slate");
      new org.openqa.selenium.support.ui.Select(b.driver.findElement(By.id("d-preset"))).selectByValue("dark");
      new org.openqa.selenium.support.ui.Select(b.driver.findElement(By.id("d-palette"))).selectByValue("neon");
      assertThat(preview.getAttribute("class")).contains("preset-dark", "palette-neon").doesNotContain("slate");
      ((org.openqa.selenium.JavascriptExecutor) b.driver).executeScript("arguments[0].scrollIntoView()", preview);
      b.shoot("03-theme-preview");
    }

    try (Browser buyer = new Browser("owner-buyer")) {
      buyer.open(base + "/orders/" + order + "?token=" + buyerToken);
      String tracking = buyer.await("tracking on the order page", ExpectedConditions.visibilityOfElementLocated(
          By.cssSelector("[data-test=tracking]"))).getText();
      assertThat(tracking).contains("USPS", "9400111899223344556677");
      buyer.shoot("04-buyer-order");
    }
  }
}
