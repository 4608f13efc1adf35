package io.slabtrack.storefront.pages;

import static io.slabtrack.storefront.StorefrontFixture.cardEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.Browser;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.storefront.PayingShop;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A buyer in a real browser (headless chromium) on a connected shop, paying on the Stripe simulator's hosted page:
 * browse, filter, open a card, two cards into the cart, check out, pay, the paid order page; Cancel on the payment
 * page back to the cart with the cards free at once; a card sold on ToT while in the cart is flagged there.
 */
class BuyerBrowserTest {
  private static final AtomicLong IDS = new AtomicLong(800_000);
  private static final String SLUG = PayingShop.SLUG;
  private static PayingShop shop;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    int port = TestNode.freePort();
    base = "http://127.0.0.1:" + port;
    // Stripe sends the browser back to STOREFRONT_PUBLIC_URL, so the shop listens where that says
    shop = new PayingShop(false, Map.of("STOREFRONT_PORT", String.valueOf(port), "STOREFRONT_PUBLIC_URL", base));
  }

  @AfterAll
  static void stop() throws Exception {
    shop.close();
  }

  private static long card(String player, long price) throws Exception {
    long id = IDS.incrementAndGet();
    shop.sf.publish(cardEvent("publish", SLUG, id, 1, price, new JsonObject().put("player", player).put("year", 2020)
        .put("setName", "Panini Prizm").put("gradingCompany", "PSA").put("grade", 10).put("cardNumber", "12")
        .put("certNumber", "7700" + id)));
    return id;
  }

  private static Map<Long, ?> held(long... ids) throws Exception {
    return shop.sf.node.runtime(AppName.STOREFRONT).context().saleLocks()
        .holders(Arrays.stream(ids).boxed().toList()).await(30, TimeUnit.SECONDS);
  }

  private static void fillCheckout(Browser b) {
    Map<String, String> fields = Map.of("email", "bea@example.com", "name", "Bea Buyer", "line1", "2 Elm St",
        "city", "Boston", "state", "MA", "postalCode", "02101");
    fields.forEach((name, value) -> b.driver.findElement(By.name(name)).sendKeys(value));
  }

  @Test
  void browseFilterOpenACardAddTwoCheckOutPayAndLandOnThePaidOrder() throws Exception {
    long first = card("Browser Ace", 4500);
    long second = card("Browser Deuce", 3000);
    card("Someone Else Entirely", 1000);
    try (Browser b = new Browser("buy")) {
      b.open(base + "/s/" + SLUG);
      assertThat(b.driver.findElement(By.tagName("h1")).getText()).isEqualTo("Shop " + SLUG);
      b.shoot("01-shop");

      // phone first: at 390 px the grid and its buttons fit the screen
      b.driver.manage().window().setSize(Browser.PHONE);
      WebElement tile = b.driver.findElement(By.cssSelector("#results .tile"));
      assertThat(tile.getRect().getX() + tile.getRect().getWidth()).isLessThanOrEqualTo(Browser.PHONE.width);
      assertThat(b.overflowing("#results .tile")).as("cut off on a phone").isEmpty();
      b.driver.manage().window().setSize(Browser.DESKTOP);
      assertThat(b.overflowing("#results .tile")).as("cut off on a desktop").isEmpty();

      WebElement player = b.driver.findElement(By.id("f-player"));
      player.sendKeys("Browser");
      b.driver.findElement(By.cssSelector(".filter-actions button")).click();
      b.await("filtered to two cards", ExpectedConditions.textToBe(By.cssSelector("[data-test=result-count]"),
          "2 cards match your filters"));
      assertThat(b.driver.getCurrentUrl()).contains("player=Browser");
      b.shoot("02-filtered");

      b.driver.findElement(By.cssSelector("#results .tile[data-card-id='" + first + "'] .tile-link")).click();
      b.await("card page", ExpectedConditions.urlContains("/cards/" + first));
      assertThat(b.driver.findElement(By.cssSelector("[data-test=price]")).getText()).isEqualTo("$45.00");
      b.shoot("03-card");
      b.driver.findElement(By.xpath("//button[normalize-space()='Add to cart']")).click();
      b.await("cart badge 1", ExpectedConditions.textToBe(By.cssSelector("[data-cart-count]"), "1"));

      b.driver.navigate().back();
      b.await("back on the filtered shop", ExpectedConditions.urlContains("player=Browser"));
      b.driver.findElement(By.cssSelector(".tile[data-card-id='" + second + "'] button")).click();
      b.await("cart badge 2", ExpectedConditions.textToBe(By.cssSelector("[data-cart-count]"), "2"));

      b.driver.findElement(By.cssSelector(".cart-link")).click();
      b.await("cart", ExpectedConditions.numberOfElementsToBe(By.cssSelector(".cart-line"), 2));
      assertThat(b.driver.findElement(By.cssSelector("[data-test=cart-total]")).getText()).isEqualTo("$75.00");
      b.shoot("04-cart");

      b.driver.findElement(By.cssSelector("[data-test=to-checkout]")).click();
      b.await("checkout form", ExpectedConditions.presenceOfElementLocated(By.name("email")));
      fillCheckout(b);
      b.shoot("05-checkout");
      b.driver.findElement(By.cssSelector("[data-test=pay]")).click();
      b.await("the simulator's payment page", ExpectedConditions.urlContains(shop.sim.simulator.baseUrl()
          + "/checkout/"));
      assertThat(held(first, second)).hasSize(2);
      b.shoot("06-payment");
      b.driver.findElement(By.xpath("//button[contains(., 'Pay with test card')]")).click();

      b.await("back on the order page", ExpectedConditions.urlContains(base + "/orders/"));
      b.await("the order paid", ExpectedConditions.textToBe(By.cssSelector("[data-test=order-heading]"),
          "Paid — thank you!"));
      assertThat(b.driver.findElement(By.cssSelector("[data-test=order-detail]")).getText()).contains("$75.00");
      assertThat(b.driver.findElement(By.cssSelector("[data-cart-count]")).getText()).as("the cart emptied")
          .isEqualTo("0");
      b.shoot("07-paid");
    }
  }

  @Test
  void cancelOnThePaymentPageLeadsBackToTheCartWithTheCardsFreeAtOnce() throws Exception {
    long id = card("Cancel Carter", 2200);
    try (Browser b = new Browser("cancel")) {
      b.open(base + "/s/" + SLUG + "/cards/" + id);
      b.driver.findElement(By.xpath("//button[normalize-space()='Buy now']")).click();
      b.await("checkout form", ExpectedConditions.presenceOfElementLocated(By.name("email")));
      fillCheckout(b);
      b.driver.findElement(By.cssSelector("[data-test=pay]")).click();
      b.await("the simulator's payment page", ExpectedConditions.urlContains("/checkout/cs_"));
      assertThat(held(id)).hasSize(1);
      b.driver.findElement(By.xpath("//button[normalize-space()='Cancel']")).click();
      b.await("back in the cart", ExpectedConditions.urlContains("/s/" + SLUG + "/cart?note=cancelled"));
      assertThat(b.driver.findElement(By.cssSelector("[data-test=note-cancelled]")).getText())
          .contains("not charged");
      assertThat(held(id)).as("released at once").isEmpty();
      assertThat(b.driver.findElements(By.cssSelector(".cart-line"))).hasSize(1);
      assertThat(b.driver.findElements(By.cssSelector(".flagged"))).isEmpty();
      b.shoot("08-cancelled");
    }
  }

  @Test
  void aCardSoldOnTotWhileInTheCartIsFlagged() throws Exception {
    long keep = card("Still Here", 1500);
    long gone = card("Sold On Tot", 1800);
    try (Browser b = new Browser("sold")) {
      for (long id : List.of(keep, gone)) {
        b.open(base + "/s/" + SLUG + "/cards/" + id);
        b.driver.findElement(By.xpath("//button[normalize-space()='Add to cart']")).click();
        b.await("added", ExpectedConditions.textToBe(By.xpath("//button[normalize-space()='In cart']"), "In cart"));
      }
      // ToT's claim won in core: core takes the listing down here (EVENT-BUS.md, reason sold_elsewhere)
      shop.sf.publish(cardEvent("disengage", SLUG, gone, 2, null, null).put("reason", "sold_elsewhere"));
      b.open(base + "/s/" + SLUG + "/cart");
      WebElement line = b.driver.findElement(By.cssSelector(".cart-line[data-card-id='" + gone + "']"));
      assertThat(line.findElement(By.cssSelector("[data-test=flag-sold]")).getText()).startsWith("Sold");
      assertThat(b.driver.findElement(By.cssSelector("[data-test=cart-total]")).getText()).isEqualTo("$15.00");
      b.shoot("09-sold-in-cart");
      b.driver.findElement(By.cssSelector("[data-test=to-checkout]")).click();
      b.await("checkout of what is left", ExpectedConditions.numberOfElementsToBe(
          By.cssSelector(".summary-lines li"), 1));
    }
  }
}
