package io.slabtrack.core.reconcile;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.bus.Addresses.ReconcileSnapshot;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.reconcile.SnapshotRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a satellite's snapshots over the bus, page after page (EVENT-BUS.md, "Reconciler snapshots"), so no message
 * is ever large. Any failure (no node of the app, a timeout, an error reply) fails the whole read: a channel is
 * compared on complete data or not at all.
 */
final class SatelliteReader {
  static final int PAGE = SnapshotRequest.MAX_LIMIT;
  private final Vertx vertx;
  private final DeliveryOptions pageOptions;
  private final DeliveryOptions stripeOptions;

  SatelliteReader(Vertx vertx, long pageTimeoutMs, long stripeTimeoutMs) {
    this.vertx = vertx;
    this.pageOptions = new DeliveryOptions().setSendTimeout(pageTimeoutMs);
    this.stripeOptions = new DeliveryOptions().setSendTimeout(stripeTimeoutMs);
  }

  /** Every entry of a snapshot; {@code onPage} hears each page's size (run progress). */
  Future<List<JsonObject>> all(AppName app, ReconcileSnapshot snapshot, java.util.function.IntConsumer onPage) {
    List<JsonObject> items = new ArrayList<>();
    return page(Addresses.reconcile(app, snapshot), null, items, onPage).map(items);
  }

  private Future<Void> page(String address, String after, List<JsonObject> into,
                            java.util.function.IntConsumer onPage) {
    JsonObject request = new JsonObject().put("limit", PAGE).put("after", after);
    return vertx.eventBus().<JsonObject>request(address, request, pageOptions).map(Message::body).compose(reply -> {
      JsonArray items = reply.getJsonArray("items", new JsonArray());
      for (int i = 0; i < items.size(); i++) {
        into.add(items.getJsonObject(i));
      }
      onPage.accept(items.size());
      String next = reply.getValue("next") == null ? null : reply.getValue("next").toString();
      if (next == null || items.isEmpty()) {
        return Future.succeededFuture();
      }
      if (next.equals(after)) {
        return Future.failedFuture(new IllegalStateException(address + " returned the same cursor twice: " + next));
      }
      return page(address, next, into, onPage);
    });
  }

  /** The satellite's lost-webhook check; in heal mode it settles what it finds. */
  Future<JsonObject> stripe(AppName app, boolean heal, int graceSeconds) {
    return vertx.eventBus().<JsonObject>request(Addresses.reconcile(app, ReconcileSnapshot.STRIPE),
        new JsonObject().put("mode", heal ? "heal" : "report").put("graceSeconds", graceSeconds), stripeOptions)
        .map(Message::body);
  }
}
