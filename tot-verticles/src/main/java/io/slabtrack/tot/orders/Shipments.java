package io.slabtrack.tot.orders;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.tot.settle.OrderLedgerEvents;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/**
 * A ToT order's shipping transitions, in the caller's transaction: paid → shipped (by hand or with a bought label;
 * core's ledger hears {@code shipped}) and, when an unused label is refunded, shipped → paid.
 */
public final class Shipments {
  private static final String UNSHIP = """
      UPDATE orders SET status = 'paid', carrier = NULL, tracking_number = NULL, shipped_at = NULL, updated_at = now()
      WHERE id = $1 AND status = 'shipped' RETURNING *""";

  private Shipments() {
  }

  /** The order as operators see it after shipping; the same click again answers the same; 409/404 otherwise. */
  public static Future<JsonObject> markShipped(SqlConnection tx, String id, String carrier, String tracking) {
    return tx.preparedQuery(OrdersSql.SHIPPED).execute(Tuple.of(id, carrier, tracking)).compose(rows -> {
      if (rows.rowCount() == 0) {
        return tx.preparedQuery(OrdersSql.BY_ID).execute(Tuple.of(id)).map(found -> {
          if (found.rowCount() == 0) {
            throw ApiErrors.notFound("Order");
          }
          Row o = found.iterator().next();
          if (o.getString("status").equals("shipped") && tracking.equals(o.getString("tracking_number"))) {
            return OrderJson.operator(o); // the same click again
          }
          throw ApiErrors.conflict("order_not_shippable", "Only a paid order can be shipped; this one is "
              + o.getString("status"));
        });
      }
      Row o = rows.iterator().next();
      return OrderLedgerEvents.send(tx, id, "shipped", o.getLong("amount"), null, null,
          List.of(o.getArrayOfLongs("card_ids")), null).map(x -> OrderJson.operator(o));
    });
  }

  /** shipped → paid (its label refunded, the parcel never left); core's ledger hears {@code paid}. */
  public static Future<Void> unship(SqlConnection tx, String id) {
    return tx.preparedQuery(UNSHIP).execute(Tuple.of(id)).compose(rows -> {
      if (rows.rowCount() == 0) {
        return Future.succeededFuture();
      }
      Row o = rows.iterator().next();
      return OrderLedgerEvents.send(tx, id, "paid", o.getLong("amount"), o.getLong("captured_cents"), null,
          List.of(o.getArrayOfLongs("card_ids")), null);
    });
  }
}
