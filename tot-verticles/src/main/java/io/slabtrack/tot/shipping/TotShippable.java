package io.slabtrack.tot.shipping;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.shipping.ShippableOrders;
import io.slabtrack.tot.orders.Shipments;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/** ToT orders for shipping: always from the global ship-from (SHIP_FROM_*), through Shipments' one transition. */
final class TotShippable implements ShippableOrders {
  private static final String READ = "SELECT id, status, shipping_address, amount, card_ids FROM orders WHERE id = $1";
  private final Pool pool;

  TotShippable(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<ShippableOrders.Order> read(String orderId) {
    return pool.preparedQuery(READ).execute(Tuple.of(orderId)).map(rows -> {
      if (rows.rowCount() == 0) {
        throw ApiErrors.notFound("Order");
      }
      Row r = rows.iterator().next();
      return new ShippableOrders.Order(r.getString("id"), r.getString("status"),
          (JsonObject) r.getValue("shipping_address"), r.getLong("amount"), r.getArrayOfLongs("card_ids").length, null);
    });
  }

  @Override
  public Future<Void> markShipped(SqlConnection tx, String orderId, JsonObject shipment) {
    return Shipments.markShipped(tx, orderId, shipment.getString("carrier"), shipment.getString("trackingNumber"),
        shipment.getString("trackingUrl")).mapEmpty();
  }

  @Override
  public Future<Void> unship(SqlConnection tx, String orderId) {
    return Shipments.unship(tx, orderId);
  }

  @Override
  public String metadata(String orderId) {
    return "thisorthat:" + orderId;
  }
}
