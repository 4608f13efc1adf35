package io.slabtrack.tot.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.param.EventListParams;
import com.stripe.param.PaymentIntentCreateParams;
import io.slabtrack.cluster.bus.Addresses.ReconcileSnapshot;
import io.slabtrack.tot.PaidPlays;
import io.slabtrack.tot.TotFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code tot.reconcile.stripe}: webhooks lost for real (the simulator holds its deliveries), reported without
 * touching anything, then healed through the webhook's own code, after which the late delivery is a no-op.
 */
class ReconcileStripeTest {
  private static PaidPlays plays;
  private static TotFixture tot;

  @BeforeAll
  static void start() throws Exception {
    plays = new PaidPlays(80_000);
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

  private static String event(String type, String field, String value) throws Exception {
    List<JsonObject> found = plays.sim.gateway.listEvents(EventListParams.builder().setType(type).setLimit(100L)
            .build()).await().getJsonArray("data").stream().map(e -> (JsonObject) e)
        .filter(e -> value.equals(e.getJsonObject("data").getJsonObject("object").getString(field))).toList();
    assertThat(found).as(type + " for " + value).hasSize(1);
    return found.get(0).getString("id");
  }

  private static JsonObject report() throws Exception {
    TotFixture.Resp r = tot.call("POST", "/api/reconcile/stripe", new JsonObject().put("mode", "report"),
        tot.operator);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().getBoolean("configured")).isTrue();
    assertThat(r.json().getValue("next")).isNull();
    return r.json();
  }

  private static long count(String sql, Object... params) throws Exception {
    return tot.count(sql, params);
  }

  private static void awaitDelivered(String eventId) throws InterruptedException {
    PaidPlays.await("delivery of " + eventId, () -> plays.sim.http.getAbs(plays.sim.simulator.baseUrl()
            + "/_sim/deliveries").send().await().bodyAsJsonObject().getJsonArray("data").stream()
        .map(d -> (JsonObject) d).anyMatch(d -> eventId.equals(d.getString("eventId")) && d.getInteger("status") == 200));
  }

  @Test
  void aLostAuthorizationIsReportedThenHealedExactlyAsItsWebhookWouldAndItsLateDeliveryIsANoOp() throws Exception {
    String playId = plays.commit("flip", plays.single(4_000));
    String pi = plays.paymentIntent(playId);
    long authorized = count("SELECT amount FROM plays WHERE id = $1", playId);
    // Storefront shares the Stripe account: its authorization is lost too, but is none of ToT's business
    String foreign = plays.sim.client.v1().paymentIntents().create(PaymentIntentCreateParams.builder()
        .setAmount(1_234L).setCurrency("usd").setCaptureMethod(PaymentIntentCreateParams.CaptureMethod.MANUAL)
        .addPaymentMethodType("card").putMetadata("app", "storefront").putMetadata("orderId", "so_1").build()).getId();

    plays.sim.control("/_sim/webhooks/hold", new JsonObject()); // Stripe's deliveries never reach ToT
    plays.authorize(playId);
    assertThat(plays.sim.control("/_sim/payment_intents/" + foreign + "/authorize", new JsonObject()).statusCode())
        .isEqualTo(200);
    String lost = event("payment_intent.amount_capturable_updated", "id", pi);

    JsonObject report = report();
    assertThat(report.getInteger("listedEvents")).isGreaterThanOrEqualTo(2);
    JsonArray items = report.getJsonArray("items");
    assertThat(items).as(items.encode()).hasSize(1);
    JsonObject item = items.getJsonObject(0);
    assertThat(item.getString("eventId")).isEqualTo(lost);
    assertThat(item.getString("type")).isEqualTo("payment_intent.amount_capturable_updated");
    assertThat(item.getString("paymentIntentId")).isEqualTo(pi);
    assertThat(item.getString("orderRef")).isEqualTo(playId); // no order before the reveal
    assertThat(item.getLong("amountCents")).isEqualTo(authorized);
    assertThat(Instant.parse(item.getString("created"))).isBeforeOrEqualTo(Instant.now());
    assertThat(item.getBoolean("healed")).isFalse();
    // a report changes nothing
    assertThat(plays.playStatus(playId)).isEqualTo("COMMITTED");
    assertThat(count("SELECT count(*) FROM orders WHERE play_id = $1", playId)).isZero();
    assertThat(count("SELECT count(*) FROM stripe_events WHERE event_id = $1", lost)).isZero();
    assertThat(plays.claims.stream().filter(c -> c.getString("claimId").equals("tot-claim-" + playId))).isEmpty();

    // core asks for the heal over the bus
    JsonObject healed = Reconcile.bus(tot, ReconcileSnapshot.STRIPE, new JsonObject().put("mode", "heal")
        .put("sinceDays", 1));
    assertThat(healed.getJsonArray("items")).hasSize(1);
    JsonObject h = healed.getJsonArray("items").getJsonObject(0);
    assertThat(h.getString("eventId")).isEqualTo(lost);
    assertThat(h.getBoolean("healed")).isTrue();
    assertThat(h.getString("outcome")).startsWith("applied; play ");

    // settled exactly as the webhook does: revealed, claimed from core through the outbox, captured, ledger told
    PaidPlays.await("paid", () -> plays.orderStatus(playId).equals("paid"));
    assertThat(plays.playStatus(playId)).isEqualTo("SETTLED");
    String orderId = tot.sql("SELECT id FROM orders WHERE play_id = $1", playId).iterator().next().getString(0);
    List<JsonObject> claims = plays.claims.stream().filter(c -> c.getString("claimId").equals("tot-claim-" + playId))
        .toList();
    assertThat(claims).hasSize(1);
    assertThat(claims.get(0).getString("orderRef")).isEqualTo(orderId);
    long outcome = count("SELECT outcome_amount FROM plays WHERE id = $1", playId);
    assertThat(plays.sim.client.v1().paymentIntents().retrieve(pi).getAmountReceived()).isEqualTo(outcome);
    PaidPlays.await("ledger paid", () -> plays.ledger.stream()
        .anyMatch(e -> orderId.equals(e.getString("orderRef")) && "paid".equals(e.getString("state"))));
    assertThat(count("SELECT count(*) FROM stripe_events WHERE event_id = $1", lost)).isEqualTo(1);

    assertThat(report().getJsonArray("items")).isEmpty();

    // Stripe finally delivers: recorded already, so nothing happens twice
    plays.sim.control("/_sim/webhooks/release", new JsonObject());
    awaitDelivered(lost);
    Thread.sleep(300);
    assertThat(count("SELECT count(*) FROM orders WHERE play_id = $1", playId)).isEqualTo(1);
    assertThat(plays.claims.stream().filter(c -> c.getString("claimId").equals("tot-claim-" + playId))).hasSize(1);
    assertThat(plays.ledger.stream().filter(e -> orderId.equals(e.getString("orderRef")))).hasSize(1);
    assertThat(plays.orderStatus(playId)).isEqualTo("paid");
    assertThat(plays.sim.client.v1().paymentIntents().retrieve(pi).getAmountReceived()).isEqualTo(outcome);
  }

  @Test
  void aLostHostedCheckoutIsFoundByItsPlayAndHealedBeforeThePaymentIntentIsKnown() throws Exception {
    String playId = plays.commitCheckout("flip", plays.single(4_100)).getString("playId");
    String session = plays.checkoutSession(playId);
    plays.sim.control("/_sim/webhooks/hold", new JsonObject()); // neither of the payment's events reaches ToT
    plays.payOnHostedPage(playId);
    String pi = plays.sim.client.v1().checkout().sessions().retrieve(session).getPaymentIntent();
    String completed = event("checkout.session.completed", "id", session);
    String capturable = event("payment_intent.amount_capturable_updated", "id", pi);
    assertThat(plays.paymentIntent(playId)).as("unknown to ToT until an event says").isNull();

    JsonArray items = report().getJsonArray("items");
    assertThat(items.stream().map(i -> ((JsonObject) i).getString("eventId")).toList()).as(items.encode())
        .containsExactlyInAnyOrder(completed, capturable);
    JsonObject lostCompletion = items.stream().map(i -> (JsonObject) i)
        .filter(i -> i.getString("eventId").equals(completed)).findFirst().orElseThrow();
    assertThat(lostCompletion.getString("orderRef")).isEqualTo(playId);
    assertThat(lostCompletion.getString("paymentIntentId")).isEqualTo(pi);
    assertThat(lostCompletion.getLong("amountCents")).isEqualTo(count("SELECT amount FROM plays WHERE id = $1",
        playId));
    assertThat(plays.playStatus(playId)).isEqualTo("COMMITTED");

    JsonArray healed = Reconcile.bus(tot, ReconcileSnapshot.STRIPE, new JsonObject().put("mode", "heal"))
        .getJsonArray("items");
    assertThat(healed).hasSize(2);
    healed.forEach(h -> assertThat(((JsonObject) h).getBoolean("healed")).as(healed.encode()).isTrue());
    PaidPlays.await("paid", () -> plays.orderStatus(playId).equals("paid"));
    assertThat(plays.paymentIntent(playId)).isEqualTo(pi);
    long outcome = count("SELECT outcome_amount FROM plays WHERE id = $1", playId);
    assertThat(plays.sim.client.v1().paymentIntents().retrieve(pi).getAmountReceived()).isEqualTo(outcome);
    assertThat(report().getJsonArray("items")).isEmpty();

    plays.sim.control("/_sim/webhooks/release", new JsonObject());
    awaitDelivered(completed);
    Thread.sleep(300);
    assertThat(count("SELECT count(*) FROM orders WHERE play_id = $1", playId)).isEqualTo(1);
    assertThat(plays.claims.stream().filter(c -> c.getString("claimId").equals("tot-claim-" + playId))).hasSize(1);
    assertThat(plays.sim.client.v1().paymentIntents().retrieve(pi).getAmountReceived()).isEqualTo(outcome);
  }

  @Test
  void aLostRefundMadeAtStripeIsFoundThroughItsPaymentIntentAndHealedOntoTheOrder() throws Exception {
    String orderId = plays.paidFlip(3_000);
    String pi = tot.sql("SELECT payment_intent_id FROM orders WHERE id = $1", orderId).iterator().next().getString(0);
    plays.sim.control("/_sim/webhooks/hold", new JsonObject());
    // refunded in Stripe's dashboard: ToT learns of it only from the webhook, which is lost
    plays.sim.client.v1().refunds().create(com.stripe.param.RefundCreateParams.builder().setPaymentIntent(pi)
        .setAmount(500L).build());
    String lost = event("charge.refunded", "payment_intent", pi);

    JsonArray items = report().getJsonArray("items");
    assertThat(items).as(items.encode()).hasSize(1);
    JsonObject item = items.getJsonObject(0);
    assertThat(item.getString("eventId")).isEqualTo(lost);
    assertThat(item.getString("orderRef")).isEqualTo(orderId);
    assertThat(item.getString("paymentIntentId")).isEqualTo(pi);
    assertThat(item.getLong("amountCents")).isEqualTo(500);
    assertThat(count("SELECT refunded_cents FROM orders WHERE id = $1", orderId)).isZero();
    int ledgerBefore = plays.ledger.size();

    JsonObject h = Reconcile.bus(tot, ReconcileSnapshot.STRIPE, new JsonObject().put("mode", "heal"))
        .getJsonArray("items").getJsonObject(0);
    assertThat(h.getBoolean("healed")).isTrue();
    assertThat(h.getString("outcome")).contains("order partially_refunded");
    assertThat(plays.orderStatus(tot.sql("SELECT play_id FROM orders WHERE id = $1", orderId).iterator().next()
        .getString(0))).isEqualTo("partially_refunded");
    assertThat(count("SELECT refunded_cents FROM orders WHERE id = $1", orderId)).isEqualTo(500);
    PaidPlays.await("ledger partially_refunded", () -> plays.ledger.stream().skip(ledgerBefore)
        .anyMatch(e -> orderId.equals(e.getString("orderRef")) && "partially_refunded".equals(e.getString("state"))));
    assertThat(report().getJsonArray("items")).isEmpty();
  }

  @Test
  void badModeOrWindowIsA400AndScansNothing() throws Exception {
    for (JsonObject bad : List.of(new JsonObject().put("mode", "fix"), new JsonObject().put("mode", 1),
        new JsonObject().put("sinceDays", 0), new JsonObject().put("sinceDays", 31),
        new JsonObject().put("sinceDays", "7"))) {
      String field = bad.containsKey("mode") ? "mode" : "sinceDays";
      TotFixture.Resp r = tot.call("POST", "/api/reconcile/stripe", bad, tot.operator);
      assertThat(r.status()).as(bad.encode() + " " + r.body()).isEqualTo(400);
      assertThat(r.json().getJsonObject("details").getString("field")).isEqualTo(field);
      Reconcile.busRejects(tot, ReconcileSnapshot.STRIPE, bad, field);
    }
    Reconcile.httpRejects(tot, ReconcileSnapshot.STRIPE, "?sinceDays=week", "sinceDays");
    Reconcile.busRejects(tot, ReconcileSnapshot.STRIPE, new JsonObject().put("sinceDays", 2.5), "sinceDays");
    Reconcile.httpRejects(tot, ReconcileSnapshot.STRIPE, "?mode=heal", "mode"); // a GET is read-only
    TotFixture.Resp get = Reconcile.http(tot, ReconcileSnapshot.STRIPE, "?sinceDays=2");
    assertThat(get.status()).as(get.body()).isEqualTo(200);
    assertThat(get.json().getBoolean("configured")).isTrue();
    assertThat(tot.call("POST", "/api/reconcile/stripe", new JsonObject().put("mode", "heal"), null).status())
        .isEqualTo(401);
  }
}
