package io.slabtrack.storefront.reconcile;

import io.slabtrack.cluster.reconcile.SnapshotRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.function.Function;

/**
 * {@code storefront.reconcile.orders}: every order whatever its state, keyset-paged on the order id. {@code orderRef}
 * is the order id: what the Storefront sends as orderRef in its claims ({@code Settlement.authorized}), ledger events
 * ({@code Ledger.record}) and sale-locks ({@code Checkout}).
 *
 * <p>{@code authorizedCents}: the order total once Stripe authorized it, else 0. The row keeps no separate authorized
 * amount, but {@code payment_intent_id} is only ever written when Stripe reported an authorization
 * ({@code amount_capturable_updated} with {@code requires_capture}, {@code checkout.session.completed},
 * {@code charge.succeeded}) and every state after {@code awaiting_confirmation} went through one; a Checkout Session
 * authorizes its whole amount. So: pending, or cancelled without a PaymentIntent (expired session, failed checkout) →
 * 0; otherwise the total, even after the authorization was released or captured (captured and refunded amounts say
 * the rest).
 */
final class OrdersSnapshot implements Function<JsonObject, Future<JsonObject>> {
  static final String PAGE = "SELECT id, state, card_ids, amount_cents, captured_cents, refunded_cents, "
      + "payment_intent_id, charge_id, claim_id, lock_ref, created_at, updated_at FROM orders "
      + "WHERE id > $1 ORDER BY id LIMIT $2";

  private final Pool pool;

  OrdersSnapshot(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<JsonObject> apply(JsonObject body) {
    SnapshotRequest req = SnapshotRequest.fromJson(body);
    // every order id is a non-empty string, so "" is before the first one
    String after = req.after() == null ? "" : req.after();
    return pool.preparedQuery(PAGE).execute(Tuple.of(after, req.limit() + 1))
        .map(rows -> req.page(Snapshots.CHANNEL, rows, OrdersSnapshot::item, r -> r.getString("id")));
  }

  static long authorizedCents(String state, String paymentIntentId, long amountCents) {
    boolean authorized = paymentIntentId != null || !("pending".equals(state) || "cancelled".equals(state));
    return authorized ? amountCents : 0L;
  }

  private static JsonObject item(Row r) {
    String state = r.getString("state");
    long amount = r.getLong("amount_cents");
    String pi = r.getString("payment_intent_id");
    return new JsonObject().put("orderRef", r.getString("id")).put("state", state)
        .put("cardIds", Snapshots.cardIds(r))
        .put("priceCents", amount)
        .put("authorizedCents", authorizedCents(state, pi, amount))
        .put("capturedCents", r.getLong("captured_cents"))
        .put("refundedCents", r.getLong("refunded_cents"))
        .put("paymentIntentId", pi)
        .put("chargeId", r.getString("charge_id"))
        .put("claimId", r.getString("claim_id"))
        .put("lockRef", r.getString("lock_ref"))
        .put("createdAt", Snapshots.iso(r, "created_at"))
        .put("updatedAt", Snapshots.iso(r, "updated_at"));
  }
}
