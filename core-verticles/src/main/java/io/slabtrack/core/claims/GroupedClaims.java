package io.slabtrack.core.claims;

import io.slabtrack.cluster.logging.Correlation;
import io.slabtrack.cluster.metrics.ClaimMetrics;
import io.slabtrack.core.channels.Channel;
import io.slabtrack.core.channels.Disengagements;
import io.slabtrack.core.publish.PublicCardEvents;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides the claims of one inbox group (claims that arrived while the previous decision transaction ran) in one
 * transaction, each exactly as {@link ClaimDecider} decides it alone, in arrival order. One statement reads the
 * decisions already stored for their claimIds and locks the union of their cards in id order; the rules run in
 * memory on those locked rows, so a later claim of the group loses a card an earlier one won ({@code sold}, with the
 * winner's channel), and a repeated claimId gets the first answer. Then one statement flips every won card (the
 * conditional flips must all happen, or the group rolls back), each winner's disengages and public events are written
 * with its own correlation ids, and one statement stores every decision with its conflict-log entries.
 *
 * <p>A card in a ToT lot makes the group fail with {@link OneAtATime}: taking a lot down whole reaches cards outside
 * the claims, so such groups are decided one claim at a time (the inbox's savepoint fallback) by {@link ClaimDecider}.
 */
final class GroupedClaims {
  /** One claim of the group, with the correlation ids its log lines and outbox rows carry. */
  record Claim(ClaimRequest request, JsonObject ids) {
  }

  /** The group can't be decided together; the inbox decides its claims one at a time. */
  static final class OneAtATime extends RuntimeException {
    OneAtATime(String why) {
      super(why, null, false, false);
    }
  }

  private final LiveLocks locks;
  private final ClaimMetrics metrics;

  GroupedClaims(LiveLocks locks, ClaimMetrics metrics) {
    this.locks = locks;
    this.metrics = metrics;
  }

  /** A locked card and its channel rows, as the group's earlier decisions left it. */
  private static final class Locked {
    final long id;
    String listingStatus;
    String soldChannel;
    final Long askingPrice;
    final Map<String, String> status = new HashMap<>();
    final Map<String, Long> price = new HashMap<>();

    Locked(Row r) {
      id = r.getLong("id");
      listingStatus = r.getString("listing_status");
      soldChannel = r.getString("sold_channel");
      askingPrice = r.getLong("asking_price");
    }

    ClaimDecider.Card as(String channel) {
      return new ClaimDecider.Card(id, listingStatus, soldChannel, askingPrice, status.get(channel), price.get(channel));
    }
  }

  private record Decided(String channel, JsonObject reply) {
  }

  /** @return one result per claim, in order: its reply or its 409 {@code claim_conflict} */
  Future<List<AsyncResult<JsonObject>>> decide(SqlConnection tx, List<Claim> claims) {
    long started = System.nanoTime();
    TreeSet<Long> union = new TreeSet<>();
    String[] claimIds = new String[claims.size()];
    for (int k = 0; k < claims.size(); k++) {
      union.addAll(claims.get(k).request().cardIds());
      claimIds[k] = claims.get(k).request().claimId();
    }
    // the sale-locks are read while the database answers, as for one claim
    Future<Map<Long, JsonObject>> live = locks.live(union);
    Future<RowSet<Row>> read = tx.preparedQuery(ClaimSql.DECISIONS_AND_CARDS)
        .execute(Tuple.tuple().addArrayOfLong(union.toArray(new Long[0])).addArrayOfString(claimIds));
    return Future.join(live, read).transform(ar -> {
      if (read.failed()) {
        return Future.failedFuture(read.cause());
      }
      Map<String, Decided> decided = new HashMap<>();
      Map<Long, Locked> cards = new TreeMap<>();
      for (Row r : read.result()) {
        if (r.getString("claim_id") != null) {
          decided.put(r.getString("claim_id"), new Decided(r.getString("channel"), (JsonObject) r.getValue("reply")));
          continue;
        }
        Locked card = cards.computeIfAbsent(r.getLong("id"), id -> new Locked(r));
        String channel = r.getString("channel");
        if (channel != null) {
          card.status.put(channel, r.getString("status"));
          card.price.put(channel, r.getLong("price_cents"));
          if (Channel.THISORTHAT.slug.equals(channel) && r.getString("lot_key") != null) {
            return Future.failedFuture(new OneAtATime("card " + card.id + " is in a ToT lot"));
          }
        }
      }
      return decideInOrder(tx, claims, decided, cards, live, started);
    });
  }

  private Future<List<AsyncResult<JsonObject>>> decideInOrder(SqlConnection tx, List<Claim> claims,
                                                             Map<String, Decided> decided, Map<Long, Locked> cards,
                                                             Future<Map<Long, JsonObject>> live, long started) {
    List<AsyncResult<JsonObject>> results = new ArrayList<>(claims.size());
    List<Integer> fresh = new ArrayList<>();
    List<Integer> won = new ArrayList<>();
    List<Long> winIds = new ArrayList<>();
    List<String> winChannels = new ArrayList<>();
    List<String> winOrders = new ArrayList<>();
    List<String> winClaims = new ArrayList<>();
    List<Long> winCents = new ArrayList<>();
    // the won cards' other active selling channels, as the flip's statement finds them (before this group's flips)
    Map<Channel, List<Long>> elsewhere = new EnumMap<>(Channel.class);
    for (int k = 0; k < claims.size(); k++) {
      ClaimRequest claim = claims.get(k).request();
      Decided prior = decided.get(claim.claimId());
      if (prior != null) {
        // already decided (before, or earlier in this group): the first answer, whatever the locks say now
        results.add(ClaimDecider.storedAnswer(claim, prior.channel(), prior.reply()));
        continue;
      }
      if (live.failed()) {
        return Future.failedFuture(live.cause());
      }
      String channel = claim.channel().slug;
      // the claim's cards in id order, as the single claim's locking read returns them
      List<ClaimDecider.Card> its = new ArrayList<>();
      for (Long id : new TreeSet<>(claim.cardIds())) {
        Locked card = cards.get(id);
        if (card != null) {
          its.add(card.as(channel));
        }
      }
      JsonObject reply = ClaimDecider.refusal(claim, its, live.result());
      if (reply == null) {
        reply = ClaimDecider.reply(claim, "won").put("winningChannel", channel);
        Long[] ids = new Long[its.size()];
        Long[] cents = ClaimDecider.shares(claim, its, ids);
        for (int i = 0; i < ids.length; i++) {
          winIds.add(ids[i]);
          winChannels.add(channel);
          winOrders.add(claim.orderRef());
          winClaims.add(claim.claimId());
          winCents.add(cents[i]);
          Locked card = cards.get(ids[i]);
          card.status.forEach((ch, st) -> {
            if (!ch.equals(channel) && !Channel.PERSONAL.slug.equals(ch) && "active".equals(st)) {
              elsewhere.computeIfAbsent(Channel.of(ch).orElseThrow(), c -> new ArrayList<>()).add(card.id);
            }
          });
          card.listingStatus = "sold";
          card.soldChannel = channel;
          card.status.replaceAll((ch, st) -> ch.equals(channel) ? "sold"
              : "active".equals(st) && !Channel.PERSONAL.slug.equals(ch) ? "inactive" : st);
        }
        won.add(k);
      }
      decided.put(claim.claimId(), new Decided(channel, reply));
      fresh.add(k);
      results.add(Future.succeededFuture(reply));
    }
    // Every write of the group is sent at once (pipelined on the transaction's connection, which runs them in the
    // order sent): the flips, the fan-out the flips imply (known from the locked rows read above) and the stored
    // decisions after it, so each claim's conflict-log entries come in the order they have when it is decided alone
    // (disengages, then the decision). One round trip instead of six or more; the flips' own answer is checked once
    // everything has answered, and a mismatch fails the group, which the inbox rolls back and redoes one at a time.
    List<Future<Void>> writes = new ArrayList<>();
    if (!won.isEmpty()) {
      writes.add(tx.preparedQuery(ClaimSql.WIN_ALL).execute(Tuple.tuple().addArrayOfLong(winIds.toArray(new Long[0]))
              .addArrayOfString(winChannels.toArray(new String[0])).addArrayOfString(winOrders.toArray(new String[0]))
              .addArrayOfString(winClaims.toArray(new String[0])).addArrayOfLong(winCents.toArray(new Long[0])))
          .compose(rows -> {
            Row r = rows.iterator().next();
            if (r.getLong("rows_sold") != winIds.size() || r.getLong("cards_sold") != winIds.size()) {
              // cannot happen under the row locks; if it does, the claims go again one at a time
              return Future.failedFuture(new IllegalStateException("a group of claims flipped only part of its "
                  + winIds.size() + " cards"));
            }
            if (!sameChannels(r, elsewhere)) {
              return Future.failedFuture(new IllegalStateException("the sold cards' other channels changed under the"
                  + " group's locks"));
            }
            return Future.<Void>succeededFuture();
          }));
      elsewhere.values().forEach(java.util.Collections::sort);
      writes.add(fanOut(tx, claims, won, elsewhere));
    }
    writes.add(store(tx, claims, fresh, results));
    // join, not all: every statement sent must have come back before the transaction goes on
    return Future.join(writes).transform(ar -> writes.stream().filter(Future::failed).findFirst()
            .<Future<Void>>map(f -> f).orElse(Future.succeededFuture()))
        .map(v -> {
          if (metrics != null) {
            long nanos = System.nanoTime() - started;
            for (int k : fresh) {
              JsonObject reply = results.get(k).result();
              metrics.decided(reply.getString("outcome"), reply.getString("reason"),
                  claims.get(k).request().channel().slug, nanos);
            }
          }
          return results;
        });
  }

  /**
   * The winners' disengages on the other channels ({@code elsewhere}, each channel's cards in id order) and their
   * public sale events, a few statements for the group, all sent at once; each card's messages and log entries name
   * its own claim.
   */
  private static Future<Void> fanOut(SqlConnection tx, List<Claim> claims, List<Integer> won,
                                     Map<Channel, List<Long>> elsewhere) {
    Map<Long, Claim> byCard = new HashMap<>();
    List<Channel> channels = new ArrayList<>();
    List<List<Long>> cards = new ArrayList<>();
    List<JsonObject> ids = new ArrayList<>();
    for (int k : won) {
      Claim claim = claims.get(k);
      claim.request().cardIds().forEach(id -> byCard.put(id, claim));
      channels.add(claim.request().channel());
      cards.add(claim.request().cardIds());
      ids.add(claim.ids());
    }
    Map<Long, List<Long>> triggeredBy = new HashMap<>();
    Map<Long, JsonObject> idsByCard = new HashMap<>();
    elsewhere.values().forEach(list -> list.forEach(id -> {
      Claim claim = byCard.get(id);
      triggeredBy.put(id, claim.request().cardIds());
      idsByCard.put(id, claim.ids());
    }));
    Future<Void> sold = PublicCardEvents.soldAll(tx, channels, cards, ids);
    Future<Void> off = Disengagements.switchOffSold(tx, elsewhere, triggeredBy, idsByCard);
    return Future.join(sold, off).transform(ar -> sold.failed() ? sold : off);
  }

  /** The flip's answer names exactly the (card, channel) pairs {@code elsewhere} holds. */
  private static boolean sameChannels(Row flipped, Map<Channel, List<Long>> elsewhere) {
    Long[] otherCards = flipped.getArrayOfLongs("other_cards");
    String[] otherChannels = flipped.getArrayOfStrings("other_channels");
    java.util.Set<String> found = new java.util.HashSet<>();
    for (int i = 0; i < otherCards.length; i++) {
      found.add(otherChannels[i] + ":" + otherCards[i]);
    }
    java.util.Set<String> expected = new java.util.HashSet<>();
    elsewhere.forEach((channel, ids) -> ids.forEach(id -> expected.add(channel.slug + ":" + id)));
    return found.size() == otherCards.length && found.equals(expected);
  }

  /** Every fresh decision stored with its conflict-log entries, in one statement; each logged under its ids. */
  private static Future<Void> store(SqlConnection tx, List<Claim> claims, List<Integer> fresh,
                                    List<AsyncResult<JsonObject>> results) {
    if (fresh.isEmpty()) {
      return Future.succeededFuture();
    }
    int n = fresh.size();
    String[] claimIds = new String[n];
    String[] channels = new String[n];
    String[] orders = new String[n];
    String[] lockRefs = new String[n];
    String[] cardIds = new String[n];
    Long[] amounts = new Long[n];
    String[] outcomes = new String[n];
    JsonObject[] replies = new JsonObject[n];
    String[] kinds = new String[n];
    JsonObject[] details = new JsonObject[n];
    for (int j = 0; j < n; j++) {
      Claim claim = claims.get(fresh.get(j));
      ClaimRequest c = claim.request();
      JsonObject reply = results.get(fresh.get(j)).result();
      Correlation.replace(claim.ids());
      ClaimDecider.logDecision(c, reply);
      claimIds[j] = c.claimId();
      channels[j] = c.channel().slug;
      orders[j] = c.orderRef();
      lockRefs[j] = c.lockRef();
      cardIds[j] = c.cardIds().toString().replace('[', '{').replace(']', '}');
      amounts[j] = c.amountCents();
      outcomes[j] = reply.getString("outcome");
      replies[j] = reply;
      kinds[j] = ClaimDecider.logKind(reply);
      details[j] = ClaimDecider.logDetail(c, reply);
    }
    return tx.preparedQuery(ClaimSql.STORE_AND_LOG_ALL).execute(Tuple.tuple().addArrayOfString(claimIds)
            .addArrayOfString(channels).addArrayOfString(orders).addArrayOfString(lockRefs).addArrayOfString(cardIds)
            .addArrayOfLong(amounts).addArrayOfString(outcomes).addArrayOfJsonObject(replies).addArrayOfString(kinds)
            .addArrayOfJsonObject(details))
        .mapEmpty();
  }
}
