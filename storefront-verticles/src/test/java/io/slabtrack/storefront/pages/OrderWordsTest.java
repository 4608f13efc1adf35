package io.slabtrack.storefront.pages;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.storefront.orders.Order;
import io.slabtrack.storefront.orders.OrderItem;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order page says every state a buyer can meet in words, and only what the buyer may see of it. */
class OrderWordsTest {
  private static final List<OrderItem> ITEMS = List.of(new OrderItem(7, 4500, new JsonObject().put("player", "Ace")
      .put("year", 2020).put("setName", "Prizm").put("gradingCompany", "PSA").put("grade", 10)));

  private static Order order(String state, String cancelReason, long captured, long refunded, JsonObject shipment,
                             String deliveredAt) {
    return new Order("4d38868f-0000-4000-8000-000000000001", "demo", state, "bea@example.com", new JsonObject(),
        List.of(7L), 4500, 135, "sf-lock", "sf-claim", "cs_1", "https://pay.example/cs_1", "pi_1", "ch_1", captured,
        refunded, cancelReason, null, null, shipment, deliveredAt, "tok", "2026-01-01T00:00:00Z",
        "2026-01-01T00:00:00Z");
  }

  private static Views.OrderPage page(Order o) {
    return OrderPage.view(o, ITEMS);
  }

  @Test
  void settlingStatesSayWhatHappensNextAndRefreshThemselves() {
    Views.OrderPage pending = page(order("pending", null, 0, 0, null, null));
    assertThat(pending.heading()).isEqualTo("Waiting for your payment");
    assertThat(pending.payHref()).isEqualTo("https://pay.example/cs_1");
    assertThat(pending.settling()).isTrue();
    Views.OrderPage confirming = page(order("awaiting_confirmation", null, 0, 0, null, null));
    assertThat(confirming.detail()).contains("only charged once");
    assertThat(confirming.payHref()).isNull();
    assertThat(confirming.settling()).isTrue();
  }

  @Test
  void paidShippedDeliveredAndRefunded() {
    Views.OrderPage paid = page(order("paid", null, 4500, 0, null, null));
    assertThat(paid.heading()).isEqualTo("Paid — thank you!");
    assertThat(paid.detail()).contains("$45.00 was charged");
    assertThat(paid.settling()).isFalse();
    assertThat(paid.lines()).singleElement().satisfies(l -> {
      assertThat(l.title()).isEqualTo("2020 Prizm Ace");
      assertThat(l.grade()).isEqualTo("PSA 10");
      assertThat(l.href()).isEqualTo("/s/demo/cards/7");
    });

    JsonObject shipment = new JsonObject().put("carrier", "USPS").put("trackingNumber", "9400 1000")
        .put("shippedAt", "2026-01-02T00:00:00Z");
    Views.OrderPage shipped = page(order("shipped", null, 4500, 0, shipment, null));
    assertThat(shipped.heading()).isEqualTo("Shipped");
    assertThat(shipped.carrier()).isEqualTo("USPS");
    assertThat(shipped.tracking()).isEqualTo("9400 1000");

    Views.OrderPage delivered = page(order("delivered", null, 4500, 0, shipment, "2026-01-05T15:00:00Z"));
    assertThat(delivered.detail()).contains("January 5, 2026");
    assertThat(delivered.tracking()).isEqualTo("9400 1000");

    Views.OrderPage refunded = page(order("refunded", null, 4500, 4500, null, null));
    assertThat(refunded.heading()).isEqualTo("Refunded");
    assertThat(refunded.detail()).startsWith("$45.00 was refunded");
    assertThat(refunded.refunded()).isEqualTo("$45.00");
  }

  @Test
  void everyCancellationSaysTheBuyerWasNotCharged() {
    for (String reason : new String[] {"sold_elsewhere", "buyer_cancelled", "session_expired", "lock_expired",
        "capture_failed", "payment_canceled", "checkout_failed", null}) {
      Views.OrderPage p = page(order("cancelled", reason, 0, 0, null, null));
      assertThat(p.heading()).isEqualTo("Order cancelled");
      assertThat(p.detail()).as(reason).contains("You were not charged.");
      assertThat(p.settling()).isFalse();
    }
    assertThat(page(order("cancelled", "sold_elsewhere", 0, 0, null, null)).detail())
        .startsWith("A card in this order sold elsewhere");
  }
}
