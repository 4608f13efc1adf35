package io.slabtrack.core.claims;

import io.slabtrack.cluster.logging.Correlation;
import io.slabtrack.cluster.metrics.ClaimMetrics;
import io.slabtrack.cluster.outbox.InboxRejection;
import io.slabtrack.core.bridge.ConflictLog;
import io.slabtrack.core.channels.Channel;
import io.slabtrack.core.channels.ChannelSql;
import io.slabtrack.core.channels.Disengagements;
import io.slabtrack.core.publish.PublicCardEvents;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides a sale claim in the caller's transaction: all of the order's cards or none. The cards are locked in id
 * order (two overlapping claims queue; no deadlock), every rule is checked on the locked rows, and the flips are
 * conditional UPDATEs whose row counts must match — the database is the final arbiter, whatever the locks said.
 * The decision is stored by claimId, so a repeated claim gets the first answer.
 */
public final class ClaimDecider {
  private static final Logger LOG = LoggerFactory.getLogger(ClaimDecider.class);
  private final LiveLocks locks;
  private final ClaimMetrics metrics;

  public ClaimDecider(LiveLocks locks) {
    this(locks, null);
  }

  /** @param metrics counts each fresh decision (won, lost, error) and its latency; null: not counted */
  public ClaimDecider(LiveLocks locks, ClaimMetrics metrics) {
    this.locks = locks;
    this.metrics = metrics;
  }

  /** The same rules for a group of claims decided in one transaction (the bus path's group commit). */
  GroupedClaims grouped() {
    return new GroupedClaims(locks, metrics);
  }

  /**
   * Only the app selling through the claim's channel (or an operator) may claim for it; a claimId already decided
   * for another channel is refused (409 {@code claim_conflict}) instead of answered, so nobody learns another
   * channel's answer or takes its claimId.
   */
  public Future<JsonObject> decide(SqlConnection tx, ClaimRequest claim, ClaimCaller caller) {
    // the bus path restored these from the message already; the HTTP path learns them here
    Correlation.put(Correlation.CLAIM_ID, claim.claimId());
    Correlation.put(Correlation.ORDER_ID, claim.orderRef());
    return caller.requireChannel(claim.channel().slug, "claim").compose(v -> counted(tx, claim));
  }

  private Future<JsonObject> counted(SqlConnection tx, ClaimRequest claim) {
    long started = System.nanoTime();
    // the sale-locks are read while the database answers: one round trip for the stored decision or the locked cards
    Future<Map<Long, JsonObject>> live = locks.live(claim.cardIds());
    Future<RowSet<Row>> read = tx.preparedQuery(ClaimSql.DECISION_OR_CARDS)
        .execute(Tuple.of(ids(claim.cardIds()), claim.channel().slug, claim.claimId()));
    return Future.join(live, read).transform(ar -> {
      if (read.failed()) {
        return Future.failedFuture(read.cause());
      }
      List<Row> cards = new ArrayList<>();
      for (Row r : read.result()) {
        if (r.getBoolean("prior")) {
          // already decided: the first answer, whatever the locks say now (and even if they can't be read)
          return storedAnswer(claim, r);
        }
        cards.add(r);
      }
      if (live.failed()) {
        return Future.failedFuture(live.cause());
      }
      Future<JsonObject> decided = decideNow(tx, claim, cards, live.result());
      return metrics == null ? decided : decided.onComplete(d -> metrics.decided(
          d.succeeded() ? d.result().getString("outcome", "error") : "error",
          d.succeeded() ? d.result().getString("reason") : null, claim.channel().slug, System.nanoTime() - started));
    });
  }

  private static Future<JsonObject> storedAnswer(ClaimRequest claim, Row decided) {
    return storedAnswer(claim, decided.getString("channel"), (JsonObject) decided.getValue("reply"));
  }

  /** A decision already made for this claimId: its reply for the same channel, else 409. */
  static Future<JsonObject> storedAnswer(ClaimRequest claim, String channel, JsonObject reply) {
    if (!claim.channel().slug.equals(channel)) {
      return Future.failedFuture(new InboxRejection(409, "claim_conflict",
          "claimId " + claim.claimId() + " was already used by another channel"));
    }
    return Future.succeededFuture(reply);
  }

  private Future<JsonObject> decideNow(SqlConnection tx, ClaimRequest claim, List<Row> cards,
                                       Map<Long, JsonObject> live) {
    JsonObject lost = refusal(claim, Card.of(cards), live);
    return lost != null ? finish(tx, claim, lost) : win(tx, claim, cards);
  }

  /** A locked card as a claim's rules see it: the card and the claiming channel's row (null fields: no row). */
  record Card(long id, String listingStatus, String soldChannel, Long askingPrice, String channelStatus,
              Long priceCents) {
    static List<Card> of(List<Row> rows) {
      List<Card> out = new ArrayList<>(rows.size());
      for (Row c : rows) {
        out.add(new Card(c.getLong("id"), c.getString("listing_status"), c.getString("sold_channel"),
            c.getLong("asking_price"), c.getString("channel_status"), c.getLong("price_cents")));
      }
      return out;
    }
  }

  /**
   * The reconciler's replay of a claim whose order the channel shows paid while core doesn't show the sale (a lost
   * claim or a manual edit). The buyer has paid, so the only rule left is the one that matters most: a card already
   * sold to another order is never taken from it (that is a double sale for a person to settle). Channel status,
   * locks and the authorization's expiry are past questions once the money is captured.
   */
  public Future<JsonObject> replaySettled(SqlConnection tx, ClaimRequest claim) {
    return tx.preparedQuery(ClaimSql.CARDS_FOR_CLAIM)
        .execute(Tuple.of(ids(claim.cardIds()), claim.channel().slug))
        .compose(rows -> {
          List<Row> cards = new ArrayList<>();
          rows.forEach(cards::add);
          if (cards.size() < claim.cardIds().size()) {
            return Future.succeededFuture(reply(claim, "lost").put("reason", "unknown_card"));
          }
          for (Row c : cards) {
            if ("sold".equals(c.getString("listing_status"))) {
              return Future.succeededFuture(reply(claim, "lost").put("reason", "sold")
                  .put("winningChannel", c.getString("sold_channel")));
            }
          }
          Object ids = ids(claim.cardIds());
          return tx.preparedQuery(ClaimSql.MARK_SOLD_SETTLED).execute(Tuple.of(ids, claim.channel().slug))
              .compose(x -> tx.preparedQuery(ChannelSql.CARDS_SOLD)
                  .execute(Tuple.of(ids, claim.channel().slug, claim.orderRef(), null, claim.claimId())))
              .compose(x -> setShares(tx, claim, cards))
              .compose(x -> switchOffElsewhere(tx, claim))
              .compose(x -> {
                JsonObject won = reply(claim, "won").put("winningChannel", claim.channel().slug).put("replayed", true);
                return tx.preparedQuery(ClaimSql.STORE_REPLAYED).execute(storeArgs(claim, won))
                    .compose(y -> ConflictLog.recordEach(tx, ConflictLog.CLAIM_WON, claim.cardIds(),
                        claim.channel().slug, new JsonObject().put("claimId", claim.claimId())
                            .put("orderRef", claim.orderRef()).put("replayedBy", "reconciler")))
                    .map(won);
              });
        });
  }

  /** The first rule the claim breaks, as a lost reply; null if it wins. */
  static JsonObject refusal(ClaimRequest claim, List<Card> cards, Map<Long, JsonObject> live) {
    if (cards.size() < claim.cardIds().size()) {
      return reply(claim, "lost").put("reason", "unknown_card");
    }
    for (Card c : cards) {
      if ("sold".equals(c.listingStatus())) {
        return reply(claim, "lost").put("reason", "sold").put("winningChannel", c.soldChannel());
      }
    }
    if (!claim.authExpiresAt().isAfter(Instant.now())) {
      return reply(claim, "lost").put("reason", "auth_expired");
    }
    for (Card c : cards) {
      if (!"active".equals(c.channelStatus())) {
        return reply(claim, "lost").put("reason", "not_active_on_channel");
      }
    }
    for (Long id : claim.cardIds()) {
      JsonObject lock = live.get(id);
      if (lock != null && !lock.getString("lockRef", "").equals(claim.lockRef())) {
        return reply(claim, "lost").put("reason", "locked_by_other").put("lockedByChannel", lock.getString("channel"));
      }
    }
    return null;
  }

  /** The flips and the sale's fan-out; the flips are conditional, so their counts must match or all rolls back. */
  private Future<JsonObject> win(SqlConnection tx, ClaimRequest claim, List<Row> cards) {
    int n = claim.cardIds().size();
    Long[] idArr = new Long[cards.size()];
    Long[] cents = shares(claim, Card.of(cards), idArr);
    return tx.preparedQuery(ClaimSql.WIN).execute(Tuple.tuple().addValue(idArr).addString(claim.channel().slug)
            .addString(claim.orderRef()).addString(claim.claimId()).addValue(cents))
        .compose(rows -> {
          Row r = rows.iterator().next();
          if (r.getLong("rows_sold") != n || r.getLong("cards_sold") != n) {
            // cannot happen under the row locks; if it does, roll everything back and let the sender retry
            return Future.failedFuture(new IllegalStateException("claim " + claim.claimId()
                + " flipped only part of its cards"));
          }
          return switchOffElsewhere(tx, claim, elsewhere(r));
        })
        .compose(x -> finish(tx, claim, reply(claim, "won").put("winningChannel", claim.channel().slug)));
  }

  /** The other channels the cards were active on, with their cards, from {@link ClaimSql#WIN}'s arrays. */
  private static Map<Channel, List<Long>> elsewhere(Row r) {
    Long[] cards = r.getArrayOfLongs("other_cards");
    String[] channels = r.getArrayOfStrings("other_channels");
    Map<Channel, List<Long>> out = new java.util.EnumMap<>(Channel.class);
    for (int i = 0; i < cards.length; i++) {
      out.computeIfAbsent(Channel.of(channels[i]).orElseThrow(), k -> new ArrayList<>()).add(cards[i]);
    }
    return out;
  }

  /** Each card's share of the order amount, proportional to its price on the channel; the total is exact. */
  static Long[] shares(ClaimRequest claim, List<Card> cards, Long[] idArr) {
    long[] weights = new long[cards.size()];
    long sum = 0;
    for (int i = 0; i < cards.size(); i++) {
      Card c = cards.get(i);
      Long w = c.priceCents() != null ? c.priceCents() : c.askingPrice();
      weights[i] = w == null || w <= 0 ? 1 : w;
      sum += weights[i];
    }
    Long[] cents = new Long[cards.size()];
    long given = 0;
    for (int i = 0; i < cards.size(); i++) {
      idArr[i] = cards.get(i).id();
      cents[i] = i == cards.size() - 1 ? claim.amountCents() - given
          : Math.round((double) claim.amountCents() * weights[i] / sum);
      given += cents[i];
    }
    return cents;
  }

  /** Each card's share of the order amount (a replayed claim's separate flips). */
  private static Future<Void> setShares(SqlConnection tx, ClaimRequest claim, List<Row> cards) {
    Long[] idArr = new Long[cards.size()];
    Long[] cents = shares(claim, Card.of(cards), idArr);
    return tx.preparedQuery(ClaimSql.SOLD_PRICES).execute(Tuple.tuple().addValue(idArr).addValue(cents)).mapEmpty();
  }

  private static Future<JsonObject> finish(SqlConnection tx, ClaimRequest claim, JsonObject reply) {
    logDecision(claim, reply);
    return tx.preparedQuery(ClaimSql.STORE_AND_LOG).execute(storeArgs(claim, reply)
            .addString(logKind(reply)).addValue(logDetail(claim, reply)))
        .map(reply);
  }

  static String logKind(JsonObject reply) {
    return "won".equals(reply.getString("outcome")) ? ConflictLog.CLAIM_WON : ConflictLog.CLAIM_LOST;
  }

  static JsonObject logDetail(ClaimRequest claim, JsonObject reply) {
    return new JsonObject().put("claimId", claim.claimId()).put("orderRef", claim.orderRef())
        .put("reason", reply.getString("reason")).put("winningChannel", reply.getString("winningChannel"));
  }

  static void logDecision(ClaimRequest claim, JsonObject reply) {
    LOG.info("claim {} claimId={} channel={} orderRef={} cardIds={} reason={}", reply.getString("outcome"),
        claim.claimId(), claim.channel().slug, claim.orderRef(), claim.cardIds(), reply.getString("reason"));
  }

  /** Every other channel the cards are active on gets a durable disengage ("sold elsewhere"). */
  private static Future<Void> switchOffElsewhere(SqlConnection tx, ClaimRequest claim) {
    return Disengagements.activeElsewhere(tx, claim.cardIds(), claim.channel())
        .compose(elsewhere -> switchOffElsewhere(tx, claim, elsewhere));
  }

  static Future<Void> switchOffElsewhere(SqlConnection tx, ClaimRequest claim, Map<Channel, List<Long>> elsewhere) {
    Future<Void> chain = Future.succeededFuture();
    for (var e : elsewhere.entrySet()) {
      chain = chain.compose(v -> Disengagements.switchOff(tx, e.getValue(), e.getKey(),
          Disengagements.REASON_SOLD_ELSEWHERE).mapEmpty());
    }
    // and the winning channel's public listeners hear the sale
    return chain.compose(v -> PublicCardEvents.sold(tx, claim.channel(), claim.cardIds()));
  }

  private static Tuple storeArgs(ClaimRequest claim, JsonObject reply) {
    return Tuple.tuple().addString(claim.claimId()).addString(claim.channel().slug).addString(claim.orderRef())
        .addString(claim.lockRef()).addValue(ids(claim.cardIds())).addLong(claim.amountCents())
        .addString(reply.getString("outcome")).addValue(reply);
  }

  static JsonObject reply(ClaimRequest claim, String outcome) {
    return new JsonObject().put("claimId", claim.claimId()).put("outcome", outcome)
        .put("cardIds", new JsonArray(claim.cardIds())).put("decidedAt", Instant.now().toString());
  }

  static Long[] ids(List<Long> ids) {
    return ids.toArray(new Long[0]);
  }
}
