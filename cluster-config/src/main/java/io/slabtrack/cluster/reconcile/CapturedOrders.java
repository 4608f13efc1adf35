package io.slabtrack.cluster.reconcile;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What an app recorded as captured for its PaymentIntents. Each app supplies its own lookup (its tables are its own),
 * so the reconcile mechanism here knows no app's schema.
 */
@FunctionalInterface
public interface CapturedOrders {

  /** The order an app keeps for a PaymentIntent and the amount it recorded as captured. */
  record Captured(String orderRef, long capturedCents) {
  }

  /** @return the app's record per PaymentIntent id; an id without an order is absent */
  Future<Map<String, Captured>> byPaymentIntent(List<String> paymentIntentIds);

  /**
   * A lookup by one SQL query: {@code $1} is the PaymentIntent ids (text[]), each row answers
   * (payment_intent_id, order ref, captured cents) in that order.
   */
  static CapturedOrders query(Pool pool, String sql) {
    return ids -> pool.preparedQuery(sql).execute(Tuple.of((Object) ids.toArray(new String[0]))).map(rows -> {
      Map<String, Captured> byIntent = new HashMap<>();
      for (Row r : rows) {
        byIntent.put(r.getString(0), new Captured(r.getString(1), r.getLong(2)));
      }
      return byIntent;
    });
  }
}
