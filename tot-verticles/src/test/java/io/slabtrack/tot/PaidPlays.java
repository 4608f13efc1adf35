package io.slabtrack.tot;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.stripe.StripeSimFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * ToT with the Stripe simulator delivering to its webhook and a stand-in core on the bus (claims won unless a card
 * is in {@link #soldElsewhere}; ledger events collected), for tests that need plays paid end to end.
 */
public final class PaidPlays implements AutoCloseable {
  public static final String WEBHOOK_SECRET = "whsec_test_tot";
  public final StripeSimFixture sim = new StripeSimFixture(AppName.TOT);
  public final TotFixture tot;
  public final Set<Long> soldElsewhere = ConcurrentHashMap.newKeySet();
  /** Claims for these cards get a 503 (core busy): the relay retries them until the card leaves the set. */
  public final Set<Long> deferClaims = ConcurrentHashMap.newKeySet();
  public final List<JsonObject> ledger = new CopyOnWriteArrayList<>();
  public final List<JsonObject> releases = new CopyOnWriteArrayList<>();
  /** Every claim the stand-in core received (redeliveries included). */
  public final List<JsonObject> claims = new CopyOnWriteArrayList<>();
  private long nextCard;

  public PaidPlays(long firstCardId) throws Exception {
    this(firstCardId, Map.of(), true);
  }

  /** @param coreUp false = nobody answers claims until {@link #coreUp()} */
  public PaidPlays(long firstCardId, Map<String, String> env, boolean coreUp) throws Exception {
    nextCard = firstCardId;
    Map<String, String> all = new java.util.HashMap<>(env);
    all.putAll(Map.of("STRIPE_SIMULATOR", "true", "STRIPE_API_BASE", sim.simulator.baseUrl(),
        "TOT_STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET));
    tot = TotFixture.start(all);
    sim.control("/_sim/webhook_endpoints", new JsonObject()
        .put("url", tot.node.url(AppName.TOT, "/api/stripe/webhook")).put("secret", WEBHOOK_SECRET));
    var bus = tot.node.vertx().eventBus();
    bus.<JsonObject>consumer(Addresses.CORE_ORDERS_EVENT, m -> {
      ledger.add(m.body());
      m.reply(new JsonObject().put("recorded", true));
    }).completion().await(10, TimeUnit.SECONDS);
    bus.<JsonObject>consumer(Addresses.CORE_SALE_RELEASE, m -> {
      releases.add(m.body());
      m.reply(new JsonObject().put("claimId", m.body().getString("claimId")).put("released", true));
    })
        .completion().await(10, TimeUnit.SECONDS);
    if (coreUp) {
      coreUp();
    }
  }

  private boolean coreIsUp;

  /** {@link #coreUp()} unless it already is. */
  public synchronized void coreUpOnce() throws Exception {
    if (!coreIsUp) {
      coreUp();
    }
  }

  /** The stand-in core starts answering claims (retried claims are then decided). */
  public synchronized void coreUp() throws Exception {
    coreIsUp = true;
    tot.node.vertx().eventBus().<JsonObject>consumer(Addresses.CORE_SALE_CLAIM, m -> {
      JsonObject c = m.body();
      claims.add(c);
      if (c.getJsonArray("cardIds").stream().anyMatch(id -> deferClaims.contains(((Number) id).longValue()))) {
        m.fail(503, "{\"error\":\"unavailable\",\"message\":\"busy\"}");
        return;
      }
      boolean lost = c.getJsonArray("cardIds").stream().anyMatch(id -> soldElsewhere.contains(((Number) id).longValue()));
      m.reply(new JsonObject().put("claimId", c.getString("claimId")).put("outcome", lost ? "lost" : "won")
          .put("cardIds", c.getJsonArray("cardIds")).put("decidedAt", Instant.now().toString()));
    }).completion().await(10, TimeUnit.SECONDS);
  }

  public long single(long cents) throws Exception {
    long card = nextCard++;
    tot.ingest(TotFixture.single("publish", card, 1, cents));
    return tot.sql("SELECT id FROM listings WHERE listing_key = $1", "card:" + card).iterator().next().getLong(0);
  }

  public String commit(String game, long... listingIds) throws Exception {
    return commitAnswer(game, null, listingIds).getString("playId");
  }

  /** A play paid on the hosted Checkout page: the commit's answer (playId, checkoutUrl, …). */
  public JsonObject commitCheckout(String game, long... listingIds) throws Exception {
    JsonObject answer = commitAnswer(game, "checkout", listingIds);
    assertThat(answer.getString("checkoutUrl")).as(answer.encode()).isNotBlank();
    return answer;
  }

  private JsonObject commitAnswer(String game, String payment, long... listingIds) throws Exception {
    JsonArray ids = new JsonArray();
    for (long id : listingIds) {
      ids.add(id);
    }
    JsonObject body = new JsonObject().put("listingIds", ids)
        .put("email", "buyer@example.com").put("shippingAddress", new JsonObject().put("name", "B")
            .put("line1", "1 Main").put("city", "Memphis").put("postalCode", "38103").put("country", "US"));
    if (payment != null) {
      body.put("payment", payment);
    }
    TotFixture.Resp r = tot.call("POST", "/api/play/" + game, body, null);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  public String checkoutSession(String playId) throws Exception {
    return tot.sql("SELECT checkout_session_id FROM plays WHERE id = $1", playId).iterator().next().getString(0);
  }

  /** The buyer pays on the hosted page with the test card that authorizes (the simulator's control route). */
  public void payOnHostedPage(String playId) throws Exception {
    var r = sim.control("/_sim/checkout/" + checkoutSession(playId) + "/pay", new JsonObject());
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
  }

  public String paymentIntent(String playId) throws Exception {
    return tot.sql("SELECT payment_intent_id FROM plays WHERE id = $1", playId).iterator().next().getString(0);
  }

  public void authorize(String playId) throws Exception {
    var r = sim.control("/_sim/payment_intents/" + paymentIntent(playId) + "/authorize", new JsonObject());
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
  }

  /** Commits, authorizes and waits until the order is paid; returns the order id. */
  public String paidFlip(long cents) throws Exception {
    String playId = commit("flip", single(cents));
    authorize(playId);
    await("paid", () -> orderStatus(playId).equals("paid"));
    return tot.sql("SELECT id FROM orders WHERE play_id = $1", playId).iterator().next().getString(0);
  }

  public String playStatus(String playId) {
    try {
      return tot.sql("SELECT status FROM plays WHERE id = $1", playId).iterator().next().getString(0);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  public String orderStatus(String playId) {
    try {
      var rows = tot.sql("SELECT status FROM orders WHERE play_id = $1", playId);
      return rows.rowCount() == 0 ? "" : rows.iterator().next().getString(0);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  public static void await(String what, BooleanSupplier condition) throws InterruptedException {
    io.slabtrack.cluster.testing.Poll.until(what, Duration.ofSeconds(20), condition);
  }

  @Override
  public void close() throws Exception {
    tot.close();
    sim.close();
  }
}
