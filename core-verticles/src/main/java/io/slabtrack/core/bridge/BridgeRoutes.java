package io.slabtrack.core.bridge;

import io.slabtrack.cluster.http.Responses;
import io.slabtrack.core.api.OperatorApi;
import io.slabtrack.core.claims.LiveLocks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The command bridge: the card × channel grid, each cell coloured green / yellow / red ({@link BridgeSql#CELLS}), with
 * live sale-locks, per-channel totals, the drift indicator, and the conflict log.
 */
public final class BridgeRoutes implements OperatorApi.Feature {
  private static final int DEFAULT_LIMIT = 100;
  private final Pool pool;
  private final LiveLocks locks;

  public BridgeRoutes(Pool pool, LiveLocks locks) {
    this.pool = pool;
    this.locks = locks;
  }

  @Override
  public void bind(OperatorApi.Binder api) {
    api.on("bridge", this::grid);
    api.on("bridgeConflicts", this::conflicts);
  }

  private void grid(RoutingContext rc) {
    int limit = intParam(rc, "limit", DEFAULT_LIMIT);
    long after = rc.queryParams().get("cursor") == null ? 0 : Long.parseLong(rc.queryParams().get("cursor"));
    Tuple args = Tuple.of(after, rc.queryParams().get("channel"), rc.queryParams().get("colour"), limit + 1);
    pool.preparedQuery(BridgeSql.GRID).execute(args)
        .compose(rows -> {
          List<Row> page = new ArrayList<>();
          rows.forEach(page::add);
          boolean more = page.size() > limit;
          List<Row> shown = more ? page.subList(0, limit) : page;
          return locks.live(shown.stream().map(r -> r.getLong("id")).toList()).compose(live ->
              pool.preparedQuery(BridgeSql.TOTALS).execute().compose(totals ->
                  pool.preparedQuery(BridgeSql.DRIFT).execute().map(drift -> {
                    JsonArray cards = new JsonArray();
                    for (Row r : shown) {
                      long id = r.getLong("id");
                      cards.add(new JsonObject().put("cardId", id).put("card", "/api/cards/" + id)
                          .put("player", r.getString("player")).put("listingStatus", r.getString("listing_status"))
                          .put("version", r.getLong("version")).put("channels", r.getValue("states"))
                          .put("cells", r.getValue("cells")).put("lock", live.get(id)));
                    }
                    return new JsonObject().put("cards", cards).put("totals", totals(totals))
                        .put("drift", indicator(drift))
                        .put("nextCursor", more ? shown.get(shown.size() - 1).getLong("id") : null);
                  })));
        })
        .onSuccess(body -> Responses.ok(rc, body))
        .onFailure(rc::fail);
  }

  private static JsonObject totals(RowSet<Row> rows) {
    JsonObject byChannel = new JsonObject();
    for (Row t : rows) {
      JsonObject c = new JsonObject();
      for (String k : List.of("active", "inactive", "sold", "green", "yellow", "red")) {
        c.put(k, t.getLong(k));
      }
      byChannel.put(t.getString("channel"), c);
    }
    return byChannel;
  }

  /**
   * The drift indicator: {@code open} findings in all (what the yellow and red-by-drift cells come from) and, per
   * channel, the reconciler run they come from; {@code runs} is empty until a reconciler run has finished.
   */
  private static JsonObject indicator(RowSet<Row> rows) {
    JsonObject runs = new JsonObject();
    long open = 0;
    for (Row r : rows) {
      JsonObject byKind = (JsonObject) r.getValue("open");
      for (String k : byKind.fieldNames()) {
        open += byKind.getLong(k);
      }
      runs.put(r.getString("channel"), new JsonObject().put("runId", r.getUUID("run_id").toString())
          .put("run", "/api/reconciler/runs/" + r.getUUID("run_id")).put("mode", r.getString("mode"))
          .put("finishedAt", r.getOffsetDateTime("finished_at").toInstant().toString()).put("open", byKind));
    }
    return new JsonObject().put("open", open).put("runs", runs);
  }

  private void conflicts(RoutingContext rc) {
    int limit = intParam(rc, "limit", DEFAULT_LIMIT);
    String cursor = rc.queryParams().get("cursor");
    String cardId = rc.queryParams().get("cardId");
    pool.preparedQuery(BridgeSql.LOG_PAGE)
        .execute(Tuple.of(cursor == null ? null : Long.valueOf(cursor), cardId == null ? null : Long.valueOf(cardId),
            limit + 1))
        .onSuccess(rows -> {
          JsonArray items = new JsonArray();
          Long last = null;
          int n = 0;
          for (Row r : rows) {
            if (n++ == limit) {
              break;
            }
            Long card = r.getLong("card_id");
            last = r.getLong("id");
            items.add(new JsonObject().put("id", last).put("kind", r.getString("kind")).put("cardId", card)
                .put("card", card == null ? null : "/api/cards/" + card).put("channel", r.getString("channel"))
                .put("detail", r.getValue("detail")).put("at", r.getOffsetDateTime("created_at").toInstant().toString()));
          }
          Responses.ok(rc, new JsonObject().put("items", items).put("nextCursor", rows.size() > limit ? last : null));
        })
        .onFailure(rc::fail);
  }

  private static int intParam(RoutingContext rc, String name, int fallback) {
    String v = rc.queryParams().get(name);
    return v == null ? fallback : Integer.parseInt(v);
  }
}
