package io.slabtrack.storefront.orders;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.storefront.PayingShop;
import io.slabtrack.storefront.StorefrontFixture;
import io.slabtrack.storefront.StorefrontFixture.Resp;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** shipped → delivered over HTTP: the owner's and operator's route, its ledger event, and refunds after it. */
class OrderDeliveryTest {
  private static PayingShop shop;
  private static String orders;

  @BeforeAll
  static void start() throws Exception {
    shop = new PayingShop();
    orders = "/api/storefronts/" + PayingShop.SLUG + "/orders/";
  }

  @AfterAll
  static void stop() throws Exception {
    shop.close();
  }

  @Test
  void aShippedOrderIsDeliveredOnceAndEveryoneSeesIt() throws Exception {
    String orderId = shipped();
    String at = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
    Resp first = deliver(orderId, new JsonObject().put("deliveredAt", at), shop.owner);
    assertThat(first.status()).as(first.toString()).isEqualTo(200);
    assertThat(first.json().getString("state")).isEqualTo("delivered");
    assertThat(first.json().getString("deliveredAt")).isEqualTo(at);
    assertThat(first.json().getJsonObject("shipment").getString("trackingNumber")).as("shipment kept")
        .isEqualTo("9400");

    Resp again = deliver(orderId, new JsonObject().put("deliveredAt", Instant.now().toString()), shop.owner);
    assertThat(again.status()).as("idempotent").isEqualTo(200);
    assertThat(again.json()).isEqualTo(first.json());
    assertThat(deliver(orderId, null, shop.sf.operator).json()).as("an operator, the same answer")
        .isEqualTo(first.json());

    StorefrontFixture.await("ledger delivered", PayingShop.WAIT,
        () -> shop.ledgerFor(orderId, "delivered").size() == 1);
    Thread.sleep(300); // a second event would have been relayed by now: the assertion is that there is none
    assertThat(shop.ledgerFor(orderId, "delivered")).hasSize(1);
    assertThat(shop.ledgerFor(orderId, "delivered").get(0).getString("deliveredAt")).isEqualTo(at);

    String token = shop.sf.sql("SELECT buyer_token FROM orders WHERE id = $1", orderId).iterator().next().getString(0);
    Resp buyer = shop.sf.get("/api/orders/" + orderId + "?token=" + token);
    assertThat(buyer.json().getString("state")).isEqualTo("delivered");
    assertThat(buyer.json().getString("deliveredAt")).isEqualTo(at);
    Resp listed = shop.call("GET", "/api/storefronts/" + PayingShop.SLUG + "/orders?state=delivered", null);
    assertThat(listed.items().stream().map(o -> ((JsonObject) o).getString("orderId"))).contains(orderId);
  }

  @Test
  void withoutABodyItIsDeliveredNow() throws Exception {
    String orderId = shipped();
    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Resp r = deliver(orderId, null, shop.owner);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(Instant.parse(r.json().getString("deliveredAt"))).isBetween(before, Instant.now());
  }

  @Test
  void onlyAShippedOrderCanBeDelivered() throws Exception {
    String pending = shop.order(shop.card(1_000));
    Resp fromPending = deliver(pending, null, shop.owner);
    assertThat(fromPending.status()).isEqualTo(409);
    assertThat(fromPending.error()).isEqualTo("illegal_transition");
    assertThat(fromPending.json().getString("message")).contains("pending");
    assertThat(fromPending.json().getJsonObject("details").getString("state")).isEqualTo("pending");

    String paid = paid();
    Resp fromPaid = deliver(paid, null, shop.owner);
    assertThat(fromPaid.status()).isEqualTo(409);
    assertThat(fromPaid.json().getString("message")).contains("it is paid");
    assertThat(shop.get(paid).getString("state")).isEqualTo("paid");
    assertThat(shop.get(paid).getString("deliveredAt")).isNull();
    assertThat(shop.ledgerFor(paid, "delivered")).isEmpty();
  }

  @Test
  void anotherShopsOwnerCannotDeliverAndBadTimesAre400() throws Exception {
    String orderId = shipped();
    shop.sf.shop("mallorys", "mallory");
    Resp foreign = deliver(orderId, null, StorefrontFixture.vendor("mallory"));
    assertThat(foreign.status()).isEqualTo(403);
    Resp viaOwnShop = shop.sf.call("POST", "/api/storefronts/mallorys/orders/" + orderId + "/deliver", null,
        StorefrontFixture.vendor("mallory"));
    assertThat(viaOwnShop.status()).as("not her shop's order").isEqualTo(404);
    assertThat(deliver(orderId, null, null).status()).isEqualTo(401);
    assertThat(deliver("no-such-order", null, shop.owner).status()).isEqualTo(404);

    for (Object bad : new Object[] {"yesterday", 1_700_000_000, Instant.now().plus(1, ChronoUnit.DAYS).toString()}) {
      Resp r = deliver(orderId, new JsonObject().put("deliveredAt", bad), shop.owner);
      assertThat(r.status()).as(String.valueOf(bad)).isEqualTo(400);
      assertThat(r.field()).isEqualTo("deliveredAt");
    }
    assertThat(shop.get(orderId).getString("state")).as("nothing changed").isEqualTo("shipped");
  }

  @Test
  void aDeliveredOrderCanStillBeRefundedAndDisputed() throws Exception {
    String refunded = delivered();
    Resp refund = shop.call("POST", orders + refunded + "/refund", null);
    assertThat(refund.status()).as(refund.toString()).isEqualTo(200);
    assertThat(refund.json().getString("state")).isEqualTo("refunded");
    assertThat(refund.json().getLong("refundedCents")).isEqualTo(2_500L);
    assertThat(refund.json().getString("deliveredAt")).as("the delivery stays on record").isNotNull();
    StorefrontFixture.await("ledger refunded", PayingShop.WAIT, () -> shop.ledgerFor(refunded, "refunded").size() == 1);
    assertThat(deliver(refunded, null, shop.owner).status()).as("refunded is not deliverable").isEqualTo(409);

    String disputed = delivered();
    String pi = shop.get(disputed).getString("paymentIntentId");
    shop.sim.control("/_sim/disputes", new JsonObject().put("payment_intent", pi));
    StorefrontFixture.await("disputed", PayingShop.WAIT,
        () -> "disputed".equals(shop.get(disputed).getString("state")));
    assertThat(shop.get(disputed).getJsonObject("dispute").getString("previousState")).isEqualTo("delivered");
  }

  private static Resp deliver(String orderId, JsonObject body, String token) throws Exception {
    return shop.sf.call("POST", orders + orderId + "/deliver", body, token);
  }

  private static String paid() throws Exception {
    String orderId = shop.order(shop.card(2_500));
    shop.pay(orderId);
    shop.awaitState(orderId, "paid");
    return orderId;
  }

  private static String shipped() throws Exception {
    String orderId = paid();
    Resp r = shop.call("POST", orders + orderId + "/ship", new JsonObject().put("carrier", "USPS")
        .put("trackingNumber", "9400"));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return orderId;
  }

  private static String delivered() throws Exception {
    String orderId = shipped();
    Resp r = deliver(orderId, null, shop.owner);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return orderId;
  }
}
