package io.slabtrack.storefront.reconcile;

import io.slabtrack.cluster.reconcile.SnapshotRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.function.Function;

/**
 * {@code storefront.reconcile.checkouts}: the orders that may legitimately hold sale-locks ({@code pending},
 * {@code awaiting_confirmation}), keyset-paged on the lockRef. {@code orderRef} is the order id, the same value
 * {@code Checkout} puts on the lock batch, so core matches each lock to its checkout. Served by the partial index
 * {@code orders_in_progress} (V14): a page never walks the finished orders.
 */
final class CheckoutsSnapshot implements Function<JsonObject, Future<JsonObject>> {
  static final String PAGE = "SELECT lock_ref, id, state, card_ids, created_at FROM orders "
      + "WHERE state IN ('pending', 'awaiting_confirmation') AND lock_ref > $1 ORDER BY lock_ref LIMIT $2";

  private final Pool pool;

  CheckoutsSnapshot(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<JsonObject> apply(JsonObject body) {
    SnapshotRequest req = SnapshotRequest.fromJson(body);
    String after = req.after() == null ? "" : req.after(); // lockRefs are non-empty ("sf-…")
    return pool.preparedQuery(PAGE).execute(Tuple.of(after, req.limit() + 1))
        .map(rows -> req.page(Snapshots.CHANNEL, rows, CheckoutsSnapshot::item, r -> r.getString("lock_ref")));
  }

  private static JsonObject item(Row r) {
    return new JsonObject().put("lockRef", r.getString("lock_ref")).put("orderRef", r.getString("id"))
        .put("state", r.getString("state")).put("cardIds", Snapshots.cardIds(r))
        .put("createdAt", Snapshots.iso(r, "created_at"));
  }
}
