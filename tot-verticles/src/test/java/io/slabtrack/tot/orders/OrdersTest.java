package io.slabtrack.tot.orders;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.model.Charge;
import com.stripe.model.PaymentIntent;
import io.slabtrack.tot.PaidPlays;
import io.slabtrack.tot.TotFixture;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operator's orders: list, detail, refund once, ship; disputes and declines; the buyer's status link. */
class OrdersTest {
  private static PaidPlays plays;
  private static TotFixture tot;

  @BeforeAll
  static void start() throws Exception {
    plays = new PaidPlays(7_000);
    tot = plays.tot;
  }

  @AfterAll
  static void stop() throws Exception {
    plays.close();
  }

  private static TotFixture.Resp op(String method, String path, Object body) throws Exception {
    return tot.call(method, path, body, tot.operator);
  }

  private static JsonObject order(String id) throws Exception {
    TotFixture.Resp r = op("GET", "/api/admin/orders/" + id, null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private static Charge charge(String orderId) throws Exception {
    PaymentIntent pi = plays.sim.client.v1().paymentIntents().retrieve(order(orderId).getString("paymentIntentId"));
    return plays.sim.client.v1().charges().retrieve(pi.getLatestCharge());
  }

  @Test
  void operatorsListAndReadOrdersAndBuyersOnlyWithTheirToken() throws Exception {
    String id = plays.paidFlip(2_000);
    assertThat(tot.call("GET", "/api/admin/orders", null, null).status()).isEqualTo(401);
    assertThat(tot.call("GET", "/api/admin/orders", null, tot.service).status()).isEqualTo(401);
    JsonObject list = op("GET", "/api/admin/orders?status=paid", null).json();
    assertThat(list.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("id"))).contains(id);
    assertThat(op("GET", "/api/admin/orders?status=lost", null).status()).isEqualTo(400);
    String token = tot.sql("SELECT status_token FROM orders WHERE id = $1", id).iterator().next().getString(0);
    TotFixture.Resp buyer = tot.get("/api/orders/" + id + "?token=" + token);
    assertThat(buyer.status()).isEqualTo(200);
    assertThat(buyer.json().getString("status")).isEqualTo("paid");
    assertThat(buyer.json().containsKey("email")).isFalse();
    assertThat(tot.get("/api/orders/" + id + "?token=wrong").status()).isEqualTo(404);
    assertThat(tot.get("/api/orders/" + id).status()).isEqualTo(404);
  }

  @Test
  void aDoubleClickRefundsOnceAndTheWebhookAgrees() throws Exception {
    String id = plays.paidFlip(4_000);
    long captured = order(id).getLong("capturedCents");
    CompletableFuture<TotFixture.Resp> a = CompletableFuture.supplyAsync(() -> refund(id, null));
    CompletableFuture<TotFixture.Resp> b = CompletableFuture.supplyAsync(() -> refund(id, null));
    assertThat(a.get().status()).as(a.get().body()).isEqualTo(200);
    assertThat(b.get().status()).as(b.get().body()).isEqualTo(200);
    assertThat(a.get().json().getString("refundId")).isEqualTo(b.get().json().getString("refundId"));
    assertThat(refund(id, null).json().getString("refundId")).isEqualTo(a.get().json().getString("refundId"));
    assertThat(charge(id).getAmountRefunded()).isEqualTo(captured);
    PaidPlays.await("refunded event applied", () -> plays.ledger.stream()
        .anyMatch(e -> e.getString("orderRef").equals(id) && e.getString("state").equals("refunded")));
    JsonObject o = order(id);
    assertThat(o.getString("status")).isEqualTo("refunded");
    assertThat(o.getLong("refundedCents")).isEqualTo(captured);
    assertThat(op("POST", "/api/admin/orders/" + id + "/ship",
        new JsonObject().put("carrier", "USPS").put("trackingNumber", "9400")).status()).isEqualTo(409);
  }

  @Test
  void aPartialRefundLeavesTheOrderPartiallyRefunded() throws Exception {
    String id = plays.paidFlip(4_000);
    TotFixture.Resp tooMuch = refund(id, 1_000_000L);
    assertThat(tooMuch.status()).isEqualTo(409);
    assertThat(tooMuch.error()).isEqualTo("refund_exceeds_payment");
    TotFixture.Resp r = refund(id, 1_000L);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().getString("status")).isEqualTo("partially_refunded");
    assertThat(charge(id).getAmountRefunded()).isEqualTo(1_000L);
    Thread.sleep(300); // let the charge.refunded delivery land; it must not change the state
    assertThat(order(id).getString("status")).isEqualTo("partially_refunded");
    assertThat(order(id).getLong("refundedCents")).isEqualTo(1_000L);
  }

  private static TotFixture.Resp refund(String id, Long amount) {
    try {
      return op("POST", "/api/admin/orders/" + id + "/refund", amount == null ? new JsonObject()
          : new JsonObject().put("amount", amount));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void shippingNeedsAPaidOrderAndIsRepeatable() throws Exception {
    String id = plays.paidFlip(2_500);
    JsonObject ship = new JsonObject().put("carrier", "USPS").put("trackingNumber", "9400111");
    TotFixture.Resp r = op("POST", "/api/admin/orders/" + id + "/ship", ship);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().getString("status")).isEqualTo("shipped");
    assertThat(r.json().getString("trackingNumber")).isEqualTo("9400111");
    assertThat(op("POST", "/api/admin/orders/" + id + "/ship", ship).status()).isEqualTo(200);
    assertThat(op("POST", "/api/admin/orders/" + id + "/ship", new JsonObject().put("carrier", "USPS")).status())
        .isEqualTo(400);
    assertThat(op("POST", "/api/admin/orders/nope/ship", ship).status()).isEqualTo(404);
  }

  @Test
  void disputesMarkTheOrderWithTheirDeadlineAndOutcomeInALog() throws Exception {
    String id = plays.paidFlip(3_000);
    String pi = order(id).getString("paymentIntentId");
    var created = plays.sim.control("/_sim/disputes", new JsonObject().put("payment_intent", pi));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(200);
    String disputeId = created.bodyAsJsonObject().getString("id");
    PaidPlays.await("disputed", () -> plays.orderStatus(orderPlay(id)).equals("disputed"));
    assertThat(order(id).getString("disputeDeadline")).isNotNull();
    plays.sim.control("/_sim/disputes/" + disputeId + "/close", new JsonObject().put("status", "won"));
    PaidPlays.await("dispute closed", () -> {
      try {
        return order(id).getJsonArray("disputes").size() == 2;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    assertThat(order(id).getString("disputeStatus")).isEqualTo("won");
  }

  private static String orderPlay(String orderId) {
    try {
      return tot.sql("SELECT play_id FROM orders WHERE id = $1", orderId).iterator().next().getString(0);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void declinesShowInFailedPaymentsAndPlaysAreListed() throws Exception {
    String playId = plays.commit("flip", plays.single(2_200));
    var declined = plays.sim.control("/_sim/payment_intents/" + plays.paymentIntent(playId) + "/decline",
        new JsonObject());
    assertThat(declined.statusCode()).as(declined.bodyAsString()).isEqualTo(200);
    PaidPlays.await("failure counted", () -> {
      try {
        return op("GET", "/api/admin/payments/failed", null).json().getJsonArray("items").stream()
            .anyMatch(p -> ((JsonObject) p).getString("playId").equals(playId));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    JsonObject committed = op("GET", "/api/admin/plays?status=COMMITTED", null).json();
    assertThat(committed.getJsonArray("items").stream().map(p -> ((JsonObject) p).getString("playId")))
        .contains(playId);
    assertThat(op("GET", "/api/admin/plays?status=WON", null).status()).isEqualTo(400);
  }

  @Test
  void normalizingLotSpreadsRecomputesTheirPrices() throws Exception {
    tot.ingest(TotFixture.lot("publish", "norm-1", 1, 7_901, 1_000, 7_902, 1_000));
    tot.sql("UPDATE listings SET spread = 0.1, win_price = 1, lose_price = 2 WHERE listing_key = 'lot:norm-1'");
    TotFixture.Resp r = op("POST", "/api/admin/normalize-lot-spreads", null);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().getInteger("updated")).isGreaterThanOrEqualTo(1);
    var row = tot.sql("SELECT spread, win_price, lose_price FROM listings WHERE listing_key = 'lot:norm-1'")
        .iterator().next();
    assertThat(row.getBigDecimal("spread")).isEqualByComparingTo("0.25");
    assertThat(row.getLong("win_price")).isEqualTo(1_500);
    assertThat(row.getLong("lose_price")).isEqualTo(2_500);
    assertThat(tot.call("POST", "/api/admin/normalize-lot-spreads", null, null).status()).isEqualTo(401);
  }
}
