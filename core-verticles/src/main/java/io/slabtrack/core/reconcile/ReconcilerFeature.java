package io.slabtrack.core.reconcile;

import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.core.channels.Engagements;
import io.slabtrack.core.claims.ClaimDecider;
import io.vertx.core.Future;

/** The reconciler's pieces for one core node: the runner, its operator routes and its schedule. */
public final class ReconcilerFeature {
  /** How long one snapshot page may take, and the whole Stripe check (it pages through Stripe's API). */
  static final long PAGE_TIMEOUT_MS = 15_000;
  static final long STRIPE_TIMEOUT_MS = 120_000;

  private final AppContext ctx;
  private final Reconciler reconciler;
  private final RunStore runs;

  public ReconcilerFeature(AppContext ctx, ClaimDecider claims, Engagements engagements) {
    this.ctx = ctx;
    this.runs = new RunStore(ctx.pool());
    this.reconciler = new Reconciler(ctx.vertx(), ctx.pool(), ctx.saleLocks(),
        new SatelliteReader(ctx.vertx(), PAGE_TIMEOUT_MS, STRIPE_TIMEOUT_MS),
        new Healer(ctx.pool(), ctx.saleLocks(), claims, engagements), runs);
  }

  public Reconciler reconciler() {
    return reconciler;
  }

  public ReconcilerRoutes routes() {
    return new ReconcilerRoutes(reconciler, runs);
  }

  public Future<String> deploySchedule() {
    return ctx.vertx().deployVerticle(ReconcileSchedule.fromSettings(reconciler, ctx.pool(),
        ctx.config().settings()));
  }
}
