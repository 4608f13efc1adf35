package io.slabtrack.core.storefront;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.shipping.ShippoSettings;
import io.slabtrack.cluster.shipping.ShippoSimFixture;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
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
  private static ShippoSimFixture shippo;
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    sim = new StripeSimFixture(AppName.STOREFRONT);
    shippo = new ShippoSimFixture();
    Map<String, String> env = new HashMap<>(shippo.env());
    env.put("STRIPE_API_BASE", sim.simulator.baseUrl());
    node = TestNode.start(env, new CoreApp(), new StorefrontApp());
    shippo.webhook(node.url(AppName.STOREFRONT, "/api/shipping/webhook?token=" + ShippoSettings.DEV_WEBHOOK_TOKEN));
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
    shippo.close();
  }

  private static CoreFixture.Resp call(AppName app, String method, String path, Object body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.url(app, path))).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + TestTokens.operator(TestNode.SECRET, app));
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

  private static void shop(String slug) throws Exception {
    assertThat(call(AppName.STOREFRONT, "POST", "/api/storefronts",
        new JsonObject().put("slug", slug).put("name", slug)).status()).isEqualTo(201);
    CoreFixture.Resp link = call(AppName.STOREFRONT, "POST", "/api/storefronts/" + slug + "/stripe/onboarding", null);
    sim.http.getAbs(link.json().getString("url")).followRedirects(false).send().await();
    CoreFixture.await("shop connected", WAIT,
        () -> quietly(AppName.STOREFRONT, "/api/storefronts/" + slug).json().getBoolean("acceptingOrders"));
  }

  /**
   * The race with ToT: the shop's checkout lock is gone (expired) when a ToT play claims the same card and wins;
   * the buyer still pays on the open session, the Storefront's claim loses, the authorization is cancelled and the
   * order cancelled "sold elsewhere" — one sale, nobody charged twice.
   */
  @Test
  void aRaceWithToTSellsOnceAndTheLoserIsNeverCharged() throws Exception {
    shop("race-shop");
    long id = call(AppName.CORE, "POST", "/api/cards", CoreFixture.card("Luka Doncic", 5_000)).json().getLong("id");
    assertThat(call(AppName.CORE, "POST", "/api/cards/" + id + "/channels/storefront",
        new JsonObject().put("shop", "race-shop")).status()).isEqualTo(200);
    assertThat(call(AppName.CORE, "POST", "/api/cards/" + id + "/channels/thisorthat", new JsonObject()).status())
        .isEqualTo(200);
    CoreFixture.await("card in the shop", WAIT,
        () -> quietly(AppName.STOREFRONT, "/api/storefronts/race-shop/cards/" + id).status() == 200);
    CoreFixture.Resp checkout = call(AppName.STOREFRONT, "POST", "/api/storefronts/race-shop/checkout",
        new JsonObject().put("cardIds", new JsonArray().add(id)).put("email", "buyer@example.com")
            .put("shippingAddress", new JsonObject().put("name", "B").put("line1", "1 St").put("city", "Austin")
                .put("postalCode", "78701").put("country", "US")));
    String orderId = checkout.json().getString("orderId");
    JsonObject order = quietly(AppName.STOREFRONT, "/api/storefronts/race-shop/orders/" + orderId).json();
    String lockRef = node.runtime(AppName.STOREFRONT).context().pool()
        .preparedQuery("SELECT lock_ref FROM orders WHERE id = $1").execute(io.vertx.sqlclient.Tuple.of(orderId))
        .await(30, java.util.concurrent.TimeUnit.SECONDS).iterator().next().getString(0);
    node.runtime(AppName.CORE).context().saleLocks().release(lockRef).await(30, java.util.concurrent.TimeUnit.SECONDS);

    JsonObject totClaim = new JsonObject().put("eventId", java.util.UUID.randomUUID().toString())
        .put("occurredAt", java.time.Instant.now().toString()).put("claimId", "tot-claim-race")
        .put("channel", "thisorthat").put("orderRef", "play-race").putNull("lockRef")
        .put("cardIds", new JsonArray().add(id)).put("amountCents", 5000)
        .put("authExpiresAt", java.time.Instant.now().plusSeconds(3600).toString());
    JsonObject answer = node.vertx().eventBus().<JsonObject>request(io.slabtrack.cluster.bus.Addresses.CORE_SALE_CLAIM,
        totClaim, io.slabtrack.cluster.testing.TestTokens.busFrom(io.slabtrack.cluster.testing.TestNode.SECRET, io.slabtrack.cluster.config.AppName.TOT, io.slabtrack.cluster.config.AppName.CORE)).await(30, java.util.concurrent.TimeUnit.SECONDS).body();
    assertThat(answer.getString("outcome")).isEqualTo("won");

    assertThat(sim.control("/_sim/checkout/" + order.getString("checkoutSessionId") + "/pay", new JsonObject())
        .statusCode()).isEqualTo(200);
    CoreFixture.await("storefront order cancelled", WAIT, () -> "cancelled".equals(
        quietly(AppName.STOREFRONT, "/api/storefronts/race-shop/orders/" + orderId).json().getString("state")));
    JsonObject lost = quietly(AppName.STOREFRONT, "/api/storefronts/race-shop/orders/" + orderId).json();
    assertThat(lost.getString("cancelReason")).isEqualTo("sold_elsewhere");
    assertThat(lost.getLong("capturedCents")).isZero();
    assertThat(sim.gateway.retrievePaymentIntent(lost.getString("paymentIntentId")).await().getStatus())
        .isEqualTo("canceled");
    JsonObject card = quietly(AppName.CORE, "/api/cards/" + id).json();
    assertThat(card.getJsonObject("sold").getString("channel")).isEqualTo("thisorthat");
    // core disengages the shop's listing (sold_elsewhere). It is queued behind the ToT publish of the same card
    // aggregate, which no ToT app on this node acknowledges, so this test checks that it was sent; the Storefront's
    // handling of a disengage is StorefrontCardsTest's.
    long disengages = node.runtime(AppName.CORE).context().pool().preparedQuery("SELECT count(*) FROM outbox "
            + "WHERE address = 'storefront.cards.publish' AND payload->>'type' = 'disengage' "
            + "AND payload->>'reason' = 'sold_elsewhere' AND (payload->>'cardId')::bigint = $1")
        .execute(io.vertx.sqlclient.Tuple.of(id)).await(30, java.util.concurrent.TimeUnit.SECONDS)
        .iterator().next().getLong(0);
    assertThat(disengages).isEqualTo(1);
  }

  @Test
  void publishBrowseCheckoutAuthorizeClaimCaptureAndCoreShowsSold() throws Exception {
    shop("e2e-shop");

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

  /**
   * After the sale, the shop ships through Shippo: the label moves the order to shipped, the carrier's tracking
   * events (through the Storefront's webhook) to delivered, and core's ledger follows each state across the apps.
   */
  @Test
  void aLabelAndTheCarriersScansCarryTheOrderToDeliveredInCoresLedger() throws Exception {
    shop("ship-shop");
    long id = call(AppName.CORE, "POST", "/api/cards", CoreFixture.card("Zion Williamson", 7_500)).json().getLong("id");
    assertThat(call(AppName.CORE, "POST", "/api/cards/" + id + "/channels/storefront",
        new JsonObject().put("shop", "ship-shop")).status()).isEqualTo(200);
    CoreFixture.await("card in the shop", WAIT,
        () -> quietly(AppName.STOREFRONT, "/api/storefronts/ship-shop/cards/" + id).status() == 200);
    String orderId = call(AppName.STOREFRONT, "POST", "/api/storefronts/ship-shop/checkout",
        new JsonObject().put("cardIds", new JsonArray().add(id)).put("email", "buyer@example.com")
            .put("shippingAddress", new JsonObject().put("name", "B").put("line1", "1 St").put("city", "Austin")
                .put("state", "TX").put("postalCode", "78701").put("country", "US")))
        .json().getString("orderId");
    String orderPath = "/api/storefronts/ship-shop/orders/" + orderId;
    String session = quietly(AppName.STOREFRONT, orderPath).json().getString("checkoutSessionId");
    assertThat(sim.control("/_sim/checkout/" + session + "/pay", new JsonObject()).statusCode()).isEqualTo(200);
    CoreFixture.await("order paid", WAIT,
        () -> "paid".equals(quietly(AppName.STOREFRONT, orderPath).json().getString("state")));

    CoreFixture.Resp label = call(AppName.STOREFRONT, "POST", orderPath + "/label", null);
    assertThat(label.status()).as(label.toString()).isEqualTo(200);
    String tracking = label.json().getString("trackingNumber");
    awaitLedger(orderId, "shipped");

    Instant deliveredAt = Instant.now().minus(5, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
    assertThat(shippo.scan(tracking, new JsonObject().put("status", "DELIVERED")
        .put("statusDate", deliveredAt.toString())).getJsonArray("delivered").getInteger(0)).isEqualTo(200);
    assertThat(quietly(AppName.STOREFRONT, orderPath).json().getString("state")).isEqualTo("delivered");
    awaitLedger(orderId, "delivered");
  }

  private static void awaitLedger(String orderId, String state) throws Exception {
    CoreFixture.await("core's ledger shows the order " + state, WAIT, () -> quietly(AppName.CORE,
        "/api/orders?channel=storefront").json().getJsonArray("items").stream().map(JsonObject.class::cast)
        .anyMatch(o -> orderId.equals(o.getString("orderRef")) && state.equals(o.getString("state"))));
  }
}
