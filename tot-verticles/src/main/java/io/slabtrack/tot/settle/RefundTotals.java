package io.slabtrack.tot.settle;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/**
 * An order's refunded total, one rule for the operator's refunds (Stripe's answer) and Stripe's
 * {@code charge.refunded}: the larger of the refunds recorded by id ({@code order_refunds}) and the charge's
 * cumulative {@code amount_refunded}, and never lower than before. A refund learned both ways therefore counts once,
 * in whichever order the two arrive; the state and core's ledger move only when the total does.
 */
public final class RefundTotals {
  private RefundTotals() {
  }

  /**
   * @param order          the order's row, locked {@code FOR UPDATE} by the caller's transaction
   * @param captured       what was captured (the order's, or the charge's {@code amount_captured})
   * @param chargeRefunded the charge's {@code amount_refunded}, 0 when the caller only recorded a refund row
   * @param refundId       the refund just recorded (shown as the order's latest), or null
   * @param stripeId       the Stripe object the ledger event names
   * @return true if the total grew
   */
  public static Future<Boolean> apply(SqlConnection tx, Row order, long captured, long chargeRefunded,
                                      String refundId, String stripeId) {
    String id = order.getString("id");
    return tx.preparedQuery(SettleSql.REFUNDS_SUCCEEDED).execute(Tuple.of(id)).compose(rows -> {
      long total = Math.max(rows.iterator().next().getLong(0), chargeRefunded);
      if (total <= order.getLong("refunded_cents")) {
        // the charge.refunded webhook may have counted this refund already: the operator's refund (chargeRefunded 0)
        // still becomes the order's latest; a late webhook's older snapshot never replaces it
        return refundId == null || chargeRefunded > 0 ? Future.succeededFuture(false)
            : tx.preparedQuery(SettleSql.LATEST_REFUND).execute(Tuple.of(id, refundId)).map(false);
      }
      String state = total >= captured ? "refunded" : "partially_refunded";
      return tx.preparedQuery(SettleSql.ORDER_REFUNDED).execute(Tuple.of(id, state, total, refundId))
          .compose(x -> OrderLedgerEvents.send(tx, id, state, order.getLong("amount"), captured, total,
              List.of(order.getArrayOfLongs("card_ids")), stripeId))
          .map(true);
    });
  }
}
