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
 * {@code tot.reconcile.orders}: every ToT order whatever its state, paged by order id. The order id is the
 * {@code orderRef} ToT puts in its claims and {@code core.orders.event} ledger events, so core matches on it.
 */
public final class OrdersSnapshot implements Function<JsonObject, Future<JsonObject>> {
  /**
   * Keyset on the primary key ({@code ''} sorts before every id). {@code o.amount} is the play's outcome amount,
   * the exact amount settlement captures; {@code p.amount} is what the buyer authorized (the play's maximum).
   */
  static final String PAGE = """
      SELECT o.id, o.status, o.card_ids, o.amount, o.captured_cents, o.refunded_cents, o.payment_intent_id,
             o.charge_id, o.claim_id, o.created_at, o.updated_at, p.amount AS authorized, p.lock_ref
      FROM orders o JOIN plays p ON p.id = o.play_id
      WHERE o.id > $1 ORDER BY o.id LIMIT $2""";

  private final Pool pool;

  public OrdersSnapshot(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<JsonObject> apply(JsonObject body) {
    SnapshotRequest request = SnapshotRequest.fromJson(body);
    return pool.preparedQuery(PAGE).execute(Tuple.of(request.afterText(), request.limit() + 1))
        .map(rows -> request.page(Pages.CHANNEL, rows, OrdersSnapshot::item, r -> r.getString("id")));
  }


  private static JsonObject item(Row row) {
    return new JsonObject().put("orderRef", row.getString("id")).put("state", row.getString("status"))
        .put("cardIds", new JsonArray(List.of(row.getArrayOfLongs("card_ids"))))
        .put("priceCents", row.getLong("amount")).put("authorizedCents", row.getLong("authorized"))
        .put("capturedCents", row.getLong("captured_cents")).put("refundedCents", row.getLong("refunded_cents"))
        .put("paymentIntentId", row.getString("payment_intent_id")).put("chargeId", row.getString("charge_id"))
        .put("claimId", row.getString("claim_id")).put("lockRef", row.getString("lock_ref"))
        .put("createdAt", Pages.iso(row.getOffsetDateTime("created_at")))
        .put("updatedAt", Pages.iso(row.getOffsetDateTime("updated_at")));
  }
}
