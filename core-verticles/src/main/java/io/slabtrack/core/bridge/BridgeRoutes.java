package io.slabtrack.core.bridge;

import io.slabtrack.cluster.http.Responses;
import io.slabtrack.core.api.OperatorApi;
import io.slabtrack.core.claims.LiveLocks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** The command bridge: the card × channel grid with live sale-locks and per-channel totals, and the conflict log. */
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
    pool.preparedQuery(BridgeSql.GRID).execute(Tuple.of(after, rc.queryParams().get("channel"), limit + 1))
        .compose(rows -> {
          List<Row> page = new ArrayList<>();
          rows.forEach(page::add);
          boolean more = page.size() > limit;
          List<Row> shown = more ? page.subList(0, limit) : page;
          return locks.live(shown.stream().map(r -> r.getLong("id")).toList()).compose(live ->
              pool.preparedQuery(BridgeSql.TOTALS).execute().map(totals -> {
                JsonArray cards = new JsonArray();
                for (Row r : shown) {
                  long id = r.getLong("id");
                  cards.add(new JsonObject().put("cardId", id).put("card", "/api/cards/" + id)
                      .put("player", r.getString("player")).put("listingStatus", r.getString("listing_status"))
                      .put("version", r.getLong("version")).put("channels", r.getValue("states"))
                      .put("lock", live.get(id)));
                }
                JsonObject byChannel = new JsonObject();
                for (Row t : totals) {
                  JsonObject c = byChannel.getJsonObject(t.getString("channel"));
                  if (c == null) {
                    c = new JsonObject().put("active", 0L).put("inactive", 0L).put("sold", 0L);
                    byChannel.put(t.getString("channel"), c);
                  }
                  c.put(t.getString("status"), t.getLong("n"));
                }
                return new JsonObject().put("cards", cards).put("totals", byChannel)
                    .put("nextCursor", more ? shown.get(shown.size() - 1).getLong("id") : null);
              }));
        })
        .onSuccess(body -> Responses.ok(rc, body))
        .onFailure(rc::fail);
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
