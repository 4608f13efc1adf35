package io.slabtrack.tot.reconcile;

import io.slabtrack.cluster.reconcile.SnapshotRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.function.Function;

/**
 * {@code tot.reconcile.checkouts}: the plays that may legitimately hold sale-locks (committed, or revealed and
 * waiting for core's answer), paged by lockRef. {@code orderRef} is the play id: that is what
 * {@code PlayCommit} puts on its sale-locks, so core can tell its locks from orphans.
 */
public final class CheckoutsSnapshot implements Function<JsonObject, Future<JsonObject>> {
  /** Walks the partial index {@code plays_in_progress_lock_ref} (V14): finished plays cost nothing. */
  static final String PAGE = """
      SELECT lock_ref, id, status, card_ids, created_at FROM plays
      WHERE status IN ('COMMITTED', 'AWAITING_CONFIRMATION') AND lock_ref > $1
      ORDER BY lock_ref LIMIT $2""";

  private final Pool pool;

  public CheckoutsSnapshot(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<JsonObject> apply(JsonObject body) {
    SnapshotRequest request = SnapshotRequest.fromJson(body);
    return pool.preparedQuery(PAGE).execute(Tuple.of(request.afterText(), request.limit() + 1))
        .map(rows -> request.page(Pages.CHANNEL, rows, CheckoutsSnapshot::item, r -> r.getString("lock_ref")));
  }

  private static JsonObject item(Row row) {
    return new JsonObject().put("lockRef", row.getString("lock_ref")).put("orderRef", row.getString("id"))
        .put("state", row.getString("status").toLowerCase(java.util.Locale.ROOT))
        .put("cardIds", new JsonArray(List.of(row.getArrayOfLongs("card_ids"))))
        .put("createdAt", Pages.iso(row.getOffsetDateTime("created_at")));
  }

}
