package io.slabtrack.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.core.CoreFixture;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The order ledger: idempotent by eventId, newest event wins, amounts kept, read by the operator. */
class OrderLedgerTest {
  @RegisterExtension
  static final CoreFixture core = CoreFixture.perClass();

  private static JsonObject event(String orderRef, String state, Instant at) {
    return new JsonObject().put("eventId", UUID.randomUUID().toString()).put("channel", "storefront")
        .put("orderRef", orderRef).put("state", state).put("amountCents", 10_000).put("cardIds", new JsonArray().add(7))
        .put("occurredAt", at.toString());
  }

  private static JsonObject send(JsonObject e) throws Exception {
    return core.node.vertx().eventBus().<JsonObject>request(Addresses.CORE_ORDERS_EVENT, e,
            io.slabtrack.cluster.testing.TestTokens.busFrom(io.slabtrack.cluster.testing.TestNode.SECRET, io.slabtrack.cluster.config.AppName.STOREFRONT, io.slabtrack.cluster.config.AppName.CORE))
        .await(30, TimeUnit.SECONDS).body();
  }

  @Test
  void eventsAreRecordedOnceAndTheNewestStateWins() throws Exception {
    Instant t0 = Instant.parse("2026-11-01T10:00:00Z");
    JsonObject paid = event("sf-1", "paid", t0).put("capturedCents", 10_000).put("stripeId", "pi_123");
    assertThat(send(paid).getString("state")).isEqualTo("paid");
    assertThat(send(paid).getString("state")).isEqualTo("paid"); // redelivery: same answer, applied once
    assertThat(core.count("SELECT count(*) FROM channel_order_events")).isEqualTo(1);

    send(event("sf-1", "refunded", t0.plusSeconds(60)).put("refundedCents", 10_000));
    // a late, older event is kept in the history but doesn't roll the state back
    send(event("sf-1", "shipped", t0.plusSeconds(30)));
    JsonObject order = core.get("/api/orders?channel=storefront").json().getJsonArray("items").getJsonObject(0);
    assertThat(order.getString("state")).isEqualTo("refunded");
    assertThat(order.getLong("capturedCents")).isEqualTo(10_000);
    assertThat(order.getLong("refundedCents")).isEqualTo(10_000);
    assertThat(order.getString("stripeId")).isEqualTo("pi_123");
    assertThat(order.getJsonArray("cardIds").getLong(0)).isEqualTo(7L);
    assertThat(core.count("SELECT count(*) FROM channel_order_events WHERE order_ref = 'sf-1'")).isEqualTo(3);
  }

  @Test
  void malformedEventsAreRejectedForGood() {
    for (JsonObject bad : new JsonObject[] {
        event("x", "paid", Instant.now()).put("amountCents", -5),
        event("x", "Paid!", Instant.now()),
        event("x", "paid", Instant.now()).put("channel", "myspace"),
        event("x", "paid", Instant.now()).put("cardIds", new JsonArray().add("seven"))}) {
      assertThatThrownBy(() -> send(bad)).isInstanceOfSatisfying(ReplyException.class,
          e -> assertThat(e.failureCode()).isEqualTo(400));
    }
  }
}
