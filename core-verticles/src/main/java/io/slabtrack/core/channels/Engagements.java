package io.slabtrack.core.channels;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.core.cards.CardSql;
import io.slabtrack.core.cards.InvalidField;
import io.slabtrack.core.claims.LiveLocks;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Engaging cards on channels, all-or-nothing: the rules are checked against the locked rows, and either every
 * request is applied (rows, versions, publishes in one transaction) or none is and the answer lists the conflicts.
 */
public final class Engagements {
  public static final int MIN_LOT = 2;
  public static final int MAX_LOT = 25;

  private final Pool pool;
  private final LiveLocks locks;

  public Engagements(Pool pool, LiveLocks locks) {
    this.pool = pool;
    this.locks = locks;
  }

  /**
   * What a tool's commit adds to the channel rules: {@code fromPersonalOnly} refuses every card already active on a
   * channel other than personal (the Strategist's guard: it only moves cards that rest on personal), and
   * {@code first} runs first in the commit's transaction (a proposal marks itself committed there, so it is
   * committed exactly when its cards are).
   */
  public record CommitRules(boolean fromPersonalOnly, Function<SqlConnection, Future<Void>> first) {
    public static final CommitRules NONE = new CommitRules(false, tx -> Future.succeededFuture());
  }

  /**
   * @param bulk true for commits (keeper cards are refused), false for the operator's single engage
   * @return the engaged card ids
   */
  public Future<List<Long>> engage(List<EngageRequest> requests, boolean bulk) {
    return engage(requests, bulk, CommitRules.NONE);
  }

  /** A commit with a tool's extra rules; a rule broken by any card fails the whole commit (409, conflicts). */
  public Future<List<Long>> engage(List<EngageRequest> requests, boolean bulk, CommitRules rules) {
    Map<String, List<EngageRequest>> lots = lotsOf(requests);
    List<Long> ids = requests.stream().map(EngageRequest::cardId).distinct().sorted().toList();
    return locks.live(ids).compose(live -> pool.withTransaction(tx -> rules.first().apply(tx)
        .compose(v -> lockCards(tx, ids))
        .compose(cards -> activeRows(tx, ids).compose(active -> {
          JsonArray conflicts = conflicts(requests, bulk, cards, active, live);
          if (rules.fromPersonalOnly()) {
            conflicts.addAll(activeElsewhere(ids, active));
          }
          if (!conflicts.isEmpty()) {
            return Future.failedFuture(ApiErrors.conflicts("engagement_conflict",
                "Nothing was engaged: " + conflicts.size() + " conflict(s)", conflicts));
          }
          return apply(tx, requests, lots, active);
        }))));
  }

  private static Map<String, List<EngageRequest>> lotsOf(List<EngageRequest> requests) {
    Set<String> seen = new HashSet<>();
    Map<String, List<EngageRequest>> lots = new LinkedHashMap<>();
    for (EngageRequest r : requests) {
      if (!seen.add(r.cardId() + "/" + r.channel().slug)) {
        throw ApiErrors.invalidField("cardId", "card " + r.cardId() + " appears twice for " + r.channel().slug);
      }
      if (r.lot() != null) {
        lots.computeIfAbsent(r.lot(), k -> new ArrayList<>()).add(r);
      }
    }
    lots.forEach((lot, members) -> {
      if (members.size() < MIN_LOT || members.size() > MAX_LOT) {
        throw new InvalidField("lot", "lot '" + lot + "' has " + members.size() + " cards; a lot has "
            + MIN_LOT + " to " + MAX_LOT).toApi();
      }
    });
    return lots;
  }

  private Future<List<Long>> apply(SqlConnection tx, List<EngageRequest> requests,
                                            Map<String, List<EngageRequest>> lots,
                                            Map<Long, Map<Channel, JsonObject>> active) {
    // the operator's lot label groups cards within this commit; the published key is unique for ever
    Map<String, String> lotKeys = new HashMap<>();
    lots.keySet().forEach(label -> lotKeys.put(label, "lot-" + UUID.randomUUID()));
    int n = requests.size();
    Long[] ids = new Long[n];
    String[] channels = new String[n];
    String[] shops = new String[n];
    Long[] prices = new Long[n];
    String[] lotKeyArr = new String[n];
    for (int i = 0; i < n; i++) {
      EngageRequest r = requests.get(i);
      ids[i] = r.cardId();
      channels[i] = r.channel().slug;
      shops[i] = r.shop();
      prices[i] = r.price();
      lotKeyArr[i] = r.lot() == null ? null : lotKeys.get(r.lot());
    }
    Long[] distinct = requests.stream().map(EngageRequest::cardId).distinct().toArray(Long[]::new);
    return tx.preparedQuery(ChannelSql.UPSERT_ACTIVE)
        .execute(Tuple.of(ids, channels, shops, prices, lotKeyArr))
        .compose(x -> tx.preparedQuery(ChannelSql.PERSONAL_OFF).execute(Tuple.of(distinct)))
        .compose(x -> tx.preparedQuery(CardSql.TOUCH).execute(Tuple.of(distinct)))
        .compose(x -> publishAll(tx, requests, active))
        .map(x -> List.of(distinct));
  }

  /** Per channel: newly engaged cards are published, already-active ones get an update (new price or shop). */
  private static Future<Void> publishAll(SqlConnection tx, List<EngageRequest> requests,
                                         Map<Long, Map<Channel, JsonObject>> active) {
    Map<Channel, List<Long>> fresh = new LinkedHashMap<>();
    Map<Channel, List<Long>> updated = new LinkedHashMap<>();
    for (EngageRequest r : requests) {
      boolean was = active.getOrDefault(r.cardId(), Map.of()).containsKey(r.channel());
      (was ? updated : fresh).computeIfAbsent(r.channel(), c -> new ArrayList<>()).add(r.cardId());
    }
    Future<Void> chain = Future.succeededFuture();
    for (var e : fresh.entrySet()) {
      chain = chain.compose(v -> Publisher.announce(tx, PublishType.PUBLISH, e.getKey(), e.getValue(), null));
    }
    for (var e : updated.entrySet()) {
      chain = chain.compose(v -> Publisher.announce(tx, PublishType.UPDATE, e.getKey(), e.getValue(), null));
    }
    return chain;
  }

  /** Every rule, checked over the whole request so the operator sees all conflicts at once. */
  private static JsonArray conflicts(List<EngageRequest> requests, boolean bulk, Map<Long, Row> cards,
                                     Map<Long, Map<Channel, JsonObject>> active, Map<Long, JsonObject> live) {
    JsonArray out = new JsonArray();
    Map<Long, Set<Channel>> planned = new HashMap<>();
    for (EngageRequest r : requests) {
      Row card = cards.get(r.cardId());
      Map<Channel, JsonObject> rows = active.getOrDefault(r.cardId(), Map.of());
      if ("sold".equals(card.getString("listing_status"))) {
        out.add(conflict(r.cardId(), r.channel(), "sold", null));
        continue;
      }
      if (bulk && card.getBoolean("is_keeper")) {
        out.add(conflict(r.cardId(), r.channel(), "keeper", null));
      }
      JsonObject lock = live.get(r.cardId());
      if (lock != null) {
        out.add(conflict(r.cardId(), Channel.of(lock.getString("channel")).orElse(r.channel()), "locked",
            lock.getString("expiresAt")));
      }
      if (r.channel().publishAddress().isPresent() && r.price() == null && card.getLong("asking_price") == null) {
        out.add(conflict(r.cardId(), r.channel(), "no_price", null));
      }
      JsonObject same = rows.get(r.channel());
      if (same != null && r.channel() == Channel.STOREFRONT && !r.shop().equals(same.getString("shop"))) {
        // a move between shops is a disengage from one and a publish to the other: the operator does both
        out.add(conflict(r.cardId(), r.channel(), "already_active", null).put("shop", same.getString("shop")));
      }
      if (same != null && r.channel() == Channel.THISORTHAT
          && (r.lot() != null || same.getString("lot_key") != null)) {
        // moving a listed card into or out of a lot would silently reshape a live ToT listing
        out.add(conflict(r.cardId(), r.channel(), same.getString("lot_key") != null ? "in_lot" : "already_active", null));
      }
      Set<Channel> others = new HashSet<>(rows.keySet());
      others.addAll(planned.getOrDefault(r.cardId(), Set.of()));
      others.remove(Channel.PERSONAL);
      for (Channel other : others) {
        if (!r.channel().coexistsWith(other)) {
          out.add(conflict(r.cardId(), other, "exclusive_conflict", null));
        }
      }
      planned.computeIfAbsent(r.cardId(), k -> new HashSet<>()).add(r.channel());
    }
    return out;
  }

  /** One conflict per card and non-personal channel it is already active on. */
  private static JsonArray activeElsewhere(List<Long> ids, Map<Long, Map<Channel, JsonObject>> active) {
    JsonArray out = new JsonArray();
    for (Long id : ids) {
      active.getOrDefault(id, Map.of()).keySet().stream().filter(ch -> ch != Channel.PERSONAL).sorted()
          .forEach(ch -> out.add(conflict(id, ch, "active_elsewhere", null)));
    }
    return out;
  }

  private static JsonObject conflict(long cardId, Channel channel, String reason, String expiresAt) {
    JsonObject c = new JsonObject().put("cardId", cardId).put("channel", channel.slug).put("reason", reason);
    if (expiresAt != null) {
      c.put("expiresAt", expiresAt);
    }
    return c;
  }

  static Future<Map<Long, Row>> lockCards(SqlConnection tx, List<Long> ids) {
    return tx.preparedQuery(ChannelSql.LOCK_CARDS).execute(Tuple.of(ids.toArray(new Long[0]))).compose(rows -> {
      Map<Long, Row> byId = new HashMap<>();
      for (Row r : rows) {
        byId.put(r.getLong("id"), r);
      }
      for (Long id : ids) {
        if (!byId.containsKey(id)) {
          return Future.failedFuture(new ApiException(404, "not_found", "Card " + id + " not found",
              new JsonObject().put("cardId", id)));
        }
      }
      return Future.succeededFuture(byId);
    });
  }

  static Future<Map<Long, Map<Channel, JsonObject>>> activeRows(SqlConnection tx, List<Long> ids) {
    return tx.preparedQuery(ChannelSql.ROWS_OF).execute(Tuple.of(ids.toArray(new Long[0]))).map(rows -> {
      Map<Long, Map<Channel, JsonObject>> out = new HashMap<>();
      for (Row r : rows) {
        if ("active".equals(r.getString("status"))) {
          Channel ch = Channel.of(r.getString("channel")).orElseThrow();
          out.computeIfAbsent(r.getLong("card_id"), k -> new HashMap<>()).put(ch, r.toJson());
        }
      }
      return out;
    });
  }
}
