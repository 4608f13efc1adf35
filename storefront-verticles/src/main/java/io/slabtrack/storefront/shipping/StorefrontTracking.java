package io.slabtrack.storefront.shipping;

import io.slabtrack.cluster.shipping.TrackingWebhook;
import io.slabtrack.storefront.orders.Deliveries;
import io.slabtrack.storefront.orders.ShopOrders;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;

/**
 * What the carrier's tracking does to a Storefront order: out for delivery (ledger event, buyer's mail; the order
 * stays shipped) and delivered (Deliveries' one shipped → delivered transition, at the carrier's time). Orders no
 * longer shipped (refunded, disputed…) are left as they are.
 */
final class StorefrontTracking implements TrackingWebhook.Sink {

  @Override
  public Future<Void> reached(SqlConnection tx, String orderId, String milestone, Instant at) {
    return switch (milestone) {
      case "out_for_delivery" -> ShopOrders.outForDelivery(tx, orderId);
      case "delivered" -> ShopOrders.lockedState(tx, orderId).compose(state -> "shipped".equals(state)
          ? Deliveries.deliverIn(tx, orderId, at) : Future.succeededFuture());
      default -> Future.succeededFuture();
    };
  }
}
