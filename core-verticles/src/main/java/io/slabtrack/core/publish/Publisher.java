package io.slabtrack.core.publish;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.outbox.Outbox;
import io.slabtrack.core.channels.Channel;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;

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

  /**
   * The messages are built by PostgreSQL ({@link PublishSql}) and go straight into the outbox in one statement per
   * kind (singles, ToT lots): a commit of thousands of cards builds no snapshot on the event loop.
   */
  public static Future<Void> announce(SqlConnection tx, PublishType type, Channel channel, List<Long> cardIds,
                                      String reason) {
    if (channel.publishAddress().isEmpty() || cardIds.isEmpty()) {
      return Future.succeededFuture();
    }
    String address = channel.publishAddress().get();
    Tuple args = Tuple.of(cardIds.toArray(new Long[0]), channel.slug, type.wire(), reason, address,
        Addresses.publicCards(channel.slug), publicType(type, reason), Addresses.PUBLIC_SCHEMA_VERSION);
    Long[] ids = cardIds.toArray(new Long[0]);
    Future<Void> singles = Outbox.enqueueSelected(tx, PublishSql.singles(channel), args)
        .compose(n -> tx.preparedQuery(PublishSql.MARK_PUBLISHED).execute(Tuple.of(ids, channel.slug)))
        .mapEmpty();
    if (channel != Channel.THISORTHAT) {
      return singles;
    }
    return singles.compose(v -> Outbox.enqueueSelected(tx, PublishSql.LOTS, args))
        .compose(lots -> lots == 0 ? Future.succeededFuture()
            : tx.preparedQuery(PublishSql.MARK_LOTS_PUBLISHED).execute(Tuple.of((Object) ids)).mapEmpty());
  }

  /**
   * {@link #announce} for cards of several claims decided together, none of them in a ToT lot (the caller knows:
   * it locked them): each card's messages carry the correlation ids {@code idsByCard} gives it.
   */
  public static Future<Void> announceSingles(SqlConnection tx, PublishType type, Channel channel, List<Long> cardIds,
                                             String reason, java.util.Map<Long, io.vertx.core.json.JsonObject> idsByCard) {
    if (channel.publishAddress().isEmpty() || cardIds.isEmpty()) {
      return Future.succeededFuture();
    }
    Long[] ids = cardIds.toArray(new Long[0]);
    Long[] idCards = new Long[cardIds.size()];
    io.vertx.core.json.JsonObject[] idValues = new io.vertx.core.json.JsonObject[cardIds.size()];
    for (int i = 0; i < ids.length; i++) {
      idCards[i] = ids[i];
      idValues[i] = idsByCard.get(ids[i]);
    }
    Tuple args = Tuple.of(ids, channel.slug, type.wire(), reason, channel.publishAddress().get(),
        Addresses.publicCards(channel.slug), publicType(type, reason), Addresses.PUBLIC_SCHEMA_VERSION)
        .addArrayOfLong(idCards).addArrayOfJsonObject(idValues);
    // both read the versions already written, so they go together (pipelined)
    return Future.join(Outbox.enqueueSelectedWithIds(tx, PublishSql.singles(channel, true), args),
        tx.preparedQuery(PublishSql.MARK_PUBLISHED).execute(Tuple.of(ids, channel.slug))).mapEmpty();
  }

  /** The public twin's type ({@link PublicCardEvents}). */
  private static String publicType(PublishType type, String reason) {
    return switch (type) {
      case PUBLISH -> PublicCardEvents.LISTED;
      case UPDATE -> PublicCardEvents.UPDATED;
      case DISENGAGE -> "sold_elsewhere".equals(reason) ? PublicCardEvents.SOLD : PublicCardEvents.WITHDRAWN;
    };
  }
}
