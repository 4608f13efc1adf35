package io.slabtrack.tot;

import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.app.AppModule;
import io.slabtrack.cluster.auth.handoff.HandoffLanding;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.stripe.StripeGateway;
import io.slabtrack.cluster.stripe.StripeSettings;
import io.slabtrack.tot.fairness.SeedVault;
import io.slabtrack.tot.listings.Ingest;
import io.slabtrack.tot.listings.IngestVerticle;
import io.slabtrack.tot.listings.ListingsRoutes;
import io.slabtrack.tot.listings.SpreadPolicy;
import io.slabtrack.tot.plays.PlayCommit;
import io.slabtrack.tot.plays.PlaysRoutes;
import io.slabtrack.tot.plays.SeedAnchor;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;

/** The Tot app's contribution to a node: its migrations (classpath:db/tot), verticles and routes. */
public final class TotApp implements AppModule {
  private SpreadPolicy spreads;
  private SeedVault vault;
  private StripeGateway stripe;

  @Override
  public AppName name() {
    return AppName.TOT;
  }

  @Override
  public void configure(AppContext ctx) {
    spreads = SpreadPolicy.fromSettings(ctx.config().settings());
    vault = SeedVault.fromSettings(ctx.config().settings());
    stripe = new StripeGateway(ctx.vertx(), StripeSettings.load(ctx.config().settings(), ctx.config().mode()),
        AppName.TOT);
  }

  @Override
  public Future<Void> deployVerticles(AppContext ctx) {
    return ctx.vertx().deployVerticle(new IngestVerticle(ctx.pool(), new Ingest(spreads))).mapEmpty();
  }

  @Override
  public void mountRoutes(Router router, AppContext ctx) {
    HandoffLanding.mount(router, ctx);
    new ListingsRoutes(ctx.vertx(), ctx.pool()).mount(router, ctx.auth().service());
    new PlaysRoutes(ctx.pool(), new PlayCommit(ctx.pool(), ctx.saleLocks(), stripe, vault, new SeedAnchor.Local(),
        spreads), vault).mount(router);
  }
}
