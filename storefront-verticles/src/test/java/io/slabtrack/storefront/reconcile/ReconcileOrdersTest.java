package io.slabtrack.storefront.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.bus.Addresses.ReconcileSnapshot;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.salelock.SaleLock;
import io.slabtrack.storefront.PayingShop;
import io.slabtrack.storefront.StorefrontFixture.Resp;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The orders and checkouts snapshots against real orders: paid through the simulator, and still pending. */
class ReconcileOrdersTest {
  private static PayingShop shop;

  @BeforeAll
  static void start() throws Exception {
    shop = new PayingShop();
  }

  @AfterAll
  static void stop() throws Exception {
    shop.close();
  }

  /** Every entry of a snapshot, following next. */
  private static List<JsonObject> all(ReconcileSnapshot snapshot, int limit) throws Exception {
    List<JsonObject> items = new ArrayList<>();
    Object after = null;
    do {
      JsonObject page = shop.bus(snapshot, new JsonObject().put("after", after).put("limit", limit));
      assertThat(page.getString("channel")).isEqualTo("storefront");
      page.getJsonArray("items").forEach(i -> items.add((JsonObject) i));
      after = page.getValue("next");
    } while (after != null);
    return items;
  }

  private static JsonObject find(List<JsonObject> items, String field, String value) {
    return items.stream().filter(i -> value.equals(i.getString(field))).findFirst()
        .orElseThrow(() -> new AssertionError(field + "=" + value + " not in " + items));
  }

  @Test
  void aPaidOrderShowsItsAmountsAndStripeIds() throws Exception {
    long a = shop.card(3000);
    long b = shop.card(2000);
    String paid = shop.order(a, b);
    shop.pay(paid);
    shop.awaitState(paid, "paid");
    JsonObject owner = shop.get(paid);
    String pending = shop.order(shop.card(900));

    List<JsonObject> orders = all(ReconcileSnapshot.ORDERS, 1);
    assertThat(orders.stream().map(o -> o.getString("orderRef")).toList()).isSorted().doesNotHaveDuplicates();
    JsonObject o = find(orders, "orderRef", paid);
    assertThat(o.getString("state")).isEqualTo("paid");
    assertThat(o.getJsonArray("cardIds").getList()).containsExactlyInAnyOrder(a, b);
    assertThat(o.getLong("priceCents")).isEqualTo(5000L);
    assertThat(o.getLong("authorizedCents")).isEqualTo(5000L);
    assertThat(o.getLong("capturedCents")).isEqualTo(5000L);
    assertThat(o.getLong("refundedCents")).isZero();
    assertThat(o.getString("paymentIntentId")).startsWith("pi_").isEqualTo(owner.getString("paymentIntentId"));
    assertThat(o.getString("chargeId")).startsWith("ch_").isEqualTo(owner.getString("chargeId"));
    assertThat(o.getString("claimId")).isEqualTo("sf-claim-" + paid);
    assertThat(o.getString("lockRef")).startsWith("sf-");
    // orderRef is what core saw in the claim and the ledger
    assertThat(shop.claims.stream().filter(c -> paid.equals(c.getString("orderRef"))).map(c -> c.getString("claimId")))
        .containsExactly(o.getString("claimId"));
    assertThat(shop.ledgerFor(paid, "paid")).isNotEmpty();
    assertThat(Instant.parse(o.getString("createdAt"))).isBeforeOrEqualTo(Instant.parse(o.getString("updatedAt")));

    JsonObject p = find(orders, "orderRef", pending);
    assertThat(p.getString("state")).isEqualTo("pending");
    assertThat(p.getLong("priceCents")).isEqualTo(900L);
    assertThat(p.getLong("authorizedCents")).as("nothing authorized yet").isZero();
    assertThat(p.getLong("capturedCents")).isZero();
    assertThat(p.getValue("paymentIntentId")).isNull();
    assertThat(p.getValue("chargeId")).isNull();

    Resp http = shop.sf.call("GET", "/api/reconcile/orders?limit=1000", null, shop.sf.operator);
    assertThat(http.status()).as(http.toString()).isEqualTo(200);
    assertThat(http.items()).hasSize(orders.size());
    assertThat(http.json().getValue("next")).isNull();
  }

  @Test
  void checkoutsListThePendingOrdersLockRefsOnly() throws Exception {
    long card = shop.card(1100);
    String pending = shop.order(card);
    String lockRef = shop.sf.sql("SELECT lock_ref FROM orders WHERE id = $1", pending).iterator().next().getString(0);
    String paid = shop.order(shop.card(1200));
    shop.pay(paid);
    shop.awaitState(paid, "paid");

    List<JsonObject> checkouts = all(ReconcileSnapshot.CHECKOUTS, 1);
    assertThat(checkouts.stream().map(c -> c.getString("lockRef")).toList()).isSorted().doesNotHaveDuplicates();
    JsonObject c = find(checkouts, "lockRef", lockRef);
    assertThat(c.getString("orderRef")).isEqualTo(pending);
    assertThat(c.getString("state")).isEqualTo("pending");
    assertThat(c.getJsonArray("cardIds").getList()).containsExactly(card);
    assertThat(c.getString("createdAt")).isNotNull();
    // the sale-lock core holds for this checkout names the same lockRef and orderRef
    SaleLock held = shop.sf.node.runtime(AppName.STOREFRONT).context().saleLocks().holders(List.of(card))
        .await(30, TimeUnit.SECONDS).get(card);
    assertThat(held.lockRef()).isEqualTo(lockRef);
    assertThat(held.orderRef()).isEqualTo(pending);
    assertThat(checkouts.stream().map(x -> x.getString("orderRef"))).as("a paid order holds no lock").doesNotContain(paid);
    assertThat(checkouts).allMatch(x -> List.of("pending", "awaiting_confirmation").contains(x.getString("state")));
  }
}
