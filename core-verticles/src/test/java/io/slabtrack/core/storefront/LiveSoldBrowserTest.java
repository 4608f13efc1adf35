package io.slabtrack.core.storefront;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.stripe.StripeSimFixture;
import io.slabtrack.cluster.testing.Browser;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.cluster.testing.TestTokens;
import io.slabtrack.core.CoreApp;
import io.slabtrack.core.CoreFixture;
import io.slabtrack.storefront.StorefrontApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A buyer has a shop page open in a real browser; ToT wins the claim for one of its cards (the message ToT sends
 * core once a buyer's payment is authorized). Core switches the shop's listing off (sold elsewhere), its outbox
 * publishes {@code card.sold} on {@code public.cards.storefront}, the Storefront's SockJS bridge hands it to the
 * page, and live.js marks the tile "Sold" — within two seconds, without a reload. The other card is untouched.
 */
class LiveSoldBrowserTest {
  private static StripeSimFixture sim;
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    sim = new StripeSimFixture(AppName.STOREFRONT);
    node = TestNode.start(Map.of("STRIPE_API_BASE", sim.simulator.baseUrl()), new CoreApp(), new StorefrontApp());
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
    sim.close();
  }

  private static CoreFixture.Resp call(AppName app, String method, String path, Object body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.url(app, path))).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + TestTokens.operator(TestNode.SECRET, app));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body.toString()));
    HttpResponse<String> r = CoreFixture.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new CoreFixture.Resp(r.statusCode(), r.body());
  }

  private static long listed(String player) throws Exception {
    CoreFixture.Resp created = call(AppName.CORE, "POST", "/api/cards", CoreFixture.card(player, 4000));
    assertThat(created.status()).isEqualTo(201);
    long id = created.json().getLong("id");
    assertThat(call(AppName.CORE, "POST", "/api/channels/commit", new JsonArray()
        .add(new JsonObject().put("cardId", id).put("channel", "thisorthat"))
        .add(new JsonObject().put("cardId", id).put("channel", "storefront").put("shop", "live"))).status())
        .isEqualTo(200);
    return id;
  }

  @Test
  void aCardSoldOnTotIsMarkedSoldOnAnOpenShopPage() throws Exception {
    assertThat(call(AppName.STOREFRONT, "POST", "/api/storefronts",
        new JsonObject().put("slug", "live").put("name", "Live")).status()).isEqualTo(201);
    long sold = listed("Gone Soon");
    long stays = listed("Still Here");
    CoreFixture.await("both cards in the shop", Duration.ofSeconds(30), () -> {
      try {
        return call(AppName.STOREFRONT, "GET", "/api/storefronts/live/cards", null).body().contains("Still Here")
            && call(AppName.STOREFRONT, "GET", "/api/storefronts/live/cards", null).body().contains("Gone Soon");
      } catch (Exception e) {
        return false;
      }
    });

    try (Browser b = new Browser("live-sold")) {
      b.open(node.url(AppName.STOREFRONT, "/s/live"));
      b.await("the page's bridge connected", ExpectedConditions.presenceOfElementLocated(
          By.cssSelector("[data-live][data-live-connected]")));
      Thread.sleep(300); // the register frame follows the connection

      long t0 = System.nanoTime();
      JsonObject won = node.vertx().eventBus().<JsonObject>request(Addresses.CORE_SALE_CLAIM, claim(sold),
          TestTokens.busFrom(TestNode.SECRET, AppName.TOT, AppName.CORE)).await(30, TimeUnit.SECONDS).body();
      assertThat(won.getString("outcome")).isEqualTo("won");
      new org.openqa.selenium.support.ui.WebDriverWait(b.driver, Duration.ofSeconds(2)).until(
          ExpectedConditions.presenceOfElementLocated(By.cssSelector(".tile[data-card-id='" + sold
              + "'][data-live-state='sold']")));
      long millis = (System.nanoTime() - t0) / 1_000_000;
      System.out.println("claim won -> tile marked Sold in the open page: " + millis + " ms");
      assertThat(b.driver.findElement(By.cssSelector(".tile[data-card-id='" + sold + "'] .live-note")).getText())
          .isEqualTo("Sold");
      assertThat(b.driver.findElements(By.cssSelector(".tile[data-card-id='" + sold + "'] form"))).isEmpty();
      assertThat(b.driver.findElements(By.cssSelector(".tile[data-card-id='" + stays + "'][data-live-state]")))
          .isEmpty();
      b.shoot("live-sold");
    }
  }

  private static JsonObject claim(long cardId) {
    String claimId = UUID.randomUUID().toString();
    return new JsonObject().put("eventId", UUID.randomUUID().toString()).put("occurredAt", Instant.now().toString())
        .put("claimId", claimId).put("channel", "thisorthat").put("orderRef", "order-" + claimId)
        .put("lockRef", "lock-" + claimId).put("cardIds", new JsonArray().add(cardId)).put("amountCents", 4000)
        .put("authExpiresAt", Instant.now().plus(Duration.ofDays(6)).toString());
  }
}
