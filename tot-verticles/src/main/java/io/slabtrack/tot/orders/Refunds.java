package io.slabtrack.tot.orders;

import com.stripe.model.Refund;
import com.stripe.param.RefundCreateParams;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.stripe.StripeGateway;
import io.slabtrack.tot.settle.RefundTotals;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.Set;

/**
 * The operator's refunds: several partial ones per order up to the captured amount, each made once however often
 * its request is sent. Three steps, so no database connection is held while Stripe answers (seconds; under load,
 * the end of the pool):
 * <ol>
 * <li>reserve, in a short transaction under the order's row lock: the amount is checked against what is left
 * (captured − refunded − other pending refunds) and a pending {@code order_refunds} row fixes the Stripe key;</li>
 * <li>ask Stripe with that key, holding nothing;</li>
 * <li>record, in a second short transaction: the row gets Stripe's refund id, the order its total
 * ({@link RefundTotals}).</li>
 * </ol>
 * Crash-safety: a crash or a Stripe outage after step 1 leaves the pending row (its amount stays reserved); the retry
 * of the same request (same Idempotency-Key) finds it and resumes at step 2 with the same Stripe key, so Stripe
 * refunds at most once and step 3 converges. If Stripe's {@code charge.refunded} lands first, the order's total
 * already counts the money and step 3 adds nothing twice.
 *
 * <p>The Stripe key is the order plus the operator's Idempotency-Key. Without one (API-CONVENTIONS.md allows it) the
 * key is derived from the request and the order's refunded total: a double click while the first is in flight
 * refunds once, but the same amount sent again after the first completed is a new refund.
 */
final class Refunds {
  static final Set<String> REFUNDABLE = Set.of("paid", "shipped", "delivered", "disputed", "partially_refunded");

  private final Pool pool;
  private final StripeGateway stripe;

  Refunds(Pool pool, StripeGateway stripe) {
    this.pool = pool;
    this.stripe = stripe;
  }

  /** Step 1's decision: a refund to ask Stripe for, or (answer set) nothing to do but answer. */
  private record Reservation(String key, long amount, String paymentIntentId, JsonObject answer) {
  }

  /**
   * @param amount         cents, or null for everything still refundable
   * @param idempotencyKey the operator's Idempotency-Key header, or null
   * @return the order as the operator sees it
   */
  Future<JsonObject> refund(String orderId, Long amount, String idempotencyKey) {
    return pool.withTransaction(tx -> reserve(tx, orderId, amount, idempotencyKey)).compose(r -> r.answer() != null
        ? Future.succeededFuture(r.answer())
        : callStripe(orderId, r).compose(refund -> pool.withTransaction(tx -> record(tx, orderId, r.key(), refund))));
  }

  private Future<Reservation> reserve(SqlConnection tx, String orderId, Long amount, String idempotencyKey) {
    return tx.preparedQuery(OrdersSql.FOR_UPDATE).execute(Tuple.of(orderId)).compose(rows -> {
      if (rows.rowCount() == 0) {
        throw ApiErrors.notFound("Order");
      }
      Row o = rows.iterator().next();
      String key = stripeKey(o, amount, idempotencyKey);
      return tx.preparedQuery(OrdersSql.REFUND_BY_KEY).execute(Tuple.of(key)).compose(found -> found.rowCount() > 0
          ? Future.succeededFuture(again(o, key, amount, found.iterator().next()))
          : reserveNew(tx, o, key, amount));
    });
  }

  /** The same request again: the first answer if it completed, else resume it (same key, same amount). */
  private static Reservation again(Row o, String key, Long amount, Row earlier) {
    long reserved = earlier.getLong("amount");
    if (amount != null && amount != reserved) {
      throw new ApiException(409, "idempotency_key_reused", "This Idempotency-Key was used for a refund of "
          + reserved + " cents, not " + amount, new JsonObject().put("field", "Idempotency-Key"));
    }
    return "succeeded".equals(earlier.getString("status"))
        ? new Reservation(key, reserved, null, OrderJson.operator(o))
        : new Reservation(key, reserved, o.getString("payment_intent_id"), null);
  }

  private Future<Reservation> reserveNew(SqlConnection tx, Row o, String key, Long amount) {
    String status = o.getString("status");
    if (!REFUNDABLE.contains(status) && !"refunded".equals(status)) {
      throw ApiErrors.conflict("order_not_refundable", "An order in state " + status + " can't be refunded");
    }
    return tx.preparedQuery(OrdersSql.REFUNDS_BY_STATUS).execute(Tuple.of(o.getString("id"))).compose(rows -> {
      long captured = o.getLong("captured_cents");
      long pending = rows.iterator().next().getLong("pending");
      // the webhook may already have counted a refund whose row is still pending: take the larger, never both
      long refunded = Math.max(o.getLong("refunded_cents"), rows.iterator().next().getLong("succeeded") + pending)
          - pending;
      long left = captured - refunded - pending;
      if (amount == null && left <= 0) {
        // "refund the rest" with nothing left (a double click, or one still at Stripe): the order as it stands
        return Future.succeededFuture(new Reservation(key, 0, null, OrderJson.operator(o)));
      }
      long cents = amount == null ? left : amount;
      if (cents > left || cents <= 0) {
        throw new ApiException(409, "refund_exceeds_payment", "A refund of " + cents + " cents exceeds the "
            + Math.max(left, 0) + " cents left to refund (captured " + captured + ", refunded " + refunded
            + (pending > 0 ? ", pending " + pending : "") + ")", new JsonObject().put("field", "amount")
            .put("refundableCents", Math.max(left, 0)));
      }
      return tx.preparedQuery(OrdersSql.INSERT_PENDING_REFUND).execute(Tuple.of(key, o.getString("id"), cents))
          .map(x -> new Reservation(key, cents, o.getString("payment_intent_id"), null));
    });
  }

  private String stripeKey(Row o, Long amount, String idempotencyKey) {
    String base = stripe.keyPrefix() + "refund-" + o.getString("id") + "-";
    if (idempotencyKey != null) {
      return base + "key-" + idempotencyKey;
    }
    return base + (amount == null ? "rest" : amount) + "-after-" + o.getLong("refunded_cents");
  }

  private Future<Refund> callStripe(String orderId, Reservation r) {
    RefundCreateParams params = RefundCreateParams.builder().setPaymentIntent(r.paymentIntentId())
        .setAmount(r.amount()).putMetadata("app", "tot").putMetadata("orderId", orderId)
        .putMetadata("requestKey", r.key()).build();
    return stripe.createRefund(params, r.key()).recover(failure -> refusedForGood(failure)
        // Stripe said no (more than the charge has left, say): nothing happened, so free the reservation
        ? pool.preparedQuery(OrdersSql.DELETE_PENDING_REFUND).execute(Tuple.of(r.key()))
            .compose(x -> Future.failedFuture(failure))
        // unreachable or busy: the pending row stays for the retry with the same key
        : Future.failedFuture(failure));
  }

  private static boolean refusedForGood(Throwable failure) {
    if (!(failure instanceof ApiException e)) {
      return false;
    }
    String stripeCode = e.details() == null ? null : e.details().getString("stripeCode");
    boolean inFlight = "idempotency_key_in_use".equals(stripeCode); // the same request, still running at Stripe
    return !inFlight && (e.status() == 400 || e.status() == 402 || e.status() == 404
        || "payment_state_conflict".equals(e.code()));
  }

  private static Future<JsonObject> record(SqlConnection tx, String orderId, String key, Refund refund) {
    return tx.preparedQuery(OrdersSql.FOR_UPDATE).execute(Tuple.of(orderId)).compose(rows -> {
      Row o = rows.iterator().next();
      return tx.preparedQuery(OrdersSql.REFUND_SUCCEEDED).execute(Tuple.of(key, orderId, refund.getAmount(),
              refund.getId()))
          .compose(x -> RefundTotals.apply(tx, o, o.getLong("captured_cents"), 0, refund.getId(), refund.getId()))
          .compose(x -> tx.preparedQuery(OrdersSql.BY_ID).execute(Tuple.of(orderId)))
          .map(updated -> OrderJson.operator(updated.iterator().next()));
    });
  }
}
