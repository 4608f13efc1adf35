package io.slabtrack.storefront;

import static io.slabtrack.storefront.StorefrontFixture.cardEvent;
import static io.slabtrack.storefront.StorefrontFixture.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.bus.Addresses.ReconcileSnapshot;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.stripe.StripeSettings;
import io.slabtrack.cluster.stripe.StripeSimFixture;
import io.slabtrack.storefront.StorefrontFixture.Resp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Storefront with the Stripe simulator delivering its webhooks, a stand-in for core on the bus (claims won, ledger
 * events and releases recorded) and one connected shop accepting orders — as CheckoutFlowTest sets it up.
 */
public final class PayingShop implements AutoCloseable {
  public static final Duration WAIT = Duration.ofSeconds(30);
  public static final String SLUG = "recon-shop";
  private static final AtomicLong IDS = new AtomicLong(90_000);

  public final StripeSimFixture sim;
  public final StorefrontFixture sf;
  public final String owner = StorefrontFixture.vendor("ursula");
  public final List<JsonObject> claims = new CopyOnWriteArrayList<>();
  public final List<JsonObject> ledger = new CopyOnWriteArrayList<>();

  public PayingShop() throws Exception {
    this(false, Map.of());
  }

  /**
   * @param nodeMode run the Storefront as {@code node --app storefront} does (no dev fallbacks)
   * @param env extra settings (SMTP_*…)
   */
  public PayingShop(boolean nodeMode, Map<String, String> env) throws Exception {
    sim = new StripeSimFixture(AppName.STOREFRONT);
    Map<String, String> settings = new HashMap<>(env);
    settings.put("STRIPE_API_BASE", sim.simulator.baseUrl());
    settings.put("STRIPE_SIMULATOR", "true"); // dev mode's default; node mode needs it said
    sf = nodeMode ? StorefrontFixture.startNodeMode(settings) : StorefrontFixture.start(settings);
    sim.control("/_sim/webhook_endpoints", new JsonObject().put("url", webhookUrl())
        .put("secret", StripeSettings.DEV_STOREFRONT_WEBHOOK_SECRET).put("connect", false));
    sim.control("/_sim/webhook_endpoints", new JsonObject()
        .put("url", sf.node.url(AppName.STOREFRONT, "/api/stripe/connect/webhook"))
        .put("secret", StripeSettings.DEV_STOREFRONT_CONNECT_WEBHOOK_SECRET).put("connect", true));
    var bus = sf.node.vertx().eventBus();
    bus.<JsonObject>consumer(Addresses.CORE_SALE_CLAIM, msg -> {
      claims.add(msg.body());
      msg.reply(new JsonObject().put("claimId", msg.body().getString("claimId")).put("outcome", "won")
          .put("cardIds", msg.body().getJsonArray("cardIds")).put("decidedAt", java.time.Instant.now().toString())
          .put("winningChannel", "storefront"));
    }).completion().await(30, TimeUnit.SECONDS);
    bus.<JsonObject>consumer(Addresses.CORE_ORDERS_EVENT, msg -> {
      ledger.add(msg.body());
      msg.reply(new JsonObject().put("recorded", true));
    }).completion().await(30, TimeUnit.SECONDS);
    bus.<JsonObject>consumer(Addresses.CORE_SALE_RELEASE, msg -> msg.reply(new JsonObject().put("released", true)))
        .completion().await(30, TimeUnit.SECONDS);

    sf.shop(SLUG, "ursula");
    Resp onboarding = sf.call("POST", "/api/storefronts/" + SLUG + "/stripe/onboarding", null, owner);
    sim.http.getAbs(onboarding.json().getString("url")).followRedirects(false).send().await();
    StorefrontFixture.await("shop connected", WAIT,
        () -> call("GET", "/api/storefronts/" + SLUG, null).json().getBoolean("acceptingOrders"));
  }

  public String webhookUrl() {
    return sf.node.url(AppName.STOREFRONT, "/api/stripe/webhook");
  }

  public Resp call(String method, String path, Object body) {
    try {
      return sf.call(method, path, body, owner);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  public long card(long price) throws Exception {
    long id = IDS.incrementAndGet();
    sf.publish(cardEvent("publish", SLUG, id, 1, price, snapshot("Player " + id, "Panini Prizm", 10)));
    return id;
  }

  /** The buyer's address of {@link #order}. */
  public static JsonObject buyerAddress() {
    return new JsonObject().put("name", "Bea Buyer").put("line1", "2 Elm St").put("city", "Boston").put("state", "MA")
        .put("postalCode", "02101").put("country", "US");
  }

  /** A new order for the cards; its Checkout Session is open in the simulator. */
  public String order(long... cardIds) throws Exception {
    return order(buyerAddress(), cardIds);
  }

  /** A new order shipping to {@code address}. */
  public String order(JsonObject address, long... cardIds) throws Exception {
    JsonArray ids = new JsonArray();
    for (long id : cardIds) {
      ids.add(id);
    }
    Resp r = sf.call("POST", "/api/storefronts/" + SLUG + "/checkout", new JsonObject().put("cardIds", ids)
        .put("email", "buyer@example.com").put("shippingAddress", address), null);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().getString("orderId");
  }

  /** The owner's view of the order. */
  public JsonObject get(String orderId) {
    Resp r = call("GET", "/api/storefronts/" + SLUG + "/orders/" + orderId, null);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  /** The buyer pays on the session: the simulator authorizes and emits the events. */
  public void pay(String orderId) {
    String session = get(orderId).getString("checkoutSessionId");
    assertThat(sim.control("/_sim/checkout/" + session + "/pay", new JsonObject()).statusCode()).isEqualTo(200);
  }

  public void awaitState(String orderId, String state) throws InterruptedException {
    StorefrontFixture.await("order " + orderId + " " + state, WAIT, () -> state.equals(get(orderId).getString("state")));
  }

  public long claimsFor(String orderId) {
    return claims.stream().filter(c -> orderId.equals(c.getString("orderRef"))).count();
  }

  public List<JsonObject> ledgerFor(String orderId, String state) {
    return ledger.stream().filter(e -> orderId.equals(e.getString("orderRef")) && state.equals(e.getString("state")))
        .toList();
  }

  public JsonObject bus(ReconcileSnapshot snapshot, JsonObject body) throws Exception {
    return sf.node.vertx().eventBus().<JsonObject>request(Addresses.reconcile(AppName.STOREFRONT, snapshot), body)
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS).body();
  }

  @Override
  public void close() throws Exception {
    sf.close();
    sim.close();
  }
}
