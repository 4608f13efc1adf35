package io.slabtrack.cluster.stripe;

import static io.slabtrack.cluster.stripe.StripeSimFixture.object;
import static io.slabtrack.cluster.stripe.StripeSimFixture.type;
import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.model.PaymentIntent;
import com.stripe.param.PaymentIntentCreateParams;
import io.slabtrack.cluster.config.AppName;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The delivery behaviours a webhook handler must survive: retries, duplicates, reordering. */
class WebhookDeliveryTest {
  private static StripeSimFixture sim;

  @BeforeAll
  static void start() {
    sim = new StripeSimFixture(AppName.TOT);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  private static PaymentIntent intent(String playId) {
    return sim.gateway.createPaymentIntent(PaymentIntentCreateParams.builder().setAmount(1_500L).setCurrency("usd")
        .setCaptureMethod(PaymentIntentCreateParams.CaptureMethod.MANUAL).putMetadata("playId", playId).build(),
        "tot-play-" + playId).await();
  }

  private static Predicate<JsonObject> about(String piId) {
    return e -> piId.equals(object(e).getString("id"));
  }

  @Test
  void aFailingEndpointIsRetriedUntilItAccepts() {
    PaymentIntent pi = intent(UUID.randomUUID().toString());
    sim.failNextPlatform.set(2);
    sim.control("/_sim/payment_intents/" + pi.getId() + "/authorize", null);
    JsonObject event = sim.awaitPlatform(type("charge.succeeded").or(type("payment_intent.amount_capturable_updated"))
        .and(e -> pi.getId().equals(object(e).getString("payment_intent", object(e).getString("id")))), 2).get(0);
    List<Integer> statuses = sim.http.getAbs(sim.simulator.baseUrl() + "/_sim/deliveries").send().await()
        .bodyAsJsonObject().getJsonArray("data").stream().map(JsonObject.class::cast)
        .filter(d -> d.getString("url").endsWith("/platform"))
        .filter(d -> d.getString("type").startsWith("charge.succeeded")
            || d.getString("type").equals("payment_intent.amount_capturable_updated"))
        .filter(d -> d.getString("eventId") != null)
        .map(d -> d.getInteger("status")).toList();
    assertThat(statuses).contains(500).contains(200);
    assertThat(event.getString("api_version")).isEqualTo(com.stripe.Stripe.API_VERSION);
  }

  @Test
  void anEndpointWithTheWrongSecretRefusesEveryDelivery() throws InterruptedException {
    String wrong = sim.platformUrl() + "?secret=wrong";
    sim.control("/_sim/webhook_endpoints", new JsonObject().put("url", wrong).put("secret", "whsec_not_the_one")
        .put("events", new io.vertx.core.json.JsonArray().add("payment_intent.canceled")));
    int rejectedBefore = sim.rejectedDeliveries.get();
    PaymentIntent pi = intent(UUID.randomUUID().toString());
    sim.gateway.cancelPaymentIntent(pi.getId(), null, "tot-cancel-" + pi.getId()).await();
    // the right secret got it once; the wrong one was refused (400) and retried
    sim.awaitPlatform(type("payment_intent.canceled").and(about(pi.getId())), 1);
    io.slabtrack.cluster.testing.Poll.until("the wrong endpoint refused twice", StripeSimFixture.WAIT,
        () -> sim.rejectedDeliveries.get() >= rejectedBefore + 2);
    assertThat(sim.rejectedDeliveries.get()).isGreaterThanOrEqualTo(rejectedBefore + 2);
    assertThat(sim.platformEvents.stream().filter(type("payment_intent.canceled").and(about(pi.getId())))).hasSize(1);
  }

  @Test
  void redeliverySendsTheSameEventAgain() {
    PaymentIntent pi = intent(UUID.randomUUID().toString());
    sim.control("/_sim/payment_intents/" + pi.getId() + "/authorize", null);
    JsonObject first = sim.awaitPlatform(type("payment_intent.amount_capturable_updated").and(about(pi.getId())), 1)
        .get(0);
    sim.control("/_sim/events/" + first.getString("id") + "/redeliver", new JsonObject().put("times", 2));
    List<JsonObject> all = sim.awaitPlatform(e -> first.getString("id").equals(e.getString("id")), 3);
    assertThat(all).hasSize(3).allMatch(e -> e.equals(first));
  }

  @Test
  void heldEventsCanBeReleasedOutOfOrder() {
    PaymentIntent pi = intent(UUID.randomUUID().toString());
    Predicate<JsonObject> later = about(pi.getId()).and(type("payment_intent.created").negate());
    sim.control("/_sim/webhooks/hold", null);
    int released;
    try {
      sim.control("/_sim/payment_intents/" + pi.getId() + "/authorize", null);
      sim.gateway.capturePaymentIntent(pi.getId(), null, "tot-capture-" + pi.getId()).await();
      assertThat(sim.platformEvents).noneMatch(later);
    } finally {
      released = sim.control("/_sim/webhooks/release", new JsonObject().put("reversed", true)).bodyAsJsonObject()
          .getInteger("released");
    }
    assertThat(released).isEqualTo(4);
    List<JsonObject> seen = sim.awaitPlatform(later, 2);
    // one delivery per event, all sent at once: with a reversed queue the success event arrives first
    assertThat(seen.get(0).getString("type")).isEqualTo("payment_intent.succeeded");
    assertThat(seen.get(1).getString("type")).isEqualTo("payment_intent.amount_capturable_updated");
  }
}
