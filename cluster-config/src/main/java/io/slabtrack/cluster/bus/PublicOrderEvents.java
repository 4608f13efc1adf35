package io.slabtrack.cluster.bus;

import io.slabtrack.cluster.outbox.Outbox;
import io.slabtrack.cluster.outbox.OutboxMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * {@code public.orders.state}: an order of a channel changed state (EVENT-BUS.md, "Public events"). The order is
 * named by an opaque {@code orderKey} (a hash of channel and order id) so listeners can follow one order's states
 * without learning an id that works anywhere; no buyer, payment or Stripe field goes out.
 */
public final class PublicOrderEvents {
  private PublicOrderEvents() {
  }

  /** Enqueued in the caller's transaction, beside the ledger event it mirrors. */
  public static Future<Void> enqueue(SqlConnection tx, String channel, String orderRef, String state,
                                     long amountCents, List<Long> cardIds) {
    String key = orderKey(channel, orderRef);
    JsonObject body = new JsonObject().put("eventId", UUID.randomUUID().toString()).put("type", "order.state")
        .put("schemaVersion", Addresses.PUBLIC_SCHEMA_VERSION).put("channel", channel).put("orderKey", key)
        .put("state", state).put("amountCents", amountCents).put("cardIds", new JsonArray(List.copyOf(cardIds)));
    return Outbox.enqueue(tx, OutboxMessage.of(Addresses.PUBLIC_ORDERS_STATE, "public.order:" + key, body));
  }

  static String orderKey(String channel, String orderRef) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((channel + ":" + orderRef).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JVM has SHA-256
    }
  }
}
