package io.slabtrack.tot.orders;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.model.Charge;
import com.stripe.model.PaymentIntent;
import com.stripe.net.RequestOptions;
import com.stripe.param.RefundCreateParams;
import io.slabtrack.cluster.testing.Poll;
import io.slabtrack.tot.PaidPlays;
import io.slabtrack.tot.TotFixture;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Several partial refunds per order (Idempotency-Key decides the Stripe key), refused beyond what is left, counted
 * once whether learned from Stripe's answer or its webhook, and no database connection held while Stripe answers.
 */
class RefundsTest {
  private static PaidPlays plays;
  private static TotFixture tot;

  @BeforeAll
  static void start() throws Exception {
    plays = new PaidPlays(7_500);
    tot = plays.tot;
  }

  @AfterAll
  static void stop() throws Exception {
    plays.close();
  }

  @Test
  void twoPartialRefundsBothReachStripeAndAddUpToRefunded() throws Exception {
    String id = plays.paidFlip(5_000);
    long captured = order(id).getLong("capturedCents");
    long first = captured / 3;
    long webhooks = refundWebhooks();
    TotFixture.Resp a = refund(id, first, "refund-1");
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    assertThat(a.json().getString("status")).isEqualTo("partially_refunded");
    assertThat(a.json().getLong("refundedCents")).isEqualTo(first);
    TotFixture.Resp b = refund(id, captured - first, "refund-2");
    assertThat(b.status()).as(b.body()).isEqualTo(200);
    assertThat(b.json().getString("status")).isEqualTo("refunded");
    assertThat(b.json().getLong("refundedCents")).isEqualTo(captured);
    assertThat(b.json().getString("refundId")).isNotEqualTo(a.json().getString("refundId"));

    assertThat(charge(id).getAmountRefunded()).isEqualTo(captured);
    assertThat(tot.count("SELECT count(*) FROM order_refunds WHERE order_id = $1 AND status = 'succeeded'", id))
        .isEqualTo(2);
    PaidPlays.await("both ledger events", () -> ledger(id, "partially_refunded", first)
        && ledger(id, "refunded", captured));
    awaitRefundWebhooks(webhooks + 2);
    assertThat(order(id).getLong("refundedCents")).isEqualTo(captured); // the two charge.refunded add nothing
    assertThat(order(id).getString("status")).isEqualTo("refunded");
  }

  @Test
  void theSameIdempotencyKeyRefundsOnceAndAnotherAmountUnderItIsRefused() throws Exception {
    String id = plays.paidFlip(5_000);
    CompletableFuture<TotFixture.Resp> a = CompletableFuture.supplyAsync(() -> refund(id, 1_000L, "click-1"));
    CompletableFuture<TotFixture.Resp> b = CompletableFuture.supplyAsync(() -> refund(id, 1_000L, "click-1"));
    assertThat(a.get().status()).as(a.get().body()).isEqualTo(200);
    assertThat(b.get().status()).as(b.get().body()).isEqualTo(200);
    TotFixture.Resp again = refund(id, 1_000L, "click-1");
    assertThat(again.status()).as(again.body()).isEqualTo(200);
    assertThat(again.json().getString("refundId")).isEqualTo(a.get().json().getString("refundId"));
    assertThat(again.json().getLong("refundedCents")).isEqualTo(1_000L);
    assertThat(charge(id).getAmountRefunded()).isEqualTo(1_000L);

    TotFixture.Resp reused = refund(id, 2_000L, "click-1");
    assertThat(reused.status()).as(reused.body()).isEqualTo(409);
    assertThat(reused.error()).isEqualTo("idempotency_key_reused");
    assertThat(charge(id).getAmountRefunded()).isEqualTo(1_000L);
  }

  @Test
  void aRefundBeyondWhatIsLeftIsRefusedNamingTheAmountAndChangesNothing() throws Exception {
    String id = plays.paidFlip(5_000);
    long captured = order(id).getLong("capturedCents");
    assertThat(refund(id, 1_000L, "part-1").status()).isEqualTo(200);
    // the first refund's ledger event travels through the outbox: count from after it, not from before it lands
    Poll.until("the ledger hears the first refund", Duration.ofSeconds(10), () -> plays.ledger.stream()
        .anyMatch(e -> id.equals(e.getString("orderRef")) && e.getLong("refundedCents", 0L) == 1_000L));
    JsonObject before = order(id);
    long ledgerBefore = plays.ledger.size();

    TotFixture.Resp over = refund(id, captured - 1_000 + 1, "part-2");
    assertThat(over.status()).as(over.body()).isEqualTo(409);
    assertThat(over.error()).isEqualTo("refund_exceeds_payment");
    assertThat(over.json().getString("message")).contains((captured - 1_000) + " cents left");
    assertThat(over.json().getJsonObject("details").getLong("refundableCents")).isEqualTo(captured - 1_000);

    assertThat(charge(id).getAmountRefunded()).isEqualTo(1_000L);
    assertThat(tot.count("SELECT count(*) FROM order_refunds WHERE order_id = $1", id)).isEqualTo(1);
    JsonObject after = order(id);
    assertThat(after.getLong("refundedCents")).isEqualTo(before.getLong("refundedCents"));
    assertThat(after.getString("status")).isEqualTo(before.getString("status"));
    assertThat(after.getString("updatedAt")).isEqualTo(before.getString("updatedAt"));
    Thread.sleep(300);
    assertThat(plays.ledger.stream().skip(ledgerBefore).filter(e -> id.equals(e.getString("orderRef")))).isEmpty();
    // what is left can still be refunded
    TotFixture.Resp rest = refund(id, captured - 1_000, "part-3");
    assertThat(rest.status()).as(rest.body()).isEqualTo(200);
    assertThat(rest.json().getString("status")).isEqualTo("refunded");
  }

  @Test
  void theWebhookOfAnApiRefundDoesNotCountItTwiceWhicheverLandsFirst() throws Exception {
    // webhook after the answer
    String id = plays.paidFlip(5_000);
    long webhooks = refundWebhooks();
    plays.sim.control("/_sim/webhooks/hold", new JsonObject());
    try {
      assertThat(refund(id, 700L, "w-1").status()).isEqualTo(200);
    } finally {
      plays.sim.control("/_sim/webhooks/release", new JsonObject());
    }
    awaitRefundWebhooks(webhooks + 1);
    assertThat(order(id).getLong("refundedCents")).isEqualTo(700L);
    assertThat(plays.ledger.stream().filter(e -> id.equals(e.getString("orderRef"))
        && "partially_refunded".equals(e.getString("state")))).hasSize(1);

    // webhook first: ToT stopped after Stripe refunded (pending row, refund made with its key) and before recording;
    // charge.refunded lands, then the operator's retry with the same Idempotency-Key finishes the refund
    String key = "tot-refund-" + id + "-key-w-2";
    tot.sql("INSERT INTO order_refunds (request_key, order_id, amount, status) VALUES ($1, $2, 500, 'pending')", key,
        id);
    String pi = order(id).getString("paymentIntentId");
    plays.sim.client.v1().refunds().create(RefundCreateParams.builder().setPaymentIntent(pi).setAmount(500L)
        .putMetadata("app", "tot").putMetadata("orderId", id).putMetadata("requestKey", key).build(),
        RequestOptions.builder().setIdempotencyKey(key).build());
    PaidPlays.await("webhook counted", () -> refundedCents(id) == 1_200L);
    TotFixture.Resp retry = refund(id, 500L, "w-2");
    assertThat(retry.status()).as(retry.body()).isEqualTo(200);
    assertThat(retry.json().getLong("refundedCents")).isEqualTo(1_200L);
    assertThat(charge(id).getAmountRefunded()).isEqualTo(1_200L);
    assertThat(tot.count("SELECT count(*) FROM order_refunds WHERE order_id = $1 AND status = 'succeeded'", id))
        .isEqualTo(2);
  }

  /**
   * Stripe answers refunds 3 s late; 8 refunds in flight (the app's pool has 8 connections) must leave the database
   * to others: an order read during that time answers at once.
   */
  @Test
  void noConnectionIsHeldWhileStripeAnswers() throws Exception {
    String id = plays.paidFlip(5_000);
    String other = plays.paidFlip(2_000);
    plays.sim.control("/_sim/latency", new JsonObject().put("ms", 3_000).put("path", "/v1/refunds"));
    List<CompletableFuture<TotFixture.Resp>> inFlight = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        String key = "slow-" + i;
        inFlight.add(CompletableFuture.supplyAsync(() -> refund(id, 100L, key)));
      }
      Thread.sleep(1_000); // every refund is waiting for Stripe now
      long start = System.nanoTime();
      HttpResponse<String> read = TotFixture.HTTP.send(HttpRequest.newBuilder(
              URI.create(tot.node.url(io.slabtrack.cluster.config.AppName.TOT, "/api/admin/orders/" + other)))
          .header("Authorization", "Bearer " + tot.operator).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
      long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
      TotFixture.CONTRACT.check("GET", "/api/admin/orders/" + other, read.statusCode(), read.headers().map(),
          read.body());
      assertThat(read.statusCode()).isEqualTo(200);
      assertThat(ms).as("an order read while 8 refunds wait for Stripe").isLessThan(1_000);
      assertThat(inFlight).noneMatch(CompletableFuture::isDone);
    } finally {
      for (CompletableFuture<TotFixture.Resp> f : inFlight) {
        f.join();
      }
      plays.sim.control("/_sim/latency", new JsonObject().put("ms", 0));
    }
    for (CompletableFuture<TotFixture.Resp> f : inFlight) {
      assertThat(f.get().status()).as(f.get().body()).isEqualTo(200);
    }
    assertThat(charge(id).getAmountRefunded()).isEqualTo(800L);
    assertThat(order(id).getLong("refundedCents")).isEqualTo(800L);
  }

  private static boolean ledger(String id, String state, long refunded) {
    return plays.ledger.stream().anyMatch(e -> id.equals(e.getString("orderRef")) && state.equals(e.getString("state"))
        && e.getLong("refundedCents", -1L) == refunded);
  }

  private static long refundedCents(String id) {
    try {
      return tot.sql("SELECT refunded_cents FROM orders WHERE id = $1", id).iterator().next().getLong(0);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** charge.refunded events ToT's webhook accepted so far. */
  private static long refundWebhooks() {
    return plays.sim.http.getAbs(plays.sim.simulator.baseUrl() + "/_sim/deliveries").send().await()
        .bodyAsJsonObject().getJsonArray("data").stream().map(JsonObject.class::cast)
        .filter(d -> "charge.refunded".equals(d.getString("type")) && d.getString("url").endsWith("/api/stripe/webhook")
            && d.getInteger("status", 0) / 100 == 2)
        .count();
  }

  private static void awaitRefundWebhooks(long atLeast) throws InterruptedException {
    PaidPlays.await(atLeast + " charge.refunded delivered", () -> refundWebhooks() >= atLeast);
  }

  private static JsonObject order(String id) throws Exception {
    TotFixture.Resp r = tot.call("GET", "/api/admin/orders/" + id, null, tot.operator);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private static Charge charge(String orderId) throws Exception {
    PaymentIntent pi = plays.sim.client.v1().paymentIntents().retrieve(order(orderId).getString("paymentIntentId"));
    return plays.sim.client.v1().charges().retrieve(pi.getLatestCharge());
  }

  private static TotFixture.Resp refund(String id, Long amount, String idempotencyKey) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(tot.node.url(io.slabtrack.cluster.config.AppName.TOT,
              "/api/admin/orders/" + id + "/refund")))
          .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + tot.operator)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString((amount == null ? new JsonObject()
              : new JsonObject().put("amount", amount)).encode()));
      if (idempotencyKey != null) {
        b.header("Idempotency-Key", idempotencyKey);
      }
      HttpResponse<String> r = TotFixture.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      TotFixture.CONTRACT.check("POST", "/api/admin/orders/" + id + "/refund", r.statusCode(), r.headers().map(),
          r.body());
      return new TotFixture.Resp(r.statusCode(), r.body());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
