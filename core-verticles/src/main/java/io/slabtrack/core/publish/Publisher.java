package io.slabtrack.core.publish;

import io.slabtrack.cluster.outbox.Outbox;
import io.slabtrack.cluster.outbox.OutboxMessage;
import io.slabtrack.core.cards.CardJson;
import io.slabtrack.core.cards.CardSql;
import io.slabtrack.core.channels.Channel;
import io.slabtrack.core.channels.ChannelSql;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Publish fan-out: turns a channel change of some cards into durable messages to the channel's satellite, in the
 * caller's transaction (so a message exists exactly when the change committed). Bodies are documented in
 * cluster-config/EVENT-BUS.md. Call it after the change, so the snapshots carry the new versions.
 *
 * <p>Ordering: one outbox aggregate per satellite listing, {@code <address>|card:<id>} for singles and storefront
 * cards, {@code <address>|lot:<lotKey>} for a ToT lot, so the messages of one listing arrive in order — and a
 * satellite that is down holds back only its own messages, never another channel's (a card sold on the
 * Storefront while ToT is down still gets its Storefront-side updates at once).
 */
public final class Publisher {
  private Publisher() {
  }

  public static Future<Void> announce(SqlConnection tx, PublishType type, Channel channel, List<Long> cardIds,
                                      String reason) {
    if (channel.publishAddress().isEmpty() || cardIds.isEmpty()) {
      return Future.succeededFuture();
    }
    String address = channel.publishAddress().get();
    return cards(tx, cardIds).compose(cards -> {
      List<OutboxMessage> messages = new ArrayList<>();
      Map<String, List<JsonObject>> lots = new LinkedHashMap<>();
      for (JsonObject card : cards) {
        JsonObject row = rowOf(card, channel);
        String lotKey = row == null ? null : row.getString("lotKey");
        if (channel == Channel.THISORTHAT && lotKey != null) {
          lots.computeIfAbsent(lotKey, k -> new ArrayList<>());
        } else {
          messages.add(single(address, type, channel, card, row, reason));
        }
      }
      return lotMessages(tx, address, type, lots.keySet(), reason).compose(lotMsgs -> {
        messages.addAll(lotMsgs);
        // one statement for all of them (a commit of thousands of cards); each listing's public mirror right after
        List<OutboxMessage> rows = new ArrayList<>(messages.size() * 2);
        for (OutboxMessage m : messages) {
          rows.add(m);
          rows.add(PublicCardEvents.mirror(channel, m));
        }
        return Outbox.enqueueAll(tx, rows).compose(v -> tx.preparedQuery(MARK_PUBLISHED)
            .execute(Tuple.of(publishedCards(messages), channel.slug))).mapEmpty();
      });
    });
  }

  /** Remembers the version each card was last published at on the channel (the reconciler's stale_snapshot). */
  static final String MARK_PUBLISHED = """
      UPDATE card_channels cc SET published_version = c.version FROM cards c
      WHERE c.id = cc.card_id AND cc.card_id = ANY($1) AND cc.channel = $2""";

  private static Long[] publishedCards(List<OutboxMessage> messages) {
    List<Long> ids = new ArrayList<>();
    for (OutboxMessage m : messages) {
      JsonObject body = m.payload();
      if (body.getLong("cardId") != null) {
        ids.add(body.getLong("cardId"));
      }
      JsonObject lot = body.getJsonObject("lot");
      if (lot != null) {
        lot.getJsonArray("cardIds").forEach(id -> ids.add(((Number) id).longValue()));
      }
    }
    return ids.toArray(new Long[0]);
  }

  private static OutboxMessage single(String address, PublishType type, Channel channel, JsonObject card,
                                      JsonObject row, String reason) {
    long id = card.getLong("id");
    JsonObject body = new JsonObject()
        .put("eventId", UUID.randomUUID().toString())
        .put("type", type.wire())
        .put("listingKey", "card:" + id)
        .put("cardId", id)
        .put("version", card.getLong("version"))
        .put("price", price(card, row))
        .put("card", CardJson.snapshot(card));
    if (channel == Channel.STOREFRONT) {
      body.put("shop", row == null ? null : row.getString("shop"));
    } else {
      body.putNull("lot");
    }
    if (reason != null) {
      body.put("reason", reason);
    }
    return OutboxMessage.of(address, orderingKey(address, "card:" + id), body);
  }

  private static Future<List<OutboxMessage>> lotMessages(SqlConnection tx, String address, PublishType type,
                                                         Iterable<String> lotKeys, String reason) {
    Future<List<OutboxMessage>> chain = Future.succeededFuture(new ArrayList<>());
    for (String lotKey : lotKeys) {
      chain = chain.compose(list -> tx.preparedQuery(ChannelSql.LOT_CARDS).execute(Tuple.of(lotKey))
          .compose(rows -> {
            List<Long> ids = new ArrayList<>();
            for (Row r : rows) {
              ids.add(r.getLong("card_id"));
            }
            return cards(tx, ids);
          })
          .map(members -> {
            list.add(lot(address, type, lotKey, members, reason));
            return list;
          }));
    }
    return chain;
  }

  private static OutboxMessage lot(String address, PublishType type, String lotKey, List<JsonObject> members,
                                   String reason) {
    JsonArray snapshots = new JsonArray();
    JsonArray ids = new JsonArray();
    long total = 0;
    long version = 0;
    for (JsonObject card : members) {
      Long price = price(card, rowOf(card, Channel.THISORTHAT));
      total += price == null ? 0 : price;
      version = Math.max(version, card.getLong("version"));
      ids.add(card.getLong("id"));
      snapshots.add(CardJson.snapshot(card).put("price", price));
    }
    JsonObject body = new JsonObject()
        .put("eventId", UUID.randomUUID().toString())
        .put("type", type.wire())
        .put("listingKey", "lot:" + lotKey)
        .put("version", version)
        .put("price", total)
        .put("lot", new JsonObject().put("lotKey", lotKey).put("cardIds", ids).put("size", ids.size()))
        .put("cards", snapshots);
    if (reason != null) {
      body.put("reason", reason);
    }
    return OutboxMessage.of(address, orderingKey(address, "lot:" + lotKey), body);
  }

  private static String orderingKey(String address, String listingKey) {
    return address + "|" + listingKey;
  }

  private static Future<List<JsonObject>> cards(SqlConnection tx, List<Long> ids) {
    return tx.preparedQuery(CardSql.BY_IDS).execute(Tuple.of(ids.toArray(new Long[0]))).map(rows -> {
      List<JsonObject> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(CardJson.of(r));
      }
      return out;
    });
  }

  private static JsonObject rowOf(JsonObject card, Channel channel) {
    for (Object o : card.getJsonArray("channels")) {
      JsonObject row = (JsonObject) o;
      if (channel.slug.equals(row.getString("channel"))) {
        return row;
      }
    }
    return null;
  }

  /** The channel's own price if the operator set one, else the card's asking price (cents). */
  private static Long price(JsonObject card, JsonObject row) {
    Long own = row == null ? null : row.getLong("price");
    return own != null ? own : card.getLong("askingPrice");
  }
}
