package io.slabtrack.cluster.shipping;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * What an app tells {@link OrderLabels} about its orders: how to read one for shipping and its own (single) paid →
 * shipped transition, and the way back when an unused label is refunded. Both run in the caller's transaction.
 */
public interface ShippableOrders {

  /** An order as shipping needs it. {@code shipFrom}: the shop's own address, or null for the global one. */
  record Order(String id, String state, JsonObject shipTo, long amountCents, int slabs, JsonObject shipFrom) {
  }

  /** The order now (a fresh read); null when it does not exist. */
  Future<Order> read(String orderId);

  /** paid → shipped with {@code shipment} (carrier, service, trackingNumber, trackingUrl…); 409 from other states. */
  Future<Void> markShipped(SqlConnection tx, String orderId, JsonObject shipment);

  /** shipped → paid after the label was refunded; other states: nothing. */
  Future<Void> unship(SqlConnection tx, String orderId);

  /** The app's word for a paid order that may get a label. */
  default boolean shippable(String state) {
    return "paid".equals(state);
  }

  /** What goes into Shippo's metadata, e.g. {@code storefront:<id>}. */
  String metadata(String orderId);
}
