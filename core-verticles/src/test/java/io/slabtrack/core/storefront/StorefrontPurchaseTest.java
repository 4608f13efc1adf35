package io.slabtrack.core.storefront;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.stripe.StripeSettings;
import io.slabtrack.cluster.stripe.StripeSimFixture;
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
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Core and the Storefront on one node with stripe-java against the simulator: the operator engages a card into a
 * shop, a buyer checks out and pays, core's claim decides, the Storefront captures, and core shows the card sold
 * to the storefront order, the other channel's row inactive and the order in its ledger.
 */
class StorefrontPurchaseTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static StripeSimFixture sim;
  private static TestNode node;
  private static final String OPERATOR = TestTokens.operator(TestNode.SECRET);

  @BeforeAll
  static void start() throws Exception {
    sim = new StripeSimFixture(AppName.STOREFRONT);
    node = TestNode.start(Map.of("STRIPE_API_BASE", sim.simulator.baseUrl()), new CoreApp(), new StorefrontApp());
    sim.control("/_sim/webhook_endpoints", new JsonObject()
        .put("url", node.url(AppName.STOREFRONT, "/api/stripe/webhook"))
        .put("secret", StripeSettings.DEV_STOREFRONT_WEBHOOK_SECRET).put("connect", false));
    sim.control("/_sim/webhook_endpoints", new JsonObject()
        .put("url", node.url(AppName.STOREFRONT, "/api/stripe/connect/webhook"))
        .put("secret", StripeSettings.DEV_STOREFRONT_CONNECT_WEBHOOK_SECRET).put("connect", true));
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
    sim.close();
  }

  private static CoreFixture.Resp call(AppName app, String method, String path, Object body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.url(app, path))).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + OPERATOR);
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString()));
    HttpResponse<String> r = CoreFixture.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new CoreFixture.Resp(r.statusCode(), r.body());
  }

  private static CoreFixture.Resp quietly(AppName app, String path) {
    try {
      return call(app, "GET", path, null);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void publishBrowseCheckoutAuthorizeClaimCaptureAndCoreShowsSold() throws Exception {
    assertThat(call(AppName.STOREFRONT, "POST", "/api/storefronts",
        new JsonObject().put("slug", "e2e-shop").put("name", "E2E")).status()).isEqualTo(201);
    CoreFixture.Resp link = call(AppName.STOREFRONT, "POST", "/api/storefronts/e2e-shop/stripe/onboarding", null);
    sim.http.getAbs(link.json().getString("url")).followRedirects(false).send().await();
    CoreFixture.await("shop connected", WAIT,
        () -> quietly(AppName.STOREFRONT, "/api/storefronts/e2e-shop").json().getBoolean("acceptingOrders"));

    CoreFixture.Resp created = call(AppName.CORE, "POST", "/api/cards", CoreFixture.card("Ja Morant", 10_000));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    long id = created.json().getLong("id");
    CoreFixture.Resp engaged = call(AppName.CORE, "POST", "/api/cards/" + id + "/channels/storefront",
        new JsonObject().put("shop", "e2e-shop").put("price", 9250));
    assertThat(engaged.status()).as(engaged.toString()).isEqualTo(200);
    CoreFixture.Resp tot = call(AppName.CORE, "POST", "/api/cards/" + id + "/channels/thisorthat", new JsonObject());

    // core's publish reaches the shop
    CoreFixture.await("card in the shop", WAIT,
        () -> quietly(AppName.STOREFRONT, "/api/storefronts/e2e-shop/cards/" + id).status() == 200);
    assertThat(quietly(AppName.STOREFRONT, "/api/storefronts/e2e-shop/cards/" + id).json().getLong("price"))
        .isEqualTo(9250L);

    CoreFixture.Resp checkout = call(AppName.STOREFRONT, "POST", "/api/storefronts/e2e-shop/checkout",
        new JsonObject().put("cardIds", new JsonArray().add(id)).put("email", "buyer@example.com")
            .put("shippingAddress", new JsonObject().put("name", "B").put("line1", "1 St").put("city", "Austin")
                .put("postalCode", "78701").put("country", "US")));
    assertThat(checkout.status()).as(checkout.toString()).isEqualTo(201);
    String orderId = checkout.json().getString("orderId");
    String session = quietly(AppName.STOREFRONT, "/api/storefronts/e2e-shop/orders/" + orderId).json()
        .getString("checkoutSessionId");
    assertThat(sim.control("/_sim/checkout/" + session + "/pay", new JsonObject()).statusCode()).isEqualTo(200);

    CoreFixture.await("order paid", WAIT, () -> "paid".equals(
        quietly(AppName.STOREFRONT, "/api/storefronts/e2e-shop/orders/" + orderId).json().getString("state")));
    JsonObject card = quietly(AppName.CORE, "/api/cards/" + id).json();
    assertThat(card.getString("listingStatus")).isEqualTo("sold");
    assertThat(card.getJsonObject("sold").getString("channel")).isEqualTo("storefront");
    assertThat(card.getJsonObject("sold").getString("orderRef")).isEqualTo(orderId);
    assertThat(tot.status()).as(tot.toString()).isEqualTo(200);
    {
      JsonObject totRow = card.getJsonArray("channels").stream().map(JsonObject.class::cast)
          .filter(c -> "thisorthat".equals(c.getString("channel"))).findFirst().orElseThrow();
      assertThat(totRow.getString("status")).as("ToT disengaged: " + totRow).isEqualTo("inactive");
    }
    CoreFixture.await("core's ledger shows the order paid", WAIT, () -> quietly(AppName.CORE,
        "/api/orders?channel=storefront").json().getJsonArray("items").stream().map(JsonObject.class::cast)
        .anyMatch(o -> orderId.equals(o.getString("orderRef")) && "paid".equals(o.getString("state"))));
  }
}
