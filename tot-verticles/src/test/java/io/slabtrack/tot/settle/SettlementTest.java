package io.slabtrack.tot.settle;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.model.PaymentIntent;
import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.metrics.NodeMetrics;
import io.slabtrack.cluster.stripe.StripeSimFixture;
import io.slabtrack.simulator.stripe.WebhookSignatures;
import io.slabtrack.tot.TotFixture;
import io.slabtrack.tot.fairness.IndependentRecompute;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Whole plays through the Stripe simulator: authorize → reveal → claim (a stand-in core on the bus) → capture the
 * outcome amount, or cancel when the claim is lost or the lock expires. Revealed plays are recomputed
 * independently from their published data.
 */
class SettlementTest {
  private static final String SECRET = "whsec_test_tot";
  private static StripeSimFixture sim;
  private static TotFixture tot;
  private static long nextCard = 5_000;
  /** Cards the stand-in core says were sold elsewhere. */
  private static final Set<Long> soldElsewhere = ConcurrentHashMap.newKeySet();
  private static final List<JsonObject> ledger = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    sim = new StripeSimFixture(AppName.TOT);
    tot = TotFixture.start(Map.of("STRIPE_SIMULATOR", "true", "STRIPE_API_BASE", sim.simulator.baseUrl(),
        "TOT_STRIPE_WEBHOOK_SECRET", SECRET));
    sim.control("/_sim/webhook_endpoints", new JsonObject()
        .put("url", tot.node.url(AppName.TOT, StripeWebhookRoutes.PATH)).put("secret", SECRET));
    var bus = tot.node.vertx().eventBus();
    bus.<JsonObject>consumer(Addresses.CORE_SALE_CLAIM, m -> {
      JsonObject c = m.body();
      boolean lost = c.getJsonArray("cardIds").stream().anyMatch(id -> soldElsewhere.contains(((Number) id).longValue()));
      m.reply(new JsonObject().put("claimId", c.getString("claimId")).put("outcome", lost ? "lost" : "won")
          .put("reason", lost ? "sold" : null).put("cardIds", c.getJsonArray("cardIds"))
          .put("decidedAt", Instant.now().toString()));
    }).completion().await(10, TimeUnit.SECONDS);
    bus.<JsonObject>consumer(Addresses.CORE_ORDERS_EVENT, m -> {
      ledger.add(m.body());
      m.reply(new JsonObject().put("recorded", true));
    }).completion().await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    tot.close();
    sim.close();
  }

  private static long single(long cents) throws Exception {
    long card = nextCard++;
    tot.ingest(TotFixture.single("publish", card, 1, cents));
    return tot.sql("SELECT id FROM listings WHERE listing_key = $1", "card:" + card).iterator().next().getLong(0);
  }

  private static JsonObject play(String game, long... listingIds) throws Exception {
    JsonArray ids = new JsonArray();
    for (long id : listingIds) {
      ids.add(id);
    }
    TotFixture.Resp r = tot.call("POST", "/api/play/" + game, new JsonObject().put("listingIds", ids)
        .put("email", "buyer@example.com").put("shippingAddress", new JsonObject().put("name", "B")
            .put("line1", "1 Main").put("city", "Memphis").put("postalCode", "38103").put("country", "US")), null);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  private static String pi(String playId) throws Exception {
    return tot.sql("SELECT payment_intent_id FROM plays WHERE id = $1", playId).iterator().next().getString(0);
  }

  private static void authorize(String playId) throws Exception {
    var r = sim.control("/_sim/payment_intents/" + pi(playId) + "/authorize", new JsonObject());
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
  }

  private static String status(String playId) {
    try {
      return tot.sql("SELECT status FROM plays WHERE id = $1", playId).iterator().next().getString(0);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    io.slabtrack.cluster.testing.Poll.until(what, Duration.ofSeconds(20), condition);
  }

  /** Recomputes a revealed play from its public JSON alone. */
  private static void recompute(JsonObject p) throws Exception {
    assertThat(IndependentRecompute.seedHash(p.getString("serverSeed"))).isEqualTo(p.getString("seedHash"));
    byte[] out = IndependentRecompute.outcome(p.getString("serverSeed"), p.getString("clientSeed"));
    assertThat(HexFormat.of().formatHex(out)).isEqualTo(p.getString("outcomeBytes"));
    JsonArray options = p.getJsonArray("options");
    if (p.getString("game").equals("FLIP")) {
      long bp = new java.math.BigDecimal(p.getString("spread")).movePointRight(4).longValueExact();
      long value = p.getLong("cardValue");
      assertThat(p.getString("outcome")).isEqualTo(IndependentRecompute.flip(out));
      long expected = IndependentRecompute.flip(out).equals("WIN") ? IndependentRecompute.winPrice(value, bp)
          : IndependentRecompute.losePrice(value, bp);
      assertThat(p.getLong("outcomeAmount")).isEqualTo(expected);
    } else {
      List<Long> values = options.stream().map(o -> ((JsonObject) o).getLong("cardValue")).toList();
      int winner = IndependentRecompute.pullWinner(out, options.size());
      assertThat(p.getLong("winnerListingId")).isEqualTo(options.getJsonObject(winner).getLong("listingId"));
      assertThat(p.getLong("outcomeAmount")).isEqualTo(IndependentRecompute.pullPrice(values));
    }
  }

  @Test
  void aFlipIsRevealedClaimedAndCapturedAtItsOutcomePrice() throws Exception {
    long listing = single(10_000);
    String playId = play("flip", listing).getString("playId");
    assertThat(tot.call("POST", "/api/play/" + playId + "/client-seed", new JsonObject().put("clientSeed", "lucky"),
        null).status()).isEqualTo(200);
    authorize(playId);
    await("flip settled", () -> status(playId).equals("SETTLED"));

    JsonObject p = tot.get("/api/play/" + playId).json();
    assertThat(p.getString("clientSeed")).isEqualTo("lucky");
    assertThat(p.getBoolean("clientSeedDefaulted")).isFalse();
    recompute(p);
    long expected = p.getString("outcome").equals("WIN") ? 7_500 : 12_500;
    assertThat(p.getLong("outcomeAmount")).isEqualTo(expected);
    PaymentIntent intent = sim.client.v1().paymentIntents().retrieve(pi(playId));
    assertThat(intent.getStatus()).isEqualTo("succeeded");
    assertThat(intent.getAmountReceived()).isEqualTo(expected);
    assertThat(tot.listingStatus(listing)).isEqualTo("COMPLETED");
    assertThat(tot.count("SELECT count(*) FROM orders WHERE play_id = $1 AND status = 'paid' AND captured_cents = $2",
        playId, expected)).isEqualTo(1);
    assertThat(tot.locked(tot.cardsOf(listing))).isFalse();
    await("ledger paid event", () -> ledger.stream().anyMatch(e -> e.getString("state").equals("paid")
        && e.getLong("capturedCents") == expected));
  }

  @Test
  void withoutABuyerSeedThePlayIdIsUsed() throws Exception {
    String playId = play("flip", single(2_000)).getString("playId");
    authorize(playId);
    await("settled", () -> status(playId).equals("SETTLED"));
    JsonObject p = tot.get("/api/play/" + playId).json();
    assertThat(p.getString("clientSeed")).isEqualTo(playId);
    assertThat(p.getBoolean("clientSeedDefaulted")).isTrue();
    recompute(p);
    assertThat(tot.call("POST", "/api/play/" + playId + "/client-seed", new JsonObject().put("clientSeed", "late"),
        null).status()).isEqualTo(409);
  }

  private static double counted(String name, String... tags) {
    var meters = NodeMetrics.registry(tot.node.vertx()).find(name).tags(tags);
    return meters.counters().stream().mapToDouble(c -> c.count()).sum()
        + meters.timers().stream().mapToDouble(t -> t.count()).sum();
  }

  @Test
  void aPaidPlayIsCountedStartedAndSettledWithItsStripeTraffic() throws Exception {
    double started = counted("slabtrack.purchases.started", "app", "tot", "kind", "play", "outcome", "created");
    double paid = counted("slabtrack.purchases.settled", "app", "tot", "kind", "play", "outcome", "paid");
    double created = counted("slabtrack.stripe.call", "app", "tot", "operation", "payment_intent_create",
        "outcome", "ok");
    double verified = counted("slabtrack.stripe.webhooks", "app", "tot", "endpoint", "tot", "result", "verified");
    String playId = play("flip", single(2_500)).getString("playId");
    authorize(playId);
    await("settled", () -> status(playId).equals("SETTLED"));
    await("counted", () -> counted("slabtrack.purchases.settled", "app", "tot", "kind", "play", "outcome", "paid")
        - paid == 1);
    assertThat(counted("slabtrack.purchases.started", "app", "tot", "kind", "play", "outcome", "created") - started)
        .isEqualTo(1);
    assertThat(counted("slabtrack.stripe.call", "app", "tot", "operation", "payment_intent_create", "outcome", "ok")
        - created).isEqualTo(1);
    assertThat(counted("slabtrack.stripe.webhooks", "app", "tot", "endpoint", "tot", "result", "verified") - verified)
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void aPullSellsOnlyTheWinnerAndTheLosersStayListedAndUnlocked() throws Exception {
    long[] stack = {single(4_000), single(5_000), single(6_000)};
    String playId = play("pull", stack).getString("playId");
    authorize(playId);
    await("pull settled", () -> status(playId).equals("SETTLED"));
    JsonObject p = tot.get("/api/play/" + playId).json();
    recompute(p);
    assertThat(p.getLong("outcomeAmount")).isEqualTo(4_350); // 15000 × 0.85 / 3 + 100
    assertThat(sim.client.v1().paymentIntents().retrieve(pi(playId)).getAmountReceived()).isEqualTo(4_350L);
    long winner = p.getLong("winnerListingId");
    for (long id : stack) {
      assertThat(tot.listingStatus(id)).isEqualTo(id == winner ? "COMPLETED" : "ACTIVE");
      assertThat(tot.locked(tot.cardsOf(id))).isFalse();
    }
  }

  @Test
  void aLostClaimCancelsTheAuthorizationAndVoidsThePlay() throws Exception {
    long listing = single(3_000);
    soldElsewhere.addAll(tot.cardsOf(listing));
    String playId = play("flip", listing).getString("playId");
    authorize(playId);
    await("void", () -> status(playId).equals("VOID"));
    PaymentIntent intent = sim.client.v1().paymentIntents().retrieve(pi(playId));
    assertThat(intent.getStatus()).isEqualTo("canceled");
    assertThat(intent.getAmountReceived()).isZero();
    assertThat(tot.count("SELECT count(*) FROM orders WHERE play_id = $1 AND status = 'cancelled'", playId))
        .isEqualTo(1);
  }

  @Test
  void aLockExpiryCancelsAnUnpaidPlayWhichThenVoidsAndReleases() throws Exception {
    long listing = single(3_000);
    String playId = play("flip", listing).getString("playId");
    String lockRef = tot.sql("SELECT lock_ref FROM plays WHERE id = $1", playId).iterator().next().getString(0);
    JsonObject notice = new JsonObject().put("eventId", java.util.UUID.randomUUID().toString())
        .put("occurredAt", Instant.now().toString()).put("lockRef", lockRef).put("channel", "thisorthat")
        .put("orderRef", playId).put("cardIds", new JsonArray(tot.cardsOf(listing))).put("expiredAt", Instant.now().toString());
    var bus = tot.node.vertx().eventBus();
    JsonObject reply = bus.<JsonObject>request(Addresses.saleLockExpired(AppName.TOT), notice)
        .await(30, TimeUnit.SECONDS).body();
    assertThat(reply.getBoolean("canceled")).isTrue();
    assertThat(bus.<JsonObject>request(Addresses.saleLockExpired(AppName.TOT), notice).await(30, TimeUnit.SECONDS)
        .body()).isEqualTo(reply); // the sweeper repeats notices: applied once
    await("void after cancel", () -> status(playId).equals("VOID"));
    assertThat(sim.client.v1().paymentIntents().retrieve(pi(playId)).getStatus()).isEqualTo("canceled");
    assertThat(tot.locked(tot.cardsOf(listing))).isFalse();
    assertThat(tot.listingStatus(listing)).isEqualTo("ACTIVE");
  }

  @Test
  void anUnpaidPlayWhoseLockVanishedFromTheClusterIsCancelledByTheStrandedSaleSweeper() throws Exception {
    long keptListing = single(3_100);
    long lostListing = single(3_200);
    String kept = play("flip", keptListing).getString("playId");
    String stranded = play("flip", lostListing).getString("playId");
    tot.sql("UPDATE plays SET created_at = now() - interval '3 hours' WHERE id = ANY($1)",
        (Object) new String[] {kept, stranded});
    var ctx = tot.node.runtime(AppName.TOT).context();
    for (long card : tot.cardsOf(lostListing)) { // a lost partition: the lock is simply gone
      assertThat(ctx.saleLocks().forceRelease(card).await(30, TimeUnit.SECONDS)).isPresent();
    }
    var sweeper = LockExpiryVerticle.strandedPlays(ctx.pool(), ctx.saleLocks());
    String deployment = tot.node.vertx().deployVerticle(sweeper).await(30, TimeUnit.SECONDS);
    try {
      assertThat(sweeper.sweep().await(30, TimeUnit.SECONDS)).as("plays expired by the pass").isEqualTo(1);
      await("stranded play void", () -> status(stranded).equals("VOID"));
      assertThat(sim.client.v1().paymentIntents().retrieve(pi(stranded)).getStatus()).isEqualTo("canceled");
      assertThat(status(kept)).as("a play whose lock is still held is the sweeper's").isEqualTo("COMMITTED");
      assertThat(tot.listingStatus(lostListing)).isEqualTo("ACTIVE");
    } finally {
      tot.node.vertx().undeploy(deployment).await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void tamperedOrUnsignedDeliveriesAre400AndForeignEvents2xx() throws Exception {
    String body = new JsonObject().put("id", "evt_foreign_1").put("type", "payment_intent.amount_capturable_updated")
        .put("data", new JsonObject().put("object", new JsonObject().put("id", "pi_x").put("status", "requires_capture")
            .put("metadata", new JsonObject().put("orderId", "sf-1")))).encode();
    String good = WebhookSignatures.header(SECRET, body, Instant.now().getEpochSecond());
    assertThat(post(body, null)).isEqualTo(400);
    assertThat(post(body.replace("pi_x", "pi_y"), good)).isEqualTo(400);
    assertThat(post(body, WebhookSignatures.header("whsec_wrong", body, Instant.now().getEpochSecond()))).isEqualTo(400);
    assertThat(post(body, WebhookSignatures.header(SECRET, body, Instant.now().getEpochSecond() - 400))).isEqualTo(400);
    assertThat(post(body, good)).isEqualTo(200);
    assertThat(post(body, good)).isEqualTo(200); // replay
  }

  private static int post(String body, String signature) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(tot.node.url(AppName.TOT, StripeWebhookRoutes.PATH)))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (signature != null) {
      b.header("Stripe-Signature", signature);
    }
    HttpResponse<String> r = TotFixture.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    TotFixture.CONTRACT.check("POST", StripeWebhookRoutes.PATH, r.statusCode(), r.headers().map(), r.body());
    return r.statusCode();
  }
}
