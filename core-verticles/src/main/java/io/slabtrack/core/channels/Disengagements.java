package io.slabtrack.core.channels;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.core.bridge.ConflictLog;
import io.slabtrack.core.cards.CardSql;
import io.slabtrack.core.publish.PublishType;
import io.slabtrack.core.publish.Publisher;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Taking cards off channels: the operator's disengage, the sale's bulk-disengage of the other channels, and
 * the way back from sold (relist, claim release). A card that ends up on no channel rests on personal again.
 */
public final class Disengagements {
  public static final String REASON_OPERATOR = "operator";
  public static final String REASON_SOLD_ELSEWHERE = "sold_elsewhere";

  private final Pool pool;

  public Disengagements(Pool pool) {
    this.pool = pool;
  }

  /** @return true if the card was active there (false: nothing to do, nothing sent) */
  public Future<Boolean> disengage(long cardId, Channel channel) {
    if (channel == Channel.PERSONAL) {
      return Future.failedFuture(ApiErrors.invalidField("channel",
          "personal can't be disengaged: engage another channel, or relist a sold card"));
    }
    return pool.withTransaction(tx -> Engagements.lockCards(tx, List.of(cardId)).compose(cards -> {
      Row card = cards.get(cardId);
      if ("sold".equals(card.getString("listing_status"))) {
        return Future.failedFuture(ApiErrors.conflict("card_sold", "Card " + cardId + " is sold; relist it first"));
      }
      return switchOff(tx, List.of(cardId), channel, REASON_OPERATOR).map(off -> !off.isEmpty());
    }));
  }

  /**
   * Switches the cards' active rows on {@code channel} off, with every card sharing a ToT lot with them (a lot is
   * listed whole or not at all), puts cards left on no channel back on personal, bumps versions and sends one
   * disengage per listing. Runs in the caller's transaction.
   *
   * <p>Lot mates are locked here, after the caller's own cards, so not in global id order: two transactions meeting
   * there can deadlock. PostgreSQL then aborts one; a bus claim is retried by its sender's outbox, an HTTP call
   * gets a 500 and retries — never a half-applied sale, since everything is one transaction.
   *
   * @return every card switched off
   */
  public static Future<List<Long>> switchOff(SqlConnection tx, List<Long> cardIds, Channel channel, String reason) {
    Future<List<Long>> targets = channel == Channel.THISORTHAT
        ? withLotMates(tx, cardIds) : Future.succeededFuture(cardIds);
    return targets
        .compose(ids -> tx.preparedQuery(ChannelSql.DEACTIVATE).execute(Tuple.of(ids.toArray(new Long[0]), channel.slug, reason)))
        .compose(rows -> {
          List<Long> off = new ArrayList<>();
          for (Row r : rows) {
            off.add(r.getLong("card_id"));
          }
          if (off.isEmpty()) {
            return Future.succeededFuture(off);
          }
          Long[] arr = off.toArray(new Long[0]);
          List<Long> mates = off.stream().filter(id -> !cardIds.contains(id)).toList();
          return tx.preparedQuery(ChannelSql.PERSONAL_BACK).execute(Tuple.of((Object) arr))
              .compose(x -> tx.preparedQuery(CardSql.TOUCH).execute(Tuple.of((Object) arr)))
              .compose(x -> Publisher.announce(tx, PublishType.DISENGAGE, channel, off, reason))
              // the conflict log shows what the operator didn't do by hand: sale fan-out and lots taken down whole
              .compose(x -> REASON_OPERATOR.equals(reason) && mates.isEmpty() ? Future.succeededFuture()
                  : ConflictLog.recordEach(tx, ConflictLog.BULK_DISENGAGE, off, channel.slug,
                      new JsonObject().put("reason", reason).put("triggeredBy", new JsonArray(cardIds))))
              .map(off);
        });
  }

  /**
   * The sale fan-out of several claims decided together, as {@link #switchOff} does it for each winner: channel by
   * channel in {@link Channel} order, the won cards still active there are switched off, touched, announced and
   * logged, one statement per step for all the claims. Only for cards in no ToT lot (the caller locked them and
   * checked), so nothing outside the claims' cards is reached. Each card's messages carry its claim's correlation
   * ids ({@code idsByCard}) and its conflict-log entry names its claim's cards ({@code triggeredBy}).
   *
   * <p>Every statement is sent at once (pipelined: the connection runs them in the order sent, so each announcement
   * reads the versions its switch-off touched) and the switch-offs are checked once all have answered: each must have
   * switched off exactly the cards given, or the returned future fails and the caller's transaction rolls back.
   */
  public static Future<Void> switchOffSold(SqlConnection tx, Map<Channel, List<Long>> elsewhere,
                                           Map<Long, List<Long>> triggeredBy, Map<Long, JsonObject> idsByCard) {
    List<Future<?>> sent = new ArrayList<>();
    List<Future<Void>> checks = new ArrayList<>();
    for (var e : elsewhere.entrySet()) {
      Channel channel = e.getKey();
      List<Long> cards = e.getValue();
      Long[] ids = cards.toArray(new Long[0]);
      // one statement switches off and touches (the cards are sold: nothing goes back to personal)
      Future<Void> off = tx.preparedQuery(ChannelSql.DEACTIVATE_SOLD)
          .execute(Tuple.of(ids, channel.slug, REASON_SOLD_ELSEWHERE))
          .compose(rows -> {
            Set<Long> switched = new java.util.HashSet<>();
            for (Row r : rows) {
              switched.add(r.getLong("card_id"));
            }
            // every card given is sold and was active there under the caller's locks
            return switched.size() == ids.length && switched.containsAll(cards) ? Future.succeededFuture()
                : Future.failedFuture(new IllegalStateException("switched off " + switched.size() + " of "
                    + ids.length + " sold cards on " + channel.slug));
          });
      Map<Long, JsonObject> details = new java.util.LinkedHashMap<>();
      for (Long id : cards) {
        details.put(id, new JsonObject().put("reason", REASON_SOLD_ELSEWHERE)
            .put("triggeredBy", new JsonArray(triggeredBy.get(id))));
      }
      checks.add(off);
      sent.add(off);
      sent.add(Publisher.announceSingles(tx, PublishType.DISENGAGE, channel, cards, REASON_SOLD_ELSEWHERE, idsByCard));
      sent.add(ConflictLog.recordEach(tx, ConflictLog.BULK_DISENGAGE, details, channel.slug));
    }
    // join, not all: every statement sent must have come back before the transaction goes on
    return Future.join(sent).compose(v -> Future.all(checks)).mapEmpty();
  }

  private static Future<List<Long>> withLotMates(SqlConnection tx, List<Long> cardIds) {
    return tx.preparedQuery(ChannelSql.LOT_MATES).execute(Tuple.of((Object) cardIds.toArray(new Long[0]))).map(rows -> {
      Set<Long> all = new LinkedHashSet<>(cardIds);
      for (Row r : rows) {
        all.add(r.getLong("card_id"));
      }
      return new ArrayList<>(all);
    });
  }

  /** Relist: a sold card returns to personal (not to any channel). */
  public Future<Void> relist(long cardId) {
    return pool.withTransaction(tx -> Engagements.lockCards(tx, List.of(cardId)).compose(cards -> {
      if (!"sold".equals(cards.get(cardId).getString("listing_status"))) {
        return Future.failedFuture(ApiErrors.conflict("not_sold", "Card " + cardId + " is not sold"));
      }
      return unsell(tx, List.of(cardId))
          .compose(x -> ConflictLog.record(tx, ConflictLog.RELIST, cardId, null, new JsonObject()));
    }));
  }

  /** Sold → personal: the sale's row goes inactive, the sale fields are cleared, the personal row is active. */
  public static Future<Void> unsell(SqlConnection tx, List<Long> cardIds) {
    Object ids = cardIds.toArray(new Long[0]);
    return tx.preparedQuery(ChannelSql.UNSELL_ROWS).execute(Tuple.of(ids))
        .compose(x -> tx.preparedQuery(ChannelSql.UNSELL_CARDS).execute(Tuple.of(ids)))
        .compose(x -> tx.preparedQuery(ChannelSql.PERSONAL_BACK).execute(Tuple.of(ids)))
        .mapEmpty();
  }

  /** The channels other than {@code except} on which these cards are active, with the cards on each. */
  public static Future<Map<Channel, List<Long>>> activeElsewhere(SqlConnection tx, List<Long> cardIds, Channel except) {
    return Engagements.activeRows(tx, cardIds).map(active -> {
      Map<Channel, List<Long>> out = new java.util.EnumMap<>(Channel.class);
      active.forEach((id, rows) -> rows.keySet().stream()
          .filter(ch -> ch != except && ch != Channel.PERSONAL)
          .forEach(ch -> out.computeIfAbsent(ch, k -> new ArrayList<>()).add(id)));
      return out;
    });
  }
}
