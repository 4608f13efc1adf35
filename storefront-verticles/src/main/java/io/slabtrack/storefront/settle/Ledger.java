package io.slabtrack.storefront.settle;

import io.slabtrack.storefront.orders.Order;
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

/** Order state changes for core's ledger ({@code core.orders.event}), durable through the outbox, in the caller's tx. */
public final class Ledger {
  private Ledger() {
  }

  public static Future<Void> record(SqlConnection tx, Order order, String state, JsonObject extra) {
    JsonObject body = new JsonObject().put("eventId", UUID.randomUUID().toString())
        .put("occurredAt", Instant.now().toString()).put("channel", "storefront").put("orderRef", order.id())
        .put("state", state).put("amountCents", order.amountCents())
        .put("cardIds", new JsonArray(List.copyOf(order.cardIds())));
    if (order.paymentIntentId() != null) {
      body.put("stripeId", order.paymentIntentId());
    }
    if (extra != null) {
      body.mergeIn(extra);
    }
    return Outbox.enqueue(tx, OutboxMessage.of(Addresses.CORE_ORDERS_EVENT, "order:storefront:" + order.id(), body))
        .compose(v -> PublicOrderEvents.enqueue(tx, "storefront", order.id(), state, order.amountCents(),
            List.copyOf(order.cardIds())));
  }
}
