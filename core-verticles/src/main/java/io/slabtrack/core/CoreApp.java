package io.slabtrack.core;

import io.slabtrack.cluster.access.PublicRoutes;
import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.app.AppModule;
import io.slabtrack.cluster.auth.Role;
import io.slabtrack.cluster.bus.BusSenders;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.metrics.ClaimMetrics;
import io.slabtrack.core.api.OperatorApi;
import io.slabtrack.core.api.VendorAccess;
import io.slabtrack.core.bridge.BridgeRoutes;
import io.slabtrack.core.bridge.LockEventsVerticle;
import io.slabtrack.core.cards.CardReadVerticle;
import io.slabtrack.core.cards.CardRoutes;
import io.slabtrack.core.cards.Cards;
import io.slabtrack.core.cards.PriceAuditActions;
import io.slabtrack.core.channels.ChannelRoutes;
import io.slabtrack.core.channels.Disengagements;
import io.slabtrack.core.channels.Engagements;
import io.slabtrack.core.claims.ClaimDecider;
import io.slabtrack.core.claims.ClaimRoutes;
import io.slabtrack.core.claims.ClaimVerticle;
import io.slabtrack.core.claims.LiveLocks;
import io.slabtrack.core.demo.DemoSeed;
import io.slabtrack.core.imports.CardImport;
import io.slabtrack.core.imports.JobLiveness;
import io.slabtrack.core.imports.Jobs;
import io.slabtrack.core.ledger.LedgerVerticle;
import io.slabtrack.core.ledger.OrderLedger;
import io.slabtrack.core.login.CoreAuth;
import io.slabtrack.core.lots.LotRoutes;
import io.slabtrack.core.pages.SignInPages;
import io.slabtrack.core.reconcile.ReconcilerFeature;
import io.slabtrack.core.strategist.Portfolio;
import io.slabtrack.core.strategist.ProposalCommit;
import io.slabtrack.core.strategist.ProposalStore;
import io.slabtrack.core.strategist.StrategistRoutes;
import io.slabtrack.core.triage.Triage;
import io.slabtrack.core.triage.TriageRoutes;
import io.slabtrack.core.vendors.Ownership;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** The Core app's contribution to a node: its migrations (classpath:db/core), verticles and routes. */
public final class CoreApp implements AppModule {
  public static final long IMPORT_BODY_LIMIT = 20L * 1024 * 1024;

  private CoreAuth auth;
  private OperatorApi api;
  private CoreServices services;

  /** The feature objects of one app instance, built once its context exists. */
  private record CoreServices(LiveLocks locks, Cards cards, Engagements engagements, Disengagements disengagements,
                              ClaimDecider claims, OrderLedger ledger, CardImport imports,
                              ReconcilerFeature reconciler, Ownership ownership) {
  }

  /**
   * Everything core answers without a token (deny by default; the shared routes are in PublicRoutes.EVERY_APP):
   * the API document, the two steps of login, and the sign-in pages that take the same steps. The operator API, claims and handoff minting all need a token.
   */
  public static final PublicRoutes PUBLIC_ROUTES = PublicRoutes.of(
      "GET /openapi.json",
      "POST /api/auth/login/start",
      "POST /api/auth/login/verify")
      .plus(SignInPages.PUBLIC_ROUTES);

  @Override
  public PublicRoutes publicRoutes() {
    return PUBLIC_ROUTES;
  }

  @Override
  public AppName name() {
    return AppName.CORE;
  }

  @Override
  public Map<String, Long> bodyLimits() {
    return Map.of("/api/cards/import", IMPORT_BODY_LIMIT);
  }

  @Override
  public void configure(AppContext ctx) {
    auth = new CoreAuth(ctx);
    LiveLocks locks = new LiveLocks(ctx.saleLocks());
    Engagements engagements = new Engagements(ctx.pool(), locks);
    ClaimDecider claims = new ClaimDecider(locks, ClaimMetrics.of(ctx.vertx(), ctx.app()));
    services = new CoreServices(locks, new Cards(ctx.pool(), locks), engagements,
        new Disengagements(ctx.pool()), claims, new OrderLedger(ctx.pool(), busSenders(ctx)),
        new CardImport(ctx.pool(), new JobLiveness(ctx.vertx(), ctx.pool())),
        new ReconcilerFeature(ctx, claims, engagements), new Ownership(ctx.pool(), ctx.vertx()));
    ctx.saleLocks().onForceRelease((lock, operator) -> LockEventsVerticle.forceReleased(ctx.pool(), lock, operator));
  }

  @Override
  public Future<Void> deployVerticles(AppContext ctx) {
    return auth.deploy()
        .compose(v -> OperatorApi.load(ctx.vertx()))
        .compose(loaded -> {
          api = loaded;
          return Future.all(
              ctx.vertx().deployVerticle(new ClaimVerticle(ctx.pool(), services.claims(), busSenders(ctx))),
              ctx.vertx().deployVerticle(new LedgerVerticle(services.ledger())),
              ctx.vertx().deployVerticle(new LockEventsVerticle(ctx.pool())),
              ctx.vertx().deployVerticle(new CardReadVerticle(ctx.pool())),
              services.reconciler().deploySchedule());
        }).mapEmpty();
  }

  /** Core's check of who sent a bus message (the sender's service token, aud = core). */
  private static BusSenders busSenders(AppContext ctx) {
    return new BusSenders(ctx.tokens(), AppName.CORE);
  }

  @Override
  public void mountRoutes(Router router, AppContext ctx) {
    auth.mount(router);
    ClaimRoutes claims = new ClaimRoutes(ctx.pool(), services.claims());
    claims.mount(router, ctx.auth().service());
    claims.mountComplete(router, ctx.auth().serviceOrSession(Role.OPERATOR), ctx.saleLocks());
    // any valid session, then the role gate: operators everything, vendors their opened routes, others nothing
    api.mount(ctx.vertx(), router, List.of(ctx.auth().session(), VendorAccess.gate()), List.of(
        new CardRoutes(services.cards(), new PriceAuditActions(ctx.pool()), services.ownership()),
        new ChannelRoutes(services.engagements(), services.disengagements(), services.cards(), services.ownership()),
        new Jobs(ctx.pool(), services.imports()),
        new BridgeRoutes(ctx.pool(), services.locks()),
        services.ledger(),
        services.reconciler().routes(),
        strategist(ctx, services.engagements()),
        lots(ctx, services.engagements()),
        new TriageRoutes(new Triage(ctx.pool(), services.engagements(), Clock.systemUTC()))));
  }

  private static StrategistRoutes strategist(AppContext ctx, Engagements engagements) {
    ProposalStore store = new ProposalStore(ctx.pool(), StrategistRoutes.TOOL);
    return new StrategistRoutes(new Portfolio(ctx.pool()), store, new ProposalCommit(engagements, store),
        Clock.systemUTC());
  }

  private static LotRoutes lots(AppContext ctx, Engagements engagements) {
    ProposalStore store = new ProposalStore(ctx.pool(), LotRoutes.TOOL);
    return new LotRoutes(new Portfolio(ctx.pool()), store, new ProposalCommit(engagements, store), Clock.systemUTC());
  }

  @Override
  public Future<Void> seedDemo(AppContext ctx) {
    return auth.seedDemo().compose(v -> new DemoSeed(ctx.pool(), services.engagements()).seed(CoreAuth.DEMO_OPERATOR));
  }
}
