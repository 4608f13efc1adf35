package io.slabtrack.storefront.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.bus.Addresses.ReconcileSnapshot;
import io.slabtrack.storefront.PayingShop;
import io.slabtrack.storefront.StorefrontFixture;
import io.slabtrack.storefront.StorefrontFixture.Resp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lost Stripe webhooks: the simulator holds its deliveries (Stripe never reaches us), the check finds the order's
 * events through Stripe's API, heal mode settles the order through the webhook's own code, and the late real delivery
 * is a replay. Its own Storefront and simulator, so no other test's events are in flight while it looks.
 */
class ReconcileStripeTest {
  private static final List<String> PAID_EVENTS = List.of("charge.succeeded", "payment_intent.amount_capturable_updated",
      "checkout.session.completed");
  private static PayingShop shop;

  @BeforeAll
  static void start() throws Exception {
    shop = new PayingShop();
  }

  @AfterAll
  static void stop() throws Exception {
    shop.close();
  }

  private static long count(String sql, Object... params) {
    try {
      return shop.sf.count(sql, params);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static long inbox(String orderId, String type) {
    return count("SELECT count(*) FROM stripe_events WHERE type = $1 "
        + "AND payload->'data'->'object'->'metadata'->>'orderId' = $2", type, orderId);
  }

  private static List<JsonObject> deliveries(Set<String> eventIds) {
    JsonArray all = shop.sim.http.getAbs(shop.sim.simulator.baseUrl() + "/_sim/deliveries").send().await()
        .bodyAsJsonObject().getJsonArray("data");
    return all.stream().map(JsonObject.class::cast).filter(d -> eventIds.contains(d.getString("eventId"))
        && shop.webhookUrl().equals(d.getString("url"))).toList();
  }

  private static List<JsonObject> items(JsonObject reply) {
    return reply.getJsonArray("items").stream().map(JsonObject.class::cast).toList();
  }

  @Test
  void lostWebhooksAreReportedThenHealedExactlyAsADeliveryWouldAndTheLateDeliveryIsAReplay() throws Exception {
    // a normal purchase first: its events were delivered, so the check must not list them
    String delivered = shop.order(shop.card(2000));
    shop.pay(delivered);
    shop.awaitState(delivered, "paid");
    StorefrontFixture.await("the delivered order's events recorded", PayingShop.WAIT,
        () -> PAID_EVENTS.stream().allMatch(t -> inbox(delivered, t) == 1));

    long card = shop.card(4500);
    String lost = shop.order(card);
    shop.sim.control("/_sim/webhooks/hold", new JsonObject());
    try {
      shop.pay(lost);
      String pi = shop.sim.gateway.retrieveCheckoutSession(shop.get(lost).getString("checkoutSessionId")).await()
          .getPaymentIntent();

      // report: the three events of the payment, oldest first, nothing applied
      JsonObject report = shop.bus(ReconcileSnapshot.STRIPE, new JsonObject());
      assertThat(report.getString("channel")).isEqualTo("storefront");
      assertThat(report.getBoolean("configured")).isTrue();
      assertThat(report.getValue("next")).isNull();
      assertThat(report.getInteger("listedEvents")).isGreaterThanOrEqualTo(6);
      List<JsonObject> found = items(report);
      assertThat(found.stream().map(i -> i.getString("type")).toList()).containsExactlyElementsOf(PAID_EVENTS);
      for (JsonObject i : found) {
        assertThat(i.getString("eventId")).startsWith("evt_");
        assertThat(i.getString("orderRef")).isEqualTo(lost);
        assertThat(i.getString("paymentIntentId")).isEqualTo(pi);
        assertThat(i.getLong("amountCents")).isEqualTo(4500L);
        assertThat(Instant.parse(i.getString("created"))).isAfter(Instant.now().minus(Duration.ofHours(1)));
        assertThat(i.getBoolean("healed")).isFalse();
        assertThat(i.containsKey("outcome")).isFalse();
      }
      Set<String> lostIds = Set.copyOf(found.stream().map(i -> i.getString("eventId")).toList());
      assertThat(deliveries(lostIds)).as("Stripe never reached the Storefront with them").isEmpty();
      assertThat(shop.get(lost).getString("state")).as("a report changes nothing").isEqualTo("pending");
      assertThat(count("SELECT count(*) FROM stripe_events WHERE event_id = ANY($1)", (Object) lostIds.toArray(String[]::new)))
          .isZero();

      // the operator's HTTP route sees the same; a bad mode is refused and changes nothing
      Resp http = shop.sf.call("GET", "/api/reconcile/stripe?sinceDays=1", null, shop.sf.operator);
      assertThat(http.status()).as(http.toString()).isEqualTo(200);
      assertThat(items(http.json()).stream().map(i -> i.getString("eventId")).toList())
          .containsExactlyElementsOf(found.stream().map(i -> i.getString("eventId")).toList());
      Resp badMode = shop.sf.call("POST", "/api/reconcile/stripe", new JsonObject().put("mode", "HEAL"), shop.sf.operator);
      assertThat(badMode.status()).as(badMode.toString()).isEqualTo(400);
      assertThat(badMode.field()).isEqualTo("mode");
      assertThat(shop.sf.call("POST", "/api/reconcile/stripe", new JsonObject().put("mode", "heal").put("sinceDays", 0),
          shop.sf.operator).status()).isEqualTo(400);
      assertThat(shop.get(lost).getString("state")).isEqualTo("pending");
      assertThat(shop.claimsFor(lost)).isZero();

      // heal: applied through the webhook's code, in order, and recorded like deliveries
      Resp heal = shop.sf.call("POST", "/api/reconcile/stripe", new JsonObject().put("mode", "heal"), shop.sf.operator);
      assertThat(heal.status()).as(heal.toString()).isEqualTo(200);
      List<JsonObject> healed = items(heal.json());
      assertThat(healed.stream().map(i -> i.getString("eventId")).toList())
          .containsExactlyElementsOf(found.stream().map(i -> i.getString("eventId")).toList());
      assertThat(healed).allMatch(i -> i.getBoolean("healed"));
      assertThat(healed.stream().map(i -> i.getString("outcome")).toList())
          .containsExactly("recorded", "authorized", "authorized");
      assertThat(count("SELECT count(*) FROM stripe_events WHERE event_id = ANY($1)", (Object) lostIds.toArray(String[]::new)))
          .isEqualTo(3);
      JsonObject settled = shop.get(lost);
      assertThat(settled.getString("state")).isIn("awaiting_confirmation", "paid");
      assertThat(settled.getString("paymentIntentId")).isEqualTo(pi);
      assertThat(count("SELECT count(*) FROM outbox WHERE address = $1 AND payload->>'orderRef' = $2",
          Addresses.CORE_SALE_CLAIM, lost)).as("the claim to core went out through the outbox").isEqualTo(1);
      shop.awaitState(lost, "paid");
      assertThat(shop.claimsFor(lost)).isEqualTo(1);
      assertThat(shop.get(lost).getLong("capturedCents")).isEqualTo(4500L);
      StorefrontFixture.await("ledger paid", PayingShop.WAIT, () -> shop.ledgerFor(lost, "paid").size() == 1);

      JsonObject again = shop.bus(ReconcileSnapshot.STRIPE, new JsonObject().put("mode", "report"));
      assertThat(items(again)).as("nothing left to heal").isEmpty();
      JsonObject healAgain = shop.bus(ReconcileSnapshot.STRIPE, new JsonObject().put("mode", "heal"));
      assertThat(items(healAgain)).isEmpty();

      // Stripe finally delivers: each a replay, acknowledged, nothing moves
      shop.sim.control("/_sim/webhooks/release", new JsonObject());
      StorefrontFixture.await("late deliveries acknowledged", PayingShop.WAIT, () -> deliveries(lostIds).stream()
          .filter(d -> d.getInteger("status") == 200).map(d -> d.getString("eventId")).distinct().count() == 3);
    } finally {
      shop.sim.control("/_sim/webhooks/release", new JsonObject());
    }
    Thread.sleep(300); // anything a replay enqueued would show by now; the assertion is that nothing did
    assertThat(shop.claimsFor(lost)).isEqualTo(1);
    assertThat(shop.ledgerFor(lost, "paid")).hasSize(1);
    assertThat(shop.get(lost).getString("state")).isEqualTo("paid");
    assertThat(count("SELECT count(*) FROM outbox WHERE address = $1 AND payload->>'orderRef' = $2",
        Addresses.CORE_SALE_CLAIM, lost)).isEqualTo(1);
    for (String type : PAID_EVENTS) {
      assertThat(inbox(lost, type)).as(type).isEqualTo(1);
    }
  }
}
