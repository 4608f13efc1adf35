package io.slabtrack.tot.orders;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.tot.settle.OrderLedgerEvents;
import io.slabtrack.tot.shipping.TotShippingMails;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A ToT order's shipping transitions, in the caller's transaction: paid → shipped (by hand or with a bought label;
 * core's ledger hears {@code shipped}, the buyer gets the mail), out for delivery and delivered (tracking) and, when an unused label is refunded, shipped → paid.
 */
public final class Shipments {
  private static final String UNSHIP = """
      UPDATE orders SET status = 'paid', carrier = NULL, tracking_number = NULL, shipped_at = NULL, updated_at = now()
      WHERE id = $1 AND status = 'shipped' RETURNING *""";

  private static final String LOCK = "SELECT * FROM orders WHERE id = $1 FOR UPDATE";
  private static final String DELIVER = """
      UPDATE orders SET status = 'delivered', delivered_at = $2, updated_at = now()
      WHERE id = $1 AND status = 'shipped' RETURNING *""";

  private Shipments() {
  }

  /** The order as operators see it after shipping; the same click again answers the same; 409/404 otherwise. */
  public static Future<JsonObject> markShipped(SqlConnection tx, String id, String carrier, String tracking,
                                              String trackingUrl) {
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
              List.of(o.getArrayOfLongs("card_ids")), null)
          .compose(x -> TotShippingMails.enqueue(tx, o, "shipped", trackingUrl))
          .map(x -> OrderJson.operator(o));
    });
  }

  /** The carrier has it out for delivery: the order stays shipped; ledger event and buyer's mail. */
  public static Future<Void> outForDelivery(SqlConnection tx, String id) {
    return tx.preparedQuery(LOCK).execute(Tuple.of(id)).compose(rows -> {
      if (rows.rowCount() == 0 || !"shipped".equals(rows.iterator().next().getString("status"))) {
        return Future.succeededFuture();
      }
      Row o = rows.iterator().next();
      return OrderLedgerEvents.send(tx, id, "out_for_delivery", o.getLong("amount"), null, null,
          List.of(o.getArrayOfLongs("card_ids")), null).compose(x -> TotShippingMails.enqueue(tx, o,
          "out_for_delivery", null));
    });
  }

  /** shipped → delivered at the carrier's time; ledger event with {@code deliveredAt} and the buyer's mail. */
  public static Future<Void> deliver(SqlConnection tx, String id, Instant at) {
    return tx.preparedQuery(DELIVER).execute(Tuple.of(id, at.atOffset(ZoneOffset.UTC))).compose(rows -> {
      if (rows.rowCount() == 0) {
        return Future.succeededFuture(); // not shipped (refunded, already delivered…): left as it is
      }
      Row o = rows.iterator().next();
      return OrderLedgerEvents.send(tx, id, "delivered", o.getLong("amount"), null, null,
              List.of(o.getArrayOfLongs("card_ids")), null, new JsonObject().put("deliveredAt", at.toString()))
          .compose(x -> TotShippingMails.enqueue(tx, o, "delivered", null));
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
