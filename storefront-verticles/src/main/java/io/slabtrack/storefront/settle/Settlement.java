package io.slabtrack.storefront.settle;

import io.slabtrack.storefront.orders.Order;
import io.slabtrack.storefront.orders.OrderSql;
import io.slabtrack.cluster.metrics.PurchaseMetrics;
import io.slabtrack.cluster.salelock.ClaimCompletion;
import io.slabtrack.cluster.salelock.SaleClaim;
import io.slabtrack.cluster.salelock.SaleLocks;
import io.slabtrack.cluster.settlement.SaleTerms;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order's state machine driven by Stripe's events (any order, any number of times): each method re-reads the
 * order under a row lock and acts only when the transition is legal from the current state.
 */
public final class Settlement {
  private static final Logger LOG = LoggerFactory.getLogger(Settlement.class);

  private final SaleLocks locks;
  private final ClaimCompletion claims;
  private final PurchaseMetrics metrics;

  public Settlement(SaleLocks locks, PurchaseMetrics metrics) {
    this.locks = locks;
    this.metrics = metrics;
    this.claims = new ClaimCompletion(locks);
  }

  /** The PaymentIntent reached requires_capture: claim the cards from core (answer arrives in ClaimAnswers). */
  Future<Void> authorized(SqlConnection tx, Order order, String paymentIntentId) {
    if (!"pending".equals(order.state())) {
      return Future.succeededFuture(); // already claimed (the other event of the pair), or settled
    }
    SaleClaim claim = new SaleClaim(order.claimId(), "storefront", order.id(), order.lockRef(), order.cardIds(),
        order.amountCents(), Instant.now().plus(SaleTerms.AUTH_VALIDITY));
    LOG.info("order {} authorized ({}): claiming cards {}", order.id(), paymentIntentId, order.cardIds());
    return tx.preparedQuery(OrderSql.AUTHORIZED).execute(Tuple.of(order.id(), paymentIntentId))
        .compose(x -> claims.complete(tx, claim));
  }

  /** Final failures (session expired, intent canceled, ours): cancel the order; locks released after commit. */
  public Future<Boolean> cancel(SqlConnection tx, Order order, String reason) {
    if (!"pending".equals(order.state()) && !"awaiting_confirmation".equals(order.state())) {
      return Future.succeededFuture(false);
    }
    LOG.info("order {} cancelled: {}", order.id(), reason);
    return tx.preparedQuery(OrderSql.CANCEL).execute(Tuple.of(order.id(), reason))
        .compose(x -> Ledger.record(tx, order, "cancelled", null))
        .onSuccess(x -> metrics.settled(PurchaseMetrics.CHECKOUT, reason))
        .map(true);
  }

  public Future<Void> releaseLocks(Order order) {
    return locks.release(order.lockRef(), order.cardIds()).<Void>mapEmpty()
        .recover(e -> {
          LOG.warn("order {}: locks {} not released ({}); they expire on their own", order.id(), order.lockRef(),
              e.toString());
          return Future.succeededFuture();
        });
  }

  Future<Void> paymentFailed(SqlConnection tx, Order order, JsonObject intent) {
    JsonObject err = intent.getJsonObject("last_payment_error");
    String message = err == null ? "payment failed" : err.getString("code", err.getString("message", "payment failed"));
    return tx.preparedQuery(OrderSql.PAYMENT_FAILED).execute(Tuple.of(order.id(), message)).mapEmpty();
  }

  /**
   * A refund we know by id (our refund call's answer, or {@code refund.created}): recorded once; the order's
   * refunded total is the larger of the recorded refunds' sum and what the charge last said.
   */
  public Future<Void> refund(SqlConnection tx, Order order, String refundId, long amount) {
    return tx.preparedQuery(OrderSql.INSERT_REFUND).execute(Tuple.of(refundId, order.id(), amount)).compose(ins -> {
      if (ins.rowCount() == 0) {
        return Future.succeededFuture();
      }
      return tx.preparedQuery(OrderSql.REFUND_SUM).execute(Tuple.of(order.id()))
          .compose(rows -> refundedTotal(tx, order, Math.max(rows.iterator().next().getLong(0), order.refundedCents()),
              order.capturedCents()));
    });
  }

  /** {@code charge.refunded}: full (amount_refunded == amount_captured) → refunded; partial is recorded. */
  public Future<Void> refunded(SqlConnection tx, Order order, JsonObject charge) {
    long refunded = charge.getLong("amount_refunded", 0L);
    long captured = charge.getLong("amount_captured", order.capturedCents());
    if (refunded <= order.refundedCents()) {
      return Future.succeededFuture();
    }
    return refundedTotal(tx, order, refunded, captured);
  }

  private Future<Void> refundedTotal(SqlConnection tx, Order order, long total, long captured) {
    if (total <= order.refundedCents()) {
      return Future.succeededFuture();
    }
    boolean full = captured > 0 && total >= captured;
    String state = full && (order.paidState() || "disputed".equals(order.state())) ? "refunded" : order.state();
    LOG.info("order {}: refunded {} of {} cents", order.id(), total, captured);
    return tx.preparedQuery(OrderSql.REFUNDED).execute(Tuple.of(order.id(), total, state))
        .compose(x -> Ledger.record(tx, order, full ? "refunded" : "partially_refunded",
            new JsonObject().put("refundedCents", total).put("capturedCents", captured)));
  }

  Future<Void> disputeOpened(SqlConnection tx, Order order, JsonObject dispute) {
    if (!order.paidState() && !"refunded".equals(order.state()) && !"disputed".equals(order.state())) {
      return Future.succeededFuture();
    }
    JsonObject details = dispute.getJsonObject("evidence_details", new JsonObject());
    long created = dispute.getLong("created", Instant.now().getEpochSecond());
    long due = details.getLong("due_by", created + Duration.ofDays(7).toSeconds());
    JsonObject d = new JsonObject().put("id", dispute.getString("id")).put("amountCents", dispute.getLong("amount"))
        .put("reason", dispute.getString("reason")).put("status", dispute.getString("status"))
        .put("dueBy", Instant.ofEpochSecond(due).toString()).put("previousState", order.state());
    return tx.preparedQuery(OrderSql.DISPUTE).execute(Tuple.of(order.id(), d, "disputed"))
        .compose(x -> Ledger.record(tx, order, "disputed", null));
  }

  Future<Void> disputeClosed(SqlConnection tx, Order order, JsonObject dispute) {
    JsonObject d = (order.dispute() == null ? new JsonObject().put("id", dispute.getString("id")) : order.dispute().copy())
        .put("status", dispute.getString("status")).put("closedAt", Instant.now().toString());
    String outcome = "won".equals(dispute.getString("status")) ? "dispute_won" : "dispute_lost";
    return tx.preparedQuery(OrderSql.DISPUTE).execute(Tuple.of(order.id(), d, order.state()))
        .compose(x -> Ledger.record(tx, order, outcome, null));
  }

  public static List<String> cardSoldStates() {
    return List.of("paid", "shipped", "delivered", "refunded", "disputed");
  }
}
