package io.slabtrack.tot.shipping;

import io.slabtrack.cluster.shipping.TrackingWebhook;
import io.slabtrack.tot.orders.Shipments;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;

/** What the carrier's tracking does to a ToT order: out for delivery, then delivered (Shipments' transitions). */
final class TotTracking implements TrackingWebhook.Sink {

  @Override
  public Future<Void> reached(SqlConnection tx, String orderId, String milestone, Instant at) {
    return switch (milestone) {
      case "out_for_delivery" -> Shipments.outForDelivery(tx, orderId);
      case "delivered" -> Shipments.deliver(tx, orderId, at);
      default -> Future.succeededFuture();
    };
  }
}
