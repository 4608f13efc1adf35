package io.slabtrack.core.cards;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.core.channels.Channel;
import io.slabtrack.core.channels.Disengagements;
import io.slabtrack.core.claims.LiveLocks;
import io.slabtrack.core.publish.PublishType;
import io.slabtrack.core.publish.Publisher;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Map;

/** The card inventory: create, read, list, patch (publishing updates of engaged cards), delete. */
public final class Cards {
  private final Pool pool;
  private final LiveLocks locks;

  public Cards(Pool pool, LiveLocks locks) {
    this.pool = pool;
    this.locks = locks;
  }

  public Future<JsonObject> create(Map<CardField, Object> values, String ownerId) {
    JsonArray records = new JsonArray().add(CardInput.toRecord(values));
    return pool.withTransaction(tx -> tx.preparedQuery(CardSql.insertFromJson(values.keySet()))
            .execute(Tuple.of(records, ownerId))
            .compose(rows -> {
              if (rows.rowCount() == 0) {
                return Future.failedFuture(duplicateCert());
              }
              long id = rows.iterator().next().getLong("id");
              return tx.preparedQuery(CardSql.INSERT_PERSONAL_ROWS).execute(Tuple.of((Object) new Long[] {id}))
                  .compose(x -> read(tx, id));
            }))
        .recover(Cards::mapDuplicate);
  }

  public Future<JsonObject> get(long id) {
    return pool.withConnection(conn -> read(conn, id));
  }

  static Future<JsonObject> read(SqlConnection conn, long id) {
    return conn.preparedQuery(CardSql.BY_ID).execute(Tuple.of(id)).compose(rows -> rows.size() == 0
        ? Future.failedFuture(notFound(id))
        : Future.succeededFuture(CardJson.of(rows.iterator().next())));
  }

  public Future<JsonObject> list(CardQuery query) {
    return pool.withConnection(conn -> conn.preparedQuery(query.countSql()).execute(query.countParams())
        .compose(count -> conn.preparedQuery(query.pageSql()).execute(query.pageParams()).map(rows -> {
          JsonArray items = new JsonArray();
          for (Row r : rows) {
            items.add(CardJson.of(r));
          }
          boolean more = items.size() > query.limit();
          if (more) {
            items.remove(items.size() - 1);
          }
          return new JsonObject()
              .put("items", items)
              .put("total", count.iterator().next().getLong("total"))
              .put("limit", query.limit())
              .put("nextCursor", more ? query.nextCursor(items.getJsonObject(items.size() - 1)) : null);
        })));
  }

  /** Every change bumps the version; an engaged card's publishing channels get an update with it. */
  public Future<JsonObject> patch(long id, Map<CardField, Object> values) {
    boolean visible = values.keySet().stream().anyMatch(CardField::published);
    return pool.withTransaction(tx -> tx.preparedQuery(CardSql.patch(values.keySet()))
            .execute(Tuple.of(id, CardInput.toRecord(values)))
            .compose(rows -> rows.rowCount() == 0 ? Future.failedFuture(notFound(id)) : Future.succeededFuture())
            .compose(x -> visible ? publishUpdates(tx, id) : Future.succeededFuture())
            .compose(x -> read(tx, id)))
        .recover(Cards::mapDuplicate);
  }

  private static Future<Void> publishUpdates(SqlConnection tx, long id) {
    return Disengagements.activeElsewhere(tx, List.of(id), Channel.PERSONAL).compose(byChannel -> {
      Future<Void> chain = Future.succeededFuture();
      for (Channel ch : byChannel.keySet()) {
        chain = chain.compose(v -> Publisher.announce(tx, PublishType.UPDATE, ch, List.of(id), null));
      }
      return chain;
    });
  }

  /** Only a card that is on no channel, unsold and unlocked may be deleted: anything else would orphan a listing. */
  public Future<Void> delete(long id) {
    return locks.live(List.of(id)).compose(live -> pool.withTransaction(tx ->
        tx.preparedQuery(CardSql.LOCK).execute(Tuple.of(id)).compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(notFound(id));
          }
          if ("sold".equals(rows.iterator().next().getString("listing_status"))) {
            return Future.failedFuture(ApiErrors.conflict("card_sold", "Card " + id + " is sold; its sale is history"));
          }
          if (live.containsKey(id)) {
            JsonObject lock = live.get(id);
            return Future.failedFuture(ApiErrors.conflicts("card_locked", "Card " + id + " is in a checkout",
                new JsonArray().add(new JsonObject().put("cardId", id).put("channel", lock.getString("channel"))
                    .put("reason", "locked").put("expiresAt", lock.getString("expiresAt")))));
          }
          return tx.preparedQuery(CardSql.ACTIVE_ELSEWHERE).execute(Tuple.of(id)).compose(active -> {
            if (active.size() > 0) {
              JsonArray conflicts = new JsonArray();
              active.forEach(r -> conflicts.add(new JsonObject().put("cardId", id)
                  .put("channel", r.getString("channel")).put("reason", "engaged")));
              return Future.failedFuture(ApiErrors.conflicts("card_engaged",
                  "Card " + id + " is engaged; disengage it first", conflicts));
            }
            return tx.preparedQuery(CardSql.DELETE).execute(Tuple.of(id)).<Void>mapEmpty();
          });
        })));
  }

  /** Cards carrying audit flags, grouped by flag (a card with two flags is in both groups). */
  public Future<JsonObject> audit(int limit) {
    return pool.preparedQuery(CardSql.FLAGGED).execute(Tuple.of(limit)).map(Cards::groupByFlag);
  }

  private static JsonObject groupByFlag(RowSet<Row> rows) {
    JsonObject flags = new JsonObject();
    for (String f : List.of("needs_review", "stale_comps", "over", "under")) {
      flags.put(f, new JsonArray());
    }
    for (Row r : rows) {
      JsonObject card = CardJson.of(r);
      JsonObject brief = new JsonObject().put("id", card.getLong("id")).put("player", card.getString("player"))
          .put("askingPrice", card.getLong("askingPrice")).put("compValue", card.getLong("compValue"))
          .put("compSource", card.getString("compSource")).put("compsRefreshedAt", card.getString("compsRefreshedAt"))
          .put("auditFlags", card.getJsonArray("auditFlags"));
      card.getJsonArray("auditFlags").forEach(f -> flags.getJsonArray((String) f).add(brief));
    }
    JsonObject counts = new JsonObject();
    flags.forEach(e -> counts.put(e.getKey(), ((JsonArray) e.getValue()).size()));
    return new JsonObject().put("flags", flags).put("counts", counts);
  }

  static ApiException notFound(long id) {
    return new ApiException(404, "not_found", "Card " + id + " not found", new JsonObject().put("cardId", id));
  }

  private static ApiException duplicateCert() {
    return new ApiException(409, "duplicate_cert", "A card with this grading company and cert number exists",
        new JsonObject().put("field", "certNumber"));
  }

  private static <T> Future<T> mapDuplicate(Throwable t) {
    if (t instanceof PgException pg && "23505".equals(pg.getSqlState())) {
      return Future.failedFuture(duplicateCert());
    }
    return Future.failedFuture(t);
  }
}
