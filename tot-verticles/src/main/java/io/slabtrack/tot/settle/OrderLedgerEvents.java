package io.slabtrack.tot.settle;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.bus.PublicOrderEvents;
import io.slabtrack.cluster.outbox.Outbox;
import io.slabtrack.cluster.outbox.OutboxMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Order state changes for core's ledger ({@code core.orders.event}), durable through the outbox. */
public final class OrderLedgerEvents {
  private OrderLedgerEvents() {
  }

  public static Future<Void> send(SqlConnection tx, String orderId, String state, long amount, Long captured, Long refunded,
                           List<Long> cardIds, String stripeId) {
    return send(tx, orderId, state, amount, captured, refunded, cardIds, stripeId, null);
  }

  /** The same with fields a state carries beyond the common ones ({@code delivered}: {@code deliveredAt}). */
  public static Future<Void> send(SqlConnection tx, String orderId, String state, long amount, Long captured,
                                  Long refunded, List<Long> cardIds, String stripeId, JsonObject extra) {
    JsonObject body = new JsonObject().put("eventId", UUID.randomUUID().toString())
        .put("occurredAt", Instant.now().toString()).put("channel", "thisorthat").put("orderRef", orderId)
        .put("state", state).put("amountCents", amount).put("cardIds", new JsonArray(List.copyOf(cardIds)))
        .put("stripeId", stripeId);
    if (captured != null) {
      body.put("capturedCents", captured);
    }
    if (refunded != null) {
      body.put("refundedCents", refunded);
    }
    if (extra != null) {
      body.mergeIn(extra);
    }
    return Outbox.enqueue(tx, OutboxMessage.of(Addresses.CORE_ORDERS_EVENT, "order:thisorthat:" + orderId, body))
        .compose(v -> PublicOrderEvents.enqueue(tx, "thisorthat", orderId, state, amount, cardIds));
  }
}
