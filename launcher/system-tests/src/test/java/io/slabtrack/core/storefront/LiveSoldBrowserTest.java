package io.slabtrack.core.storefront;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.stripe.StripeSimFixture;
import io.slabtrack.cluster.testing.Browser;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.cluster.testing.TestTokens;
import io.slabtrack.core.CoreApp;
import io.slabtrack.core.CoreFixture;
import io.slabtrack.storefront.StorefrontApp;
import io.slabtrack.tot.TotApp;
import io.vertx.sqlclient.Tuple;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A buyer has a shop page open in a real browser; another buyer plays one of its cards on ToT and pays on the
 * hosted page (core, ToT and the Storefront on one node, stripe-java against the simulator). ToT's claim wins at
 * core, core switches the shop's listing off (sold elsewhere), its outbox publishes {@code card.sold} on
 * {@code public.cards.storefront}, the Storefront's SockJS bridge hands it to the page, and live.js marks the tile
 * "Sold" without a reload. The other card is untouched.
 */
class LiveSoldBrowserTest {
  private static final String TOT_WEBHOOK_SECRET = "whsec_test_live_tot";
  private static StripeSimFixture sim;
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    sim = new StripeSimFixture(AppName.STOREFRONT);
    node = TestNode.start(Map.of("STRIPE_API_BASE", sim.simulator.baseUrl(), "TOT_STRIPE_WEBHOOK_SECRET",
        TOT_WEBHOOK_SECRET), new CoreApp(), new StorefrontApp(), new TotApp());
    sim.control("/_sim/webhook_endpoints", new JsonObject()
        .put("url", node.url(AppName.TOT, "/api/stripe/webhook")).put("secret", TOT_WEBHOOK_SECRET));
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

      String playId = flipOnTot(sold);
      long t0 = System.nanoTime();
      payOnHostedPage(playId);
      new org.openqa.selenium.support.ui.WebDriverWait(b.driver, Duration.ofSeconds(15)).until(
          ExpectedConditions.presenceOfElementLocated(By.cssSelector(".tile[data-card-id='" + sold
              + "'][data-live-state='sold']")));
      long millis = (System.nanoTime() - t0) / 1_000_000;
      System.out.println("ToT payment authorized -> tile marked Sold in the open shop page: " + millis + " ms");
      assertThat(call(AppName.CORE, "GET", "/api/cards/" + sold, null).json().getJsonObject("sold")
          .getString("channel")).as("core sold it to ToT").isEqualTo("thisorthat");
      assertThat(b.driver.findElement(By.cssSelector(".tile[data-card-id='" + sold + "'] .live-note")).getText())
          .isEqualTo("Sold");
      assertThat(b.driver.findElements(By.cssSelector(".tile[data-card-id='" + sold + "'] form"))).isEmpty();
      assertThat(b.driver.findElements(By.cssSelector(".tile[data-card-id='" + stays + "'][data-live-state]")))
          .isEmpty();
      b.shoot("live-sold");
    }
  }

  /** A buyer's flip of the card's ToT single, committed for the hosted payment page. */
  private static String flipOnTot(long cardId) throws Exception {
    long[] listingId = {0};
    CoreFixture.await("the card's single listed on ToT", Duration.ofSeconds(30), () -> {
      try {
        var rows = node.runtime(AppName.TOT).context().pool().preparedQuery("SELECT l.id FROM listings l "
                + "JOIN listing_cards c ON c.listing_id = l.id WHERE c.card_id = $1 AND l.status = 'ACTIVE' "
                + "AND l.kind = 'single'")
            .execute(Tuple.of(cardId)).await(30, TimeUnit.SECONDS);
        if (rows.size() == 0) {
          return false;
        }
        listingId[0] = rows.iterator().next().getLong(0);
        return true;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    JsonObject body = new JsonObject().put("listingIds", new JsonArray().add(listingId[0])).put("payment", "checkout")
        .put("email", "player@example.com").put("shippingAddress", new JsonObject().put("name", "P")
            .put("line1", "1 Main").put("city", "Memphis").put("postalCode", "38103").put("country", "US"));
    CoreFixture.Resp play = call(AppName.TOT, "POST", "/api/play/flip", body);
    assertThat(play.status()).as(play.body()).isEqualTo(201);
    return play.json().getString("playId");
  }

  /** The buyer pays on the simulator's hosted page with the card that authorizes. */
  private static void payOnHostedPage(String playId) throws Exception {
    String session = node.runtime(AppName.TOT).context().pool()
        .preparedQuery("SELECT checkout_session_id FROM plays WHERE id = $1").execute(Tuple.of(playId))
        .await(30, TimeUnit.SECONDS).iterator().next().getString(0);
    var paid = sim.control("/_sim/checkout/" + session + "/pay", new JsonObject());
    assertThat(paid.statusCode()).as(paid.bodyAsString()).isEqualTo(200);
  }
}
