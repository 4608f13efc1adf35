package io.slabtrack.core.cards;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.core.bridge.ConflictLog;
import io.slabtrack.core.channels.Channel;
import io.slabtrack.core.channels.Disengagements;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The price audit's bulk actions (issue 17): set the asking price from the comp value, mark a card "no comp", or lift
 * that mark, over a list of card ids or a filter of the audit set. One transaction: every changed card gets a new
 * version, its engaged channels an update, and the conflict log one {@code price_audit} entry with before and after;
 * the answer reports every card, changed or not, and why.
 *
 * <p>Rounding rule for {@code set_price_from_comp}: the comp value rounded to the nearest whole dollar, halves up,
 * never below $1. Slabs are priced in whole dollars by people and by every channel we sell on; a comp is an average
 * (eBay) or a guide price with arbitrary cents, and the nearest dollar keeps the asking price within 50¢ of it, far
 * inside the audit's 0.5×–2× band, so a card this sets is never flagged over or under again for the same comps.
 */
public final class PriceAuditActions {
  public static final int MAX_CARDS = 5000;
  public static final String ROUNDING_RULE = "nearest_dollar";

  /** What an action does to one card. */
  public enum Action {
    SET_PRICE_FROM_COMP, MARK_NO_COMP, CLEAR_NO_COMP;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Action of(String wire) {
      for (Action a : values()) {
        if (a.wire().equals(wire)) {
          return a;
        }
      }
      throw ApiErrors.invalidField("action", "action must be one of set_price_from_comp, mark_no_comp, clear_no_comp");
    }
  }

  /** The cards an action covers: explicit ids, or the audit set narrowed by a flag, a price range and a channel. */
  public record Selection(List<Long> ids, String flag, Long minPrice, Long maxPrice, String channel) {
  }

  private static final String LOCK = "SELECT id FROM cards WHERE id = ANY($1) ORDER BY id FOR UPDATE";
  private static final String READ = """
      SELECT id, player, asking_price, comp_value, comp_source, audit_flags, listing_status, no_comp
      FROM cards_priced WHERE id = ANY($1) ORDER BY id""";
  /** The audit set (unsold, flagged), narrowed; $5 = limit + 1 so the answer can say there is more. */
  private static final String FILTERED = """
      SELECT c.id FROM cards_priced c
      WHERE c.listing_status <> 'sold' AND cardinality(c.audit_flags) > 0
        AND ($1::text IS NULL OR $1 = ANY(c.audit_flags))
        AND ($2::bigint IS NULL OR c.asking_price >= $2) AND ($3::bigint IS NULL OR c.asking_price <= $3)
        AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM card_channels f WHERE f.card_id = c.id AND f.channel = $4
                                         AND f.status = 'active'))
      ORDER BY c.id LIMIT $5""";
  private static final String SET_PRICES = """
      UPDATE cards c SET asking_price = t.price, version = c.version + 1, updated_at = now()
      FROM unnest($1::bigint[], $2::bigint[]) AS t(id, price) WHERE c.id = t.id""";
  private static final String SET_NO_COMP = """
      UPDATE cards SET no_comp_at = CASE WHEN $2 THEN now() END, version = version + 1, updated_at = now()
      WHERE id = ANY($1)""";

  private final Pool pool;

  public PriceAuditActions(Pool pool) {
    this.pool = pool;
  }

  /** Validates the body of {@code POST /api/pricing/audit/actions} (the document checked its types already). */
  public static Selection selection(JsonObject body) {
    JsonArray ids = body.getJsonArray("cardIds");
    JsonObject filter = body.getJsonObject("filter");
    if ((ids == null) == (filter == null)) {
      throw ApiErrors.invalidField("cardIds", "give either cardIds or filter, not both and not neither");
    }
    if (ids != null) {
      List<Long> list = ids.stream().map(o -> ((Number) o).longValue()).distinct().sorted().toList();
      return new Selection(list, null, null, null, null);
    }
    return new Selection(null, filter.getString("flag"), filter.getLong("minPrice"), filter.getLong("maxPrice"),
        filter.getString("channel"));
  }

  /**
   * Applies {@code action} (or, with {@code dryRun}, only says what it would do).
   *
   * @param by the operator's session subject, recorded in the conflict log
   */
  public Future<JsonObject> apply(String actionName, Selection selection, boolean dryRun, String by) {
    Action action = Action.of(actionName);
    return pool.withTransaction(tx -> ids(tx, selection).compose(chosen -> {
      List<Long> ids = chosen.size() > MAX_CARDS ? chosen.subList(0, MAX_CARDS) : chosen;
      boolean more = chosen.size() > MAX_CARDS;
      return tx.preparedQuery(LOCK).execute(Tuple.of((Object) ids.toArray(new Long[0])))
          .compose(x -> read(tx, ids))
          .compose(before -> {
            Map<Long, JsonObject> results = new LinkedHashMap<>();
            Map<Long, Long> prices = new LinkedHashMap<>();
            for (Long id : ids) {
              Row row = before.get(id);
              results.put(id, row == null
                  ? new JsonObject().put("cardId", id).put("outcome", "not_found")
                  : decide(action, row, prices));
            }
            List<Long> changed = results.values().stream().filter(r -> "changed".equals(r.getString("outcome")))
                .map(r -> r.getLong("cardId")).toList();
            Future<Void> write = dryRun || changed.isEmpty() ? Future.succeededFuture()
                : write(tx, action, changed, prices);
            return write.compose(v -> dryRun || changed.isEmpty() ? Future.succeededFuture(Map.<Long, Row>of())
                    : read(tx, changed))
                .compose(after -> log(tx, action, changed, before, after, by, dryRun).map(v -> {
                  after.forEach((id, row) -> results.get(id).put("after", brief(row)));
                  return report(action, dryRun, more, results);
                }));
          });
    }));
  }

  private static Future<List<Long>> ids(SqlConnection tx, Selection s) {
    if (s.ids() != null) {
      return Future.succeededFuture(s.ids());
    }
    return tx.preparedQuery(FILTERED).execute(Tuple.of(s.flag(), s.minPrice(), s.maxPrice(), s.channel(),
        MAX_CARDS + 1)).map(rows -> {
          List<Long> out = new ArrayList<>();
          rows.forEach(r -> out.add(r.getLong("id")));
          return out;
        });
  }

  private static Future<Map<Long, Row>> read(SqlConnection tx, List<Long> ids) {
    return tx.preparedQuery(READ).execute(Tuple.of((Object) ids.toArray(new Long[0]))).map(rows -> {
      Map<Long, Row> out = new LinkedHashMap<>();
      rows.forEach(r -> out.put(r.getLong("id"), r));
      return out;
    });
  }

  /** One card's outcome: changed (with the new price for a price action), or unchanged/skipped with the reason. */
  private static JsonObject decide(Action action, Row row, Map<Long, Long> prices) {
    long id = row.getLong("id");
    JsonObject r = new JsonObject().put("cardId", id).put("card", "/api/cards/" + id).put("before", brief(row));
    if ("sold".equals(row.getString("listing_status"))) {
      return r.put("outcome", "skipped").put("reason", "sold");
    }
    switch (action) {
      case SET_PRICE_FROM_COMP -> {
        String source = row.getString("comp_source");
        if ("asking_price".equals(source) || "none".equals(source)) {
          // the comp chain fell through to the asking price itself: there is no market value to price from
          return r.put("outcome", "skipped").put("reason", "no_market_comp");
        }
        long price = roundToDollar(row.getLong("comp_value"));
        if (row.getLong("asking_price") != null && row.getLong("asking_price") == price) {
          return r.put("outcome", "unchanged").put("reason", "already_at_comp");
        }
        prices.put(id, price);
        return r.put("outcome", "changed").put("askingPrice", price);
      }
      case MARK_NO_COMP -> {
        return row.getBoolean("no_comp") ? r.put("outcome", "unchanged").put("reason", "already_no_comp")
            : r.put("outcome", "changed");
      }
      default -> {
        return row.getBoolean("no_comp") ? r.put("outcome", "changed")
            : r.put("outcome", "unchanged").put("reason", "not_marked");
      }
    }
  }

  /** The rounding rule of this class: nearest whole dollar, halves up, at least $1. */
  public static long roundToDollar(long cents) {
    return Math.max(100, (cents + 50) / 100 * 100);
  }

  private static Future<Void> write(SqlConnection tx, Action action, List<Long> changed, Map<Long, Long> prices) {
    Long[] ids = changed.toArray(new Long[0]);
    Future<?> update = action == Action.SET_PRICE_FROM_COMP
        ? tx.preparedQuery(SET_PRICES).execute(Tuple.of(ids, (Object) changed.stream().map(prices::get).toArray(Long[]::new)))
        : tx.preparedQuery(SET_NO_COMP).execute(Tuple.of(ids, action == Action.MARK_NO_COMP));
    // the satellites show the asking price and the comp value: every engaged channel of a changed card hears of it
    return update.compose(x -> Disengagements.activeElsewhere(tx, changed, Channel.PERSONAL)).compose(byChannel -> {
      Future<Void> chain = Future.succeededFuture();
      for (var e : byChannel.entrySet()) {
        chain = chain.compose(v -> Publisher.announce(tx, PublishType.UPDATE, e.getKey(), e.getValue(), null));
      }
      return chain;
    });
  }

  private static Future<Void> log(SqlConnection tx, Action action, List<Long> changed, Map<Long, Row> before,
                                  Map<Long, Row> after, String by, boolean dryRun) {
    if (dryRun || changed.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<Long, JsonObject> details = new LinkedHashMap<>();
    for (Long id : changed) {
      JsonObject d = new JsonObject().put("action", action.wire()).put("by", by)
          .put("before", brief(before.get(id))).put("after", brief(after.get(id)));
      if (action == Action.SET_PRICE_FROM_COMP) {
        d.put("rounding", ROUNDING_RULE);
      }
      details.put(id, d);
    }
    return ConflictLog.recordEach(tx, ConflictLog.PRICE_AUDIT, details, null);
  }

  private static JsonObject brief(Row row) {
    return new JsonObject().put("askingPrice", row.getLong("asking_price")).put("compValue", row.getLong("comp_value"))
        .put("compSource", row.getString("comp_source")).put("noComp", row.getBoolean("no_comp"))
        .put("auditFlags", new JsonArray(List.of(row.getArrayOfStrings("audit_flags"))));
  }

  private static JsonObject report(Action action, boolean dryRun, boolean more, Map<Long, JsonObject> results) {
    JsonObject counts = new JsonObject().put("changed", 0).put("unchanged", 0).put("skipped", 0).put("not_found", 0);
    results.values().forEach(r -> counts.put(r.getString("outcome"), counts.getInteger(r.getString("outcome")) + 1));
    JsonObject out = new JsonObject().put("action", action.wire()).put("dryRun", dryRun).put("counts", counts)
        .put("more", more).put("results", new JsonArray(new ArrayList<>(results.values())));
    if (action == Action.SET_PRICE_FROM_COMP) {
      out.put("rounding", ROUNDING_RULE);
    }
    return out;
  }
}
