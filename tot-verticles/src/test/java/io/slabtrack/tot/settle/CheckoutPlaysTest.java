package io.slabtrack.tot.settle;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.model.PaymentIntent;
import com.stripe.model.checkout.Session;
import com.stripe.param.EventListParams;
import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.simulator.stripe.WebhookSignatures;
import io.slabtrack.tot.PaidPlays;
import io.slabtrack.tot.TotFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Plays paid on the Stripe-hosted Checkout page (the simulator's): the session authorizes the maximum, its
 * completion reveals, claims and captures the outcome once whatever the order and number of deliveries; an expired,
 * cancelled or lock-expired session voids the play and frees its cards; nothing is captured without a sale.
 */
class CheckoutPlaysTest {
  private static final String PUBLIC_URL = "https://tot.example";
  private static PaidPlays plays;
  private static TotFixture tot;

  @BeforeAll
  static void start() throws Exception {
    plays = new PaidPlays(40_000, Map.of("TOT_PUBLIC_URL", PUBLIC_URL), true);
    tot = plays.tot;
  }

  @AfterAll
  static void stop() throws Exception {
    plays.close();
  }

  @AfterEach
  void deliverAgain() {
    plays.sim.control("/_sim/webhooks/release", new JsonObject()); // a failed test must not hold the next one's
  }

  @Test
  void aFlipPaidOnTheHostedPageIsRevealedClaimedAndCapturedAtItsOutcome() throws Exception {
    long listing = plays.single(10_000);
    JsonObject c = plays.commitCheckout("flip", listing);
    String playId = c.getString("playId");
    assertThat(c.getLong("amount")).isEqualTo(12_500);

    // the buyer's browser: the hosted page, its Pay button, back to the play page
    HttpClient browser = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();
    HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create(c.getString("checkoutUrl"))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("125.00").contains("Pay with test card");
    HttpResponse<String> paid = browser.send(HttpRequest.newBuilder(URI.create(c.getString("checkoutUrl") + "/pay"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(paid.statusCode()).isEqualTo(303);
    assertThat(paid.headers().firstValue("Location")).hasValue(PUBLIC_URL + "/play/" + playId + "?paid=1");

    PaidPlays.await("settled", () -> plays.playStatus(playId).equals("SETTLED"));
    JsonObject view = tot.get("/api/play/" + playId).json();
    long expected = view.getString("outcome").equals("WIN") ? 7_500 : 12_500;
    assertThat(view.getLong("outcomeAmount")).isEqualTo(expected);
    assertThat(view.getString("payment")).isEqualTo("checkout");
    assertThat(view.containsKey("checkoutUrl")).as("paid: nothing left to pay").isFalse();

    String pi = plays.paymentIntent(playId);
    assertThat(pi).as("recorded from the session's events").isNotNull();
    PaymentIntent intent = plays.sim.client.v1().paymentIntents().retrieve(pi);
    assertThat(intent.getAmount()).isEqualTo(12_500L);
    assertThat(intent.getCaptureMethod()).isEqualTo("manual");
    assertThat(intent.getMetadata()).containsEntry("app", "tot").containsEntry("playId", playId);
    assertThat(intent.getStatus()).isEqualTo("succeeded");
    assertThat(intent.getAmountReceived()).isEqualTo(expected);
    assertThat(tot.count("SELECT count(*) FROM orders WHERE play_id = $1 AND status = 'paid' AND captured_cents = $2"
        + " AND payment_intent_id = $3", playId, expected, pi)).isEqualTo(1);
    assertThat(tot.listingStatus(listing)).isEqualTo("COMPLETED");
    assertThat(tot.locked(tot.cardsOf(listing))).isFalse();
    // Stripe delivered the session's completion to ToT's endpoint, signed with ToT's secret (accepted: 200)
    String completed = eventFor("checkout.session.completed", plays.checkoutSession(playId));
    assertThat(deliveredOk(completed)).isTrue();
  }

  @Test
  void aPullPaidOnTheHostedPageSellsTheWinnerAtThePullPrice() throws Exception {
    long[] stack = {plays.single(4_000), plays.single(5_000), plays.single(6_000)};
    String playId = plays.commitCheckout("pull", stack).getString("playId");
    assertThat(plays.sim.client.v1().checkout().sessions().retrieve(plays.checkoutSession(playId)).getAmountTotal())
        .isEqualTo(4_350L);
    plays.payOnHostedPage(playId);
    PaidPlays.await("settled", () -> plays.playStatus(playId).equals("SETTLED"));
    JsonObject view = tot.get("/api/play/" + playId).json();
    assertThat(view.getLong("outcomeAmount")).isEqualTo(4_350);
    assertThat(plays.sim.client.v1().paymentIntents().retrieve(plays.paymentIntent(playId)).getAmountReceived())
        .isEqualTo(4_350L);
    long winner = view.getLong("winnerListingId");
    for (long id : stack) {
      assertThat(tot.listingStatus(id)).isEqualTo(id == winner ? "COMPLETED" : "ACTIVE");
      assertThat(tot.locked(tot.cardsOf(id))).isFalse();
    }
  }

  @Test
  void completionAndAuthorizationInEitherOrderAndRedeliveredSettleOnce() throws Exception {
    for (boolean reversed : List.of(false, true)) {
      String playId = plays.commitCheckout("flip", plays.single(4_000)).getString("playId");
      plays.sim.control("/_sim/webhooks/hold", new JsonObject());
      plays.payOnHostedPage(playId);
      // the simulator emits amount_capturable_updated before checkout.session.completed: reversed = completed first
      plays.sim.control("/_sim/webhooks/release", new JsonObject().put("reversed", reversed));
      PaidPlays.await("settled", () -> plays.playStatus(playId).equals("SETTLED"));
      String completed = eventFor("checkout.session.completed", plays.checkoutSession(playId));
      String capturable = eventFor("payment_intent.amount_capturable_updated", plays.paymentIntent(playId));
      plays.sim.control("/_sim/events/" + completed + "/redeliver", new JsonObject().put("times", 2));
      plays.sim.control("/_sim/events/" + capturable + "/redeliver", new JsonObject().put("times", 2));
      assertSettledOnce(playId);
    }
  }

  @Test
  void eitherEventAloneSettlesACheckoutPlayAndRecordsItsPaymentIntent() throws Exception {
    for (String type : List.of("checkout.session.completed", "payment_intent.amount_capturable_updated")) {
      String playId = plays.commitCheckout("flip", plays.single(4_200)).getString("playId");
      plays.sim.control("/_sim/webhooks/hold", new JsonObject()); // Stripe's own deliveries wait
      plays.payOnHostedPage(playId);
      String session = plays.checkoutSession(playId);
      String pi = plays.sim.client.v1().checkout().sessions().retrieve(session).getPaymentIntent();
      assertThat(plays.paymentIntent(playId)).isNull();
      assertThat(deliver(event(type, type.startsWith("checkout") ? session : pi))).as(type).isEqualTo(200);
      PaidPlays.await(type + " alone settles", () -> plays.playStatus(playId).equals("SETTLED"));
      assertThat(plays.paymentIntent(playId)).isEqualTo(pi);
      plays.sim.control("/_sim/webhooks/release", new JsonObject()); // the other one, late: a no-op
      assertSettledOnce(playId);
    }
  }

  @Test
  void aDeclinedCardOnTheHostedPageIsCountedAndTheBuyerPaysWithAnother() throws Exception {
    String playId = plays.commitCheckout("flip", plays.single(3_600)).getString("playId");
    String session = plays.checkoutSession(playId);
    var declined = plays.sim.control("/_sim/checkout/" + session + "/decline", new JsonObject());
    assertThat(declined.statusCode()).as(declined.bodyAsString()).isEqualTo(200);
    PaidPlays.await("decline counted", () -> failures(playId) == 1);
    assertThat(plays.playStatus(playId)).isEqualTo("COMMITTED");
    assertThat(tot.get("/api/play/" + playId).json().getString("checkoutUrl")).as("still payable").isNotBlank();
    plays.payOnHostedPage(playId);
    PaidPlays.await("settled", () -> plays.playStatus(playId).equals("SETTLED"));
    assertSettledOnce(playId);
  }

  private static long failures(String playId) {
    try {
      return tot.count("SELECT payment_failures FROM plays WHERE id = $1", playId);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aSessionStripeExpiresVoidsThePlayAndFreesItsCards() throws Exception {
    long listing = plays.single(3_000);
    String playId = plays.commitCheckout("flip", listing).getString("playId");
    assertThat(tot.locked(tot.cardsOf(listing))).isTrue();
    plays.sim.client.v1().checkout().sessions().expire(plays.checkoutSession(playId));
    PaidPlays.await("void", () -> plays.playStatus(playId).equals("VOID"));
    List<Long> cards = tot.cardsOf(listing);
    PaidPlays.await("unlocked", () -> !lockedQuietly(cards));
    assertThat(tot.listingStatus(listing)).isEqualTo("ACTIVE");
    assertThat(plays.paymentIntent(playId)).isNull();
    assertThat(tot.count("SELECT count(*) FROM orders WHERE play_id = $1", playId)).isZero();
    assertThat(tot.get("/api/play/" + playId).json().containsKey("checkoutUrl")).isFalse();
  }

  @Test
  void theBuyerCancelsAnUnpaidCheckoutPlay() throws Exception {
    long listing = plays.single(3_100);
    String playId = plays.commitCheckout("flip", listing).getString("playId");
    TotFixture.Resp r = tot.call("POST", "/api/play/" + playId + "/cancel", null, null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().getString("status")).isEqualTo("VOID");
    assertThat(tot.locked(tot.cardsOf(listing))).as("free in the answer, not after the lock TTL").isFalse();
    Session session = plays.sim.client.v1().checkout().sessions().retrieve(plays.checkoutSession(playId));
    assertThat(session.getStatus()).isEqualTo("expired");
    assertThat(plays.sim.control("/_sim/checkout/" + session.getId() + "/pay", new JsonObject()).statusCode())
        .as("the hosted page can't be paid any more").isEqualTo(400);
    TotFixture.Resp again = tot.call("POST", "/api/play/" + playId + "/cancel", null, null);
    assertThat(again.status()).as(again.body()).isEqualTo(200);
    assertThat(again.json().getString("status")).isEqualTo("VOID");
    // the same cards can be played again at once
    assertThat(plays.commitCheckout("flip", listing).getString("playId")).isNotEqualTo(playId);
  }

  @Test
  void aCancelRacingTheCompletionLosesAndThePlaySettles() throws Exception {
    String playId = plays.commitCheckout("flip", plays.single(3_200)).getString("playId");
    plays.sim.control("/_sim/webhooks/hold", new JsonObject());
    plays.payOnHostedPage(playId); // paid, but ToT hasn't heard yet
    TotFixture.Resp r = tot.call("POST", "/api/play/" + playId + "/cancel", null, null);
    assertThat(r.status()).as(r.body()).isEqualTo(409);
    assertThat(r.error()).isEqualTo("illegal_transition");
    assertThat(plays.playStatus(playId)).isEqualTo("COMMITTED");
    plays.sim.control("/_sim/webhooks/release", new JsonObject());
    PaidPlays.await("settled", () -> plays.playStatus(playId).equals("SETTLED"));
    long outcome = tot.sql("SELECT outcome_amount FROM plays WHERE id = $1", playId).iterator().next().getLong(0);
    assertThat(plays.sim.client.v1().paymentIntents().retrieve(plays.paymentIntent(playId)).getAmountReceived())
        .isEqualTo(outcome);
  }

  @Test
  void aLockExpiryExpiresTheSessionAndVoidsThePlayEvenWithoutItsWebhook() throws Exception {
    long listing = plays.single(3_300);
    String playId = plays.commitCheckout("flip", listing).getString("playId");
    plays.sim.control("/_sim/webhooks/hold", new JsonObject()); // checkout.session.expired is not needed
    JsonObject notice = expiryNotice(playId, listing);
    var bus = tot.node.vertx().eventBus();
    JsonObject reply = bus.<JsonObject>request(Addresses.saleLockExpired(AppName.TOT), notice)
        .await(30, TimeUnit.SECONDS).body();
    assertThat(reply.getBoolean("canceled")).as(reply.encode()).isTrue();
    assertThat(bus.<JsonObject>request(Addresses.saleLockExpired(AppName.TOT), notice).await(30, TimeUnit.SECONDS)
        .body()).isEqualTo(reply); // the sweeper repeats notices: applied once
    assertThat(plays.playStatus(playId)).isEqualTo("VOID");
    assertThat(plays.sim.client.v1().checkout().sessions().retrieve(plays.checkoutSession(playId)).getStatus())
        .isEqualTo("expired");
    plays.sim.control("/_sim/webhooks/release", new JsonObject());
    Thread.sleep(300);
    assertThat(plays.playStatus(playId)).isEqualTo("VOID");
  }

  @Test
  void aLockExpiryAfterTheBuyerPaidLeavesThePaymentToSettle() throws Exception {
    long listing = plays.single(3_400);
    String playId = plays.commitCheckout("flip", listing).getString("playId");
    plays.sim.control("/_sim/webhooks/hold", new JsonObject());
    plays.payOnHostedPage(playId);
    JsonObject reply = tot.node.vertx().eventBus().<JsonObject>request(Addresses.saleLockExpired(AppName.TOT),
        expiryNotice(playId, listing)).await(30, TimeUnit.SECONDS).body();
    assertThat(reply.getBoolean("canceled")).as(reply.encode()).isFalse();
    assertThat(plays.playStatus(playId)).isEqualTo("COMMITTED");
    plays.sim.control("/_sim/webhooks/release", new JsonObject());
    PaidPlays.await("settled", () -> plays.playStatus(playId).equals("SETTLED"));
  }

  private static JsonObject expiryNotice(String playId, long listing) throws Exception {
    String lockRef = tot.sql("SELECT lock_ref FROM plays WHERE id = $1", playId).iterator().next().getString(0);
    return new JsonObject().put("eventId", UUID.randomUUID().toString()).put("occurredAt", Instant.now().toString())
        .put("lockRef", lockRef).put("channel", "thisorthat").put("orderRef", playId)
        .put("cardIds", new JsonArray(tot.cardsOf(listing))).put("expiredAt", Instant.now().toString());
  }

  /** One order, one claim at core, the outcome captured once. */
  private static void assertSettledOnce(String playId) throws Exception {
    Thread.sleep(500); // redeliveries and late events land
    assertThat(tot.count("SELECT count(*) FROM orders WHERE play_id = $1", playId)).isEqualTo(1);
    assertThat(plays.orderStatus(playId)).isEqualTo("paid");
    assertThat(plays.claims.stream().filter(c -> c.getString("claimId").equals("tot-claim-" + playId))).hasSize(1);
    long outcome = tot.sql("SELECT outcome_amount FROM plays WHERE id = $1", playId).iterator().next().getLong(0);
    PaymentIntent intent = plays.sim.client.v1().paymentIntents().retrieve(plays.paymentIntent(playId));
    assertThat(intent.getAmountReceived()).isEqualTo(outcome);
    assertThat(tot.count("SELECT captured_cents FROM orders WHERE play_id = $1", playId)).isEqualTo(outcome);
  }

  /** The id of the one event of this type whose object is {@code objectId}. */
  private static String eventFor(String type, String objectId) throws Exception {
    return event(type, objectId).getString("id");
  }

  private static JsonObject event(String type, String objectId) throws Exception {
    List<JsonObject> found = plays.sim.gateway.listEvents(EventListParams.builder().setType(type).setLimit(100L)
            .build()).await().getJsonArray("data").stream().map(e -> (JsonObject) e)
        .filter(e -> objectId.equals(e.getJsonObject("data").getJsonObject("object").getString("id"))).toList();
    assertThat(found).as(type + " of " + objectId).hasSize(1);
    return found.get(0);
  }

  /** Posts one of Stripe's events to ToT's webhook as Stripe would, signed with ToT's secret. */
  private static int deliver(JsonObject event) throws Exception {
    String body = event.encode();
    HttpRequest request = HttpRequest.newBuilder(URI.create(tot.node.url(AppName.TOT, StripeWebhookRoutes.PATH)))
        .header("Content-Type", "application/json")
        .header("Stripe-Signature", WebhookSignatures.header(PaidPlays.WEBHOOK_SECRET, body,
            Instant.now().getEpochSecond()))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    HttpResponse<String> r = TotFixture.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    TotFixture.CONTRACT.check("POST", StripeWebhookRoutes.PATH, r.statusCode(), r.headers().map(), r.body());
    return r.statusCode();
  }

  private static boolean deliveredOk(String eventId) {
    return plays.sim.http.getAbs(plays.sim.simulator.baseUrl() + "/_sim/deliveries").send().await()
        .bodyAsJsonObject().getJsonArray("data").stream().map(d -> (JsonObject) d)
        .anyMatch(d -> eventId.equals(d.getString("eventId")) && d.getInteger("status") == 200
            && d.getString("url").equals(tot.node.url(AppName.TOT, StripeWebhookRoutes.PATH)));
  }

  private static boolean lockedQuietly(List<Long> cards) {
    try {
      return tot.locked(cards);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
