package io.slabtrack.storefront.reconcile;

import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.bus.Addresses.ReconcileSnapshot;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.reconcile.SatelliteSnapshots;
import io.slabtrack.storefront.orders.Orders;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * What the Storefront tells core's reconciler (EVENT-BUS.md, "Reconciler snapshots"): the four snapshots, served on
 * the bus by this verticle (so its consumers go when the app stops) and on HTTP for operators by {@link #snapshots()}.
 */
public final class StorefrontSnapshots extends VerticleBase {
  private final SatelliteSnapshots snapshots;

  public StorefrontSnapshots(AppContext ctx, Orders orders) {
    this.snapshots = new SatelliteSnapshots(AppName.STOREFRONT)
        .serve(ReconcileSnapshot.LISTINGS, new ListingsSnapshot(ctx.pool()))
        .serve(ReconcileSnapshot.ORDERS, new OrdersSnapshot(ctx.pool()))
        .serve(ReconcileSnapshot.CHECKOUTS, new CheckoutsSnapshot(ctx.pool()))
        .serve(ReconcileSnapshot.STRIPE, new LostWebhooksSnapshot(orders.stripe().gateway(), ctx.pool(),
            orders.webhook()));
  }

  /** For {@code mount(router, operatorAuth)}: the same functions on {@code /api/reconcile/…}. */
  public SatelliteSnapshots snapshots() {
    return snapshots;
  }

  @Override
  public Future<?> start() {
    return snapshots.deploy(vertx);
  }
}
