package io.slabtrack.tot.plays;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.model.PaymentIntent;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.salelock.AcquireRequest;
import io.slabtrack.cluster.salelock.SaleLock;
import io.slabtrack.cluster.salelock.SaleLocks;
import io.slabtrack.cluster.stripe.StripeSimFixture;
import io.slabtrack.tot.TotFixture;
import io.slabtrack.tot.fairness.Fairness;
import io.slabtrack.tot.fairness.SeedVault;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Committing plays: prices authorized, locks taken, seed sealed and committed; bad plays refused, nothing held. */
class PlayCommitTest {
  private static StripeSimFixture sim;
  private static TotFixture tot;
  private static long nextCard = 1_000;

  @BeforeAll
  static void start() throws Exception {
    sim = new StripeSimFixture(AppName.TOT);
    tot = TotFixture.start(Map.of("STRIPE_SIMULATOR", "true", "STRIPE_API_BASE", sim.simulator.baseUrl(),
        "TOT_PUBLIC_URL", "https://tot.example/"));
  }

  @AfterAll
  static void stop() throws Exception {
    tot.close();
    sim.close();
  }

  /** Lists a fresh single at this value and returns its listing id. */
  private static long single(long cents) throws Exception {
    long card = nextCard++;
    tot.ingest(TotFixture.single("publish", card, 1, cents));
    return listingId("card:" + card);
  }

  private static long listingId(String key) throws Exception {
    return tot.sql("SELECT id FROM listings WHERE listing_key = $1", key).iterator().next().getLong(0);
  }

  private static JsonObject body(long... listingIds) {
    JsonArray ids = new JsonArray();
    for (long id : listingIds) {
      ids.add(id);
    }
    return new JsonObject().put("listingIds", ids).put("email", "buyer@example.com")
        .put("shippingAddress", new JsonObject().put("name", "A Buyer").put("line1", "1 Main St")
            .put("city", "Memphis").put("postalCode", "38103").put("country", "US"));
  }

  private static TotFixture.Resp play(String game, JsonObject body) throws Exception {
    return tot.call("POST", "/api/play/" + game, body, null);
  }

  private static SaleLocks locks() {
    return tot.node.runtime(AppName.TOT).context().saleLocks();
  }

  private static Map<Long, SaleLock> holders(List<Long> cardIds) throws Exception {
    return locks().holders(cardIds).await(10, TimeUnit.SECONDS);
  }

  private static List<Long> cardsOf(long... listingIds) throws Exception {
    List<Long> out = new java.util.ArrayList<>();
    for (long id : listingIds) {
      tot.sql("SELECT card_id FROM listing_cards WHERE listing_id = $1", id).forEach(r -> out.add(r.getLong(0)));
    }
    return out;
  }

  @Test
  void aSoloFlipAuthorizesTheLosePriceWithManualCaptureAndLocksTheCard() throws Exception {
    long listing = single(10_000);
    TotFixture.Resp r = play("flip", body(listing));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    JsonObject c = r.json();
    String playId = c.getString("playId");
    assertThat(c.getLong("amount")).isEqualTo(12_500);
    assertThat(c.getString("status")).isEqualTo("COMMITTED");
    assertThat(c.getString("seedHash")).matches("[0-9a-f]{64}");
    assertThat(c.getString("clientSecret")).isNotBlank();
    assertThat(c.getString("anchor")).isEqualTo("local");

    String pi = tot.sql("SELECT payment_intent_id FROM plays WHERE id = $1", playId).iterator().next().getString(0);
    PaymentIntent intent = sim.client.v1().paymentIntents().retrieve(pi);
    assertThat(intent.getAmount()).isEqualTo(12_500L);
    assertThat(intent.getCaptureMethod()).isEqualTo("manual");
    assertThat(intent.getMetadata()).containsEntry("playId", playId);

    Map<Long, SaleLock> held = holders(cardsOf(listing));
    assertThat(held).hasSize(1);
    assertThat(held.values().iterator().next().channel()).isEqualTo("thisorthat");

    // the seed at rest is sealed, opens with the key, and is the one committed to
    String sealed = tot.sql("SELECT server_seed_sealed FROM plays WHERE id = $1", playId).iterator().next()
        .getString(0);
    byte[] seed = new SeedVault(TestSeedKey.DEV).open(sealed, playId);
    assertThat(Fairness.seedHash(seed)).isEqualTo(c.getString("seedHash"));
    assertThat(sealed).doesNotContain(HexFormat.of().formatHex(seed));

    JsonObject view = tot.get("/api/play/" + playId).json();
    assertThat(view.getString("seedHash")).isEqualTo(c.getString("seedHash"));
    assertThat(view.containsKey("serverSeed")).as("never before reveal").isFalse();
    assertThat(view.getLong("losePrice")).isEqualTo(12_500);
    assertThat(view.getLong("winPrice")).isEqualTo(7_500);
  }

  @Test
  void aCheckoutFlipOpensAHostedManualCaptureSessionForTheLosePrice() throws Exception {
    long listing = single(10_000);
    TotFixture.Resp r = play("flip", body(listing).put("payment", "checkout"));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    JsonObject c = r.json();
    String playId = c.getString("playId");
    assertThat(c.getString("payment")).isEqualTo("checkout");
    assertThat(c.containsKey("clientSecret")).isFalse();
    assertThat(c.getLong("amount")).isEqualTo(12_500);

    var row = tot.sql("SELECT payment_intent_id, checkout_session_id, checkout_url FROM plays WHERE id = $1", playId)
        .iterator().next();
    assertThat(row.getString("payment_intent_id")).as("created by Stripe only when the buyer pays").isNull();
    assertThat(c.getString("checkoutUrl")).isEqualTo(row.getString("checkout_url")).startsWith("http");
    var session = sim.client.v1().checkout().sessions().retrieve(row.getString("checkout_session_id"));
    assertThat(session.getUrl()).isEqualTo(c.getString("checkoutUrl"));
    assertThat(session.getMode()).isEqualTo("payment");
    assertThat(session.getAmountTotal()).isEqualTo(12_500L);
    assertThat(session.getCustomerEmail()).isEqualTo("buyer@example.com");
    assertThat(session.getMetadata()).containsEntry("app", "tot").containsEntry("playId", playId);
    String page = "https://tot.example/play/" + playId;
    assertThat(session.getSuccessUrl()).isEqualTo(page + "?paid=1");
    assertThat(session.getCancelUrl()).isEqualTo(page);
    long lifetime = session.getExpiresAt() - session.getCreated();
    assertThat(lifetime).isBetween(30 * 60L, 32 * 60L); // Stripe's minimum; the lock expiry expires it sooner
    assertThat(holders(cardsOf(listing))).hasSize(1);

    JsonObject view = tot.get("/api/play/" + playId).json();
    assertThat(view.getString("payment")).isEqualTo("checkout");
    assertThat(view.getString("checkoutUrl")).isEqualTo(c.getString("checkoutUrl"));

    // what the web pages call: the same commit from Java
    long other = single(8_000);
    JsonObject fromJava = javaCommit(other).await(30, TimeUnit.SECONDS);
    assertThat(fromJava.getString("checkoutUrl")).isNotBlank();
    assertThat(fromJava.getLong("amount")).isEqualTo(10_000);
  }

  /** A committer wired like TotApp's, called the way the web pages call it. */
  private static io.vertx.core.Future<JsonObject> javaCommit(long listing) {
    var ctx = tot.node.runtime(AppName.TOT).context();
    PlayCommit commit = new PlayCommit(ctx.vertx(), ctx.pool(), ctx.saleLocks(),
        new io.slabtrack.cluster.stripe.StripeGateway(ctx.vertx(), io.slabtrack.cluster.stripe.StripeSettings.load(
            ctx.config().settings(), ctx.config().mode()), AppName.TOT),
        new SeedVault(TestSeedKey.DEV), new SeedAnchor.Local(),
        io.slabtrack.tot.listings.SpreadPolicy.fromSettings(ctx.config().settings()), "https://tot.example/");
    PlayRequest request = PlayRequest.of(List.of(listing), "web@example.com", new JsonObject().put("name", "W")
        .put("line1", "2 Main").put("city", "Memphis").put("postalCode", "38103").put("country", "US"),
        PlayRequest.PaymentMode.CHECKOUT);
    return commit.commit("FLIP", request, null, new io.slabtrack.cluster.limits.BuyerHold("127.0.0.1",
        "web@example.com", null, java.time.Duration.ofMinutes(10)));
  }

  @Test
  void anUnknownPaymentModeIs400NamingTheFieldAndHoldsNothing() throws Exception {
    long listing = single(5_000);
    int intentsBefore = intents();
    for (Object bad : List.<Object>of("hosted", "CHECKOUT", 1, new JsonObject())) {
      TotFixture.Resp r = play("flip", body(listing).put("payment", bad));
      expect(r, 400, "invalid_field");
      assertThat(r.json().getJsonObject("details").getString("field")).isEqualTo("payment");
    }
    assertThat(tot.count("SELECT count(*) FROM plays WHERE $1 = ANY(listing_ids)", listing)).isZero();
    assertThat(holders(cardsOf(listing))).isEmpty();
    assertThat(intents()).isEqualTo(intentsBefore);
    TotFixture.Resp elements = play("flip", body(listing).put("payment", "elements"));
    assertThat(elements.status()).as(elements.body()).isEqualTo(201);
    assertThat(elements.json().getString("clientSecret")).isNotBlank();
    assertThat(elements.json().containsKey("checkoutUrl")).isFalse();
  }

  @Test
  void aFlipCartAndAPullAreAuthorizedAtTheirMaximum() throws Exception {
    TotFixture.Resp cart = play("flip", body(single(500), single(500), single(500)));
    assertThat(cart.status()).as(cart.body()).isEqualTo(201);
    assertThat(cart.json().getLong("amount")).isEqualTo(1_875);
    TotFixture.Resp pull = play("pull", body(single(4_000), single(5_000), single(6_000), single(3_000),
        single(2_000)));
    assertThat(pull.status()).as(pull.body()).isEqualTo(201);
    assertThat(pull.json().getLong("amount")).isEqualTo(3_500);
    JsonObject view = tot.get("/api/play/" + pull.json().getString("playId")).json();
    JsonArray options = view.getJsonArray("options");
    assertThat(options).hasSize(5);
    for (int i = 1; i < options.size(); i++) {
      assertThat(options.getJsonObject(i).getLong("listingId"))
          .isGreaterThan(options.getJsonObject(i - 1).getLong("listingId"));
    }
  }

  @Test
  void anIdempotencyKeyReplaysTheFirstAnswer() throws Exception {
    long listing = single(2_000);
    JsonObject b = body(listing);
    TotFixture.Resp first = keyed(b, "key-1-" + listing);
    TotFixture.Resp again = keyed(b, "key-1-" + listing);
    assertThat(first.status()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.json().getString("playId")).isEqualTo(first.json().getString("playId"));
    assertThat(tot.count("SELECT count(*) FROM plays WHERE $1 = ANY(listing_ids)", listing)).isEqualTo(1);
    TotFixture.Resp other = keyed(body(single(3_000)), "key-1-" + listing);
    assertThat(other.status()).isEqualTo(409);
    assertThat(other.error()).isEqualTo("idempotency_key_reused");
  }

  @Test
  void aDoubleClickWithOneKeyCommitsOnePlay() throws Exception {
    long listing = single(2_500);
    JsonObject b = body(listing);
    String key = "double-" + listing;
    var a = java.util.concurrent.CompletableFuture.supplyAsync(() -> keyedQuietly(b, key));
    var c = java.util.concurrent.CompletableFuture.supplyAsync(() -> keyedQuietly(b, key));
    assertThat(a.get().status()).as(a.get().body()).isEqualTo(201);
    assertThat(c.get().status()).as(c.get().body()).isEqualTo(201);
    assertThat(a.get().json().getString("playId")).isEqualTo(c.get().json().getString("playId"));
    assertThat(tot.count("SELECT count(*) FROM plays WHERE $1 = ANY(listing_ids)", listing)).isEqualTo(1);
  }

  private static TotFixture.Resp keyedQuietly(JsonObject b, String key) {
    try {
      return keyed(b, key);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static TotFixture.Resp keyed(JsonObject b, String key) throws Exception {
    var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(tot.node.url(AppName.TOT, "/api/play/flip")))
        .header("Content-Type", "application/json").header("Idempotency-Key", key)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(b.encode())).build();
    var resp = TotFixture.HTTP.send(req, java.net.http.HttpResponse.BodyHandlers.ofString());
    return new TotFixture.Resp(resp.statusCode(), resp.body());
  }

  @Test
  void badPlaysAreRefusedNamingTheRuleAndHoldNothing() throws Exception {
    long cheap = single(1_000);
    long[] six = {single(2_000), single(2_000), single(2_000), single(2_000), single(2_000), single(2_000)};
    long withdrawnCard = nextCard++;
    tot.ingest(TotFixture.single("publish", withdrawnCard, 1, 5_000));
    tot.ingest(TotFixture.single("disengage", withdrawnCard, 2, 5_000));
    long withdrawn = listingId("card:" + withdrawnCard);
    int intentsBefore = intents();

    expect(play("pull", body(single(2_000))), 422, "pull_stack_size");
    expect(play("pull", body(six)), 422, "pull_stack_size");
    expect(play("pull", body(single(1_499), single(1_500), single(1_500))), 422, "pull_average_minimum");
    expect(play("flip", body(withdrawn)), 422, "listing_not_active");
    expect(play("flip", body(999_999)), 422, "listing_not_active");
    expect(play("flip", body(cheap)), 422, "solo_flip_minimum");
    long bigLot = nextCard;
    nextCard += 10;
    tot.ingest(TotFixture.lot("publish", "big-" + bigLot, 1, bigLot, 500, bigLot + 1, 500, bigLot + 2, 500,
        bigLot + 3, 500, bigLot + 4, 500, bigLot + 5, 500));
    expect(play("pull", body(listingId("lot:big-" + bigLot), single(5_000))), 422, "not_pull_eligible");

    JsonObject noEmail = body(single(5_000));
    noEmail.remove("email");
    TotFixture.Resp r = play("flip", noEmail);
    expect(r, 400, "invalid_field");
    assertThat(r.json().getJsonObject("details").getString("field")).isEqualTo("email");
    expect(play("flip", body(single(5_000)).put("listingIds", "1")), 400, "invalid_field");
    expect(play("pull", body(six).put("listingIds", new JsonArray().add(six[0]).add(six[0]))), 400, "invalid_field");

    assertThat(holders(cardsOf(six))).isEmpty();
    assertThat(holders(cardsOf(cheap))).isEmpty();
    assertThat(intents()).isEqualTo(intentsBefore);
  }

  @Test
  void aStackWithACardInAStorefrontCheckoutIs409AndNothingIsCharged() throws Exception {
    long a = single(4_000);
    long b = single(4_000);
    long c = single(4_000);
    long lockedCard = cardsOf(b).get(0);
    locks().acquire(AcquireRequest.of(List.of(lockedCard), "storefront", "sf-checkout-0123456789", "sf-order-1",
        Duration.ofMinutes(10), Duration.ofMinutes(30))).await(10, TimeUnit.SECONDS);
    int intentsBefore = intents();
    TotFixture.Resp r = play("pull", body(a, b, c));
    expect(r, 409, "cards_locked");
    JsonObject conflict = r.json().getJsonObject("details").getJsonArray("conflicts").getJsonObject(0);
    assertThat(conflict.getLong("cardId")).isEqualTo(lockedCard);
    assertThat(conflict.getString("channel")).isEqualTo("storefront");
    assertThat(intents()).isEqualTo(intentsBefore);
    assertThat(holders(cardsOf(a, c))).isEmpty();
    assertThat(holders(cardsOf(b)).get(lockedCard).channel()).isEqualTo("storefront");
    assertThat(tot.count("SELECT count(*) FROM plays WHERE $1 = ANY(listing_ids)", a)).isZero();
  }

  @Test
  void theBuyersSeedIsTakenOnceBeforeRevealAndValidated() throws Exception {
    String playId = play("flip", body(single(2_000))).json().getString("playId");
    String path = "/api/play/" + playId + "/client-seed";
    TotFixture.Resp set = tot.call("POST", path, new JsonObject().put("clientSeed", "my lucky seed 7"), null);
    assertThat(set.status()).as(set.body()).isEqualTo(200);
    assertThat(set.json().getString("clientSeed")).isEqualTo("my lucky seed 7");
    assertThat(tot.call("POST", path, new JsonObject().put("clientSeed", "my lucky seed 7"), null).status())
        .isEqualTo(200);
    expect(tot.call("POST", path, new JsonObject().put("clientSeed", "another"), null), 409, "client_seed_locked");
    expect(tot.call("POST", path, new JsonObject().put("clientSeed", ""), null), 400, "invalid_field");
    expect(tot.call("POST", path, new JsonObject().put("clientSeed", "x".repeat(65)), null), 400, "invalid_field");
    expect(tot.call("POST", path, new JsonObject().put("clientSeed", "tab\there"), null), 400, "invalid_field");
    expect(tot.call("POST", "/api/play/play_nope/client-seed", new JsonObject().put("clientSeed", "a"), null), 404,
        "not_found");
    expect(tot.get("/api/play/play_nope"), 404, "not_found");
  }

  /** PaymentIntents the simulator created so far (its event log is written synchronously, unlike deliveries). */
  private static int intents() throws Exception {
    return sim.gateway.listEvents(com.stripe.param.EventListParams.builder().setType("payment_intent.created")
        .setLimit(100L).build()).await(10, TimeUnit.SECONDS).getJsonArray("data").size();
  }

  private static void expect(TotFixture.Resp r, int status, String error) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.error()).as(r.body()).isEqualTo(error);
  }
}
