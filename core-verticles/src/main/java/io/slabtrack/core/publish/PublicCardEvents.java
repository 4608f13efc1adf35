package io.slabtrack.core.publish;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.outbox.Outbox;
import io.slabtrack.cluster.outbox.OutboxMessage;
import io.slabtrack.core.channels.Channel;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import java.util.UUID;

/**
 * The public face of a listing change ({@code public.cards.<channel>}, EVENT-BUS.md "Public events"): what a
 * buyer's page or an outside service may know — listing key, card ids, price, version — and nothing about owners,
 * buyers or orders. Enqueued in the same transaction as the private publish message it mirrors ({@link PublishSql}
 * builds both).
 */
public final class PublicCardEvents {
  public static final String LISTED = "card.listed";
  public static final String UPDATED = "card.updated";
  public static final String WITHDRAWN = "card.withdrawn";
  public static final String SOLD = "card.sold";

  private PublicCardEvents() {
  }

  /** The channel that won a claim: its cards are sold there (the other channels hear it via their disengage). */
  public static Future<Void> sold(SqlConnection tx, Channel channel, List<Long> cardIds) {
    Future<Void> chain = Future.succeededFuture();
    for (Long id : cardIds) {
      JsonObject body = base(SOLD, channel).put("listingKey", "card:" + id).put("cardIds", new JsonArray().add(id));
      chain = chain.compose(v -> Outbox.enqueue(tx, OutboxMessage.of(Addresses.publicCards(channel.slug),
          aggregate(channel, "card:" + id), body)));
    }
    return chain;
  }

  /**
   * {@link #sold} for the winners of several claims decided together, in one statement: {@code cardsByChannel} is
   * each winner's channel and cards, in decision order, and {@code ids} each winner's correlation ids.
   */
  public static Future<Void> soldAll(SqlConnection tx, List<Channel> channels, List<List<Long>> cards,
                                     List<JsonObject> ids) {
    List<OutboxMessage> messages = new java.util.ArrayList<>();
    List<JsonObject> messageIds = new java.util.ArrayList<>();
    for (int k = 0; k < channels.size(); k++) {
      Channel channel = channels.get(k);
      for (Long id : cards.get(k)) {
        JsonObject body = base(SOLD, channel).put("listingKey", "card:" + id).put("cardIds", new JsonArray().add(id));
        messages.add(OutboxMessage.of(Addresses.publicCards(channel.slug), aggregate(channel, "card:" + id), body));
        messageIds.add(ids.get(k));
      }
    }
    return Outbox.enqueueAll(tx, messages, messageIds);
  }

  private static JsonObject base(String type, Channel channel) {
    return new JsonObject().put("eventId", UUID.randomUUID().toString()).put("type", type)
        .put("schemaVersion", Addresses.PUBLIC_SCHEMA_VERSION).put("channel", channel.slug);
  }

  private static String aggregate(Channel channel, String listingKey) {
    return Addresses.publicCards(channel.slug) + "|" + listingKey;
  }
}
