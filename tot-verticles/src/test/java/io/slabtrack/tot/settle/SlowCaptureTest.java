package io.slabtrack.tot.settle;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.outbox.Outbox;
import io.slabtrack.cluster.outbox.OutboxMessage;
import io.slabtrack.cluster.stripe.StripeSimFixture;
import io.slabtrack.cluster.testing.Poll;
import io.slabtrack.tot.TotFixture;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No external call inside a transaction: with Stripe answering a capture after 5 s (the simulator's latency knob),
 * the node's other outbox messages keep flowing, no transaction stays open over the capture, and the pool answers at
 * once. Before captures ran apart from the relay's batch, the relay waited for the capture before its next batch,
 * so every other message of the node waited 5 s too.
 */
class SlowCaptureTest {
  private static final String SECRET = "whsec_test_tot";
  private static final String FLOW = "test.slow-capture.flow";
  private static final long CAPTURE_MS = 5_000;
  private static StripeSimFixture sim;
  private static TotFixture tot;
  private static final Map<Integer, Long> arrived = new ConcurrentHashMap<>();
  private static volatile long claimAnsweredAt;

  @BeforeAll
  static void start() throws Exception {
    sim = new StripeSimFixture(AppName.TOT);
    tot = TotFixture.start(Map.of("STRIPE_SIMULATOR", "true", "STRIPE_API_BASE", sim.simulator.baseUrl(),
        "TOT_STRIPE_WEBHOOK_SECRET", SECRET));
    sim.control("/_sim/webhook_endpoints", new JsonObject()
        .put("url", tot.node.url(AppName.TOT, StripeWebhookRoutes.PATH)).put("secret", SECRET));
    var bus = tot.node.vertx().eventBus();
    bus.<JsonObject>consumer(Addresses.CORE_SALE_CLAIM, m -> {
      claimAnsweredAt = System.nanoTime();
      m.reply(new JsonObject().put("claimId", m.body().getString("claimId")).put("outcome", "won")
          .put("cardIds", m.body().getJsonArray("cardIds")).put("decidedAt", Instant.now().toString()));
    }).completion().await(10, TimeUnit.SECONDS);
    bus.<JsonObject>consumer(Addresses.CORE_ORDERS_EVENT, m -> m.reply(new JsonObject().put("recorded", true)))
        .completion().await(10, TimeUnit.SECONDS);
    bus.<JsonObject>consumer(FLOW, m -> {
      arrived.putIfAbsent(m.body().getInteger("i"), System.nanoTime());
      m.reply(new JsonObject().put("ok", true));
    }).completion().await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    tot.close();
    sim.close();
  }

  @Test
  void otherMessagesFlowAndThePoolAnswersWhileACaptureTakesFiveSeconds() throws Exception {
    tot.ingest(TotFixture.single("publish", 9_100, 1, 10_000));
    long listing = tot.sql("SELECT id FROM listings WHERE listing_key = $1", "card:9100").iterator().next().getLong(0);
    TotFixture.Resp r = tot.call("POST", "/api/play/flip", new JsonObject().put("listingIds", new JsonArray().add(listing))
        .put("email", "buyer@example.com").put("shippingAddress", new JsonObject().put("name", "B")
            .put("line1", "1 Main").put("city", "Memphis").put("postalCode", "38103").put("country", "US")), null);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    String playId = r.json().getString("playId");
    String pi = tot.sql("SELECT payment_intent_id FROM plays WHERE id = $1", playId).iterator().next().getString(0);
    // only this PaymentIntent's capture is slow
    sim.control("/_sim/latency", new JsonObject().put("ms", CAPTURE_MS).put("path", "/v1/payment_intents/" + pi + "/capture"));

    assertThat(sim.control("/_sim/payment_intents/" + pi + "/authorize", new JsonObject()).statusCode()).isEqualTo(200);
    Poll.until("core answered the claim", Duration.ofSeconds(20), () -> claimAnsweredAt != 0);
    long answered = claimAnsweredAt;
    Thread.sleep(300); // the claim's reply handler reads its order, then waits on the capture

    // other messages of this node, enqueued while the capture is pending, arrive at once
    long enqueuedAt = System.nanoTime();
    int messages = 20;
    tot.pool().withTransaction(tx -> {
      Future<Void> chain = Future.succeededFuture();
      for (int i = 0; i < messages; i++) {
        int n = i;
        chain = chain.compose(x -> Outbox.enqueue(tx, OutboxMessage.of(FLOW, "flow:" + n, new JsonObject().put("i", n))));
      }
      return chain;
    }).await(10, TimeUnit.SECONDS);

    // read well before the capture's answer (~5 s after core's), not at the end of the probes below (~4.5 s)
    String orderStatusDuringCapture = tot.sql("SELECT status FROM orders WHERE play_id = $1", playId).iterator().next()
        .getString(0);

    // meanwhile the pool answers fast and no transaction stays open over the capture
    List<Long> queryMs = new ArrayList<>();
    long longTransactions = 0;
    while (System.nanoTime() - answered < TimeUnit.MILLISECONDS.toNanos(CAPTURE_MS - 1_000)) {
      long t0 = System.nanoTime();
      longTransactions = Math.max(longTransactions, tot.pool().query("SELECT count(*) FROM pg_stat_activity"
              + " WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
              + " AND clock_timestamp() - xact_start > interval '1 second'").execute()
          .await(10, TimeUnit.SECONDS).iterator().next().getLong(0));
      queryMs.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
      Thread.sleep(200);
    }
    Poll.until("the other messages delivered", Duration.ofSeconds(20), () -> arrived.size() == messages);
    long lastArrivalMs = TimeUnit.NANOSECONDS.toMillis(arrived.values().stream().mapToLong(Long::longValue).max()
        .orElseThrow() - enqueuedAt);

    Poll.until("the play settled after the slow capture", Duration.ofSeconds(30),
        () -> statusOf(playId).equals("SETTLED"));
    long settledAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - answered);
    sim.control("/_sim/latency", new JsonObject().put("ms", 0));

    System.out.printf("slow capture: %d messages delivered %d ms after enqueue while the capture waited; pool query"
        + " max %d ms over %d probes; settled %d ms after core's answer%n", messages, lastArrivalMs,
        queryMs.stream().mapToLong(Long::longValue).max().orElse(0), queryMs.size(), settledAfterMs);
    assertThat(lastArrivalMs).as("other messages wait for no capture").isLessThan(2_000);
    assertThat(orderStatusDuringCapture).as("the capture was still pending").isEqualTo("awaiting_confirmation");
    assertThat(queryMs).isNotEmpty().allSatisfy(ms -> assertThat(ms).as("pool query ms").isLessThan(500));
    assertThat(longTransactions).as("transactions open over 1 s during the capture").isZero();
    assertThat(settledAfterMs).as("the capture really was slow").isGreaterThanOrEqualTo(CAPTURE_MS - 500);
  }

  private static String statusOf(String playId) {
    try {
      return tot.sql("SELECT status FROM plays WHERE id = $1", playId).iterator().next().getString(0);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
