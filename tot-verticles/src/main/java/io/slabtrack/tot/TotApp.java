package io.slabtrack.tot;

import io.slabtrack.cluster.shipping.LabelPurchase;
import io.slabtrack.cluster.shipping.ShippoClient;
import io.slabtrack.cluster.shipping.ShippoSettings;
import io.slabtrack.cluster.access.PublicRoutes;
import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.app.AppModule;
import io.slabtrack.cluster.auth.handoff.HandoffLanding;
import io.slabtrack.cluster.bridge.BrowserBridge;
import io.slabtrack.cluster.bus.Addresses.ReconcileSnapshot;
import io.slabtrack.cluster.reconcile.SatelliteSnapshots;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.metrics.PurchaseMetrics;
import io.slabtrack.cluster.metrics.StripeMetrics;
import io.slabtrack.cluster.config.RunMode;
import io.slabtrack.cluster.config.Settings;
import io.slabtrack.cluster.stripe.StripeGateway;
import io.slabtrack.cluster.stripe.StripeSettings;
import io.slabtrack.cluster.stripe.StripeWebhookVerifier;
import io.slabtrack.cluster.salelock.ClaimCompletion;
import io.slabtrack.cluster.auth.Role;
import io.slabtrack.tot.orders.OrdersRoutes;
import io.slabtrack.tot.pages.TotPages;
import io.slabtrack.tot.shipping.TotLabelRoutes;
import io.slabtrack.tot.shipping.TotShippingMails;
import io.slabtrack.cluster.mail.MailSettings;
import io.slabtrack.cluster.mail.Mailer;
import io.slabtrack.tot.settle.LockExpiryVerticle;
import io.slabtrack.tot.settle.PlayCancel;
import io.slabtrack.tot.settle.Receipts;
import io.slabtrack.tot.settle.Settlement;
import io.slabtrack.tot.settle.StripeWebhookRoutes;
import io.slabtrack.tot.fairness.SeedVault;
import io.slabtrack.tot.listings.Ingest;
import io.slabtrack.tot.listings.IngestVerticle;
import io.slabtrack.tot.listings.ListingsRoutes;
import io.slabtrack.tot.listings.ListingsQuery;
import io.slabtrack.cluster.browse.BrowseCache;
import io.slabtrack.tot.listings.SpreadPolicy;
import io.slabtrack.tot.plays.PlayCommit;
import io.slabtrack.tot.plays.PlayLimits;
import io.slabtrack.tot.plays.PlaysRoutes;
import io.slabtrack.tot.plays.SeedAnchor;
import io.slabtrack.tot.reconcile.CheckoutsSnapshot;
import io.slabtrack.tot.reconcile.ListingsSnapshot;
import io.slabtrack.tot.reconcile.OrdersSnapshot;
import io.slabtrack.tot.reconcile.StripeCheck;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import java.util.List;

/** The Tot app's contribution to a node: its migrations (classpath:db/tot), verticles and routes. */
public final class TotApp implements AppModule {
  private SpreadPolicy spreads;
  private SeedVault vault;
  private StripeGateway stripe;
  /** This node's cache of buyer browse answers (API and pages), exact per request. */
  private BrowseCache browse;
  private StripeSettings stripeSettings;
  private Settlement settlement;
  private Receipts receipts;
  private StripeWebhookRoutes webhook;
  private SatelliteSnapshots snapshots;
  /** One play committer for the API and the web pages (the same rules, locks, keys and payment modes). */
  private PlayCommit plays;
  private TotShippingMails shippingMails;

  /**
   * Everything ToT answers without a token (deny by default; the shared routes are in PublicRoutes.EVERY_APP):
   * buyers browse listings, create and follow plays and read their order by its unguessable id; Stripe posts its
   * signed webhook and Shippo its tracking events (token in the URL); core's handoff lands with its one-time token;
   * the buyer's web pages ({@link TotPages}). Admin, ingest and snapshot routes all need a token.
   */
  public static final PublicRoutes PUBLIC_ROUTES = PublicRoutes.of(
      "GET /auth/handoff",
      "GET /openapi.json",
      "GET /api/listings",
      "GET /api/listings/:id",
      "POST /api/play/flip",
      "POST /api/play/pull",
      "GET /api/play/:id",
      "POST /api/play/:id/client-seed",
      "POST /api/play/:id/cancel",
      "GET /api/orders/:id",
      "POST /api/stripe/webhook",
      "POST /api/shipping/webhook")
      .plus(TotPages.PUBLIC_ROUTES)
      .plus(BrowserBridge.PUBLIC_ROUTES);

  @Override
  public PublicRoutes publicRoutes() {
    return PUBLIC_ROUTES;
  }

  @Override
  public String openApiDocument() {
    return "openapi/tot.json";
  }

  @Override
  public AppName name() {
    return AppName.TOT;
  }

  @Override
  public void checkSettings(Settings settings, RunMode mode) {
    SeedVault.requireKey(settings, mode);
  }

  @Override
  public void configure(AppContext ctx) {
    spreads = SpreadPolicy.fromSettings(ctx.config().settings());
    vault = SeedVault.fromSettings(ctx.config().settings(), ctx.config().mode());
    stripeSettings = StripeSettings.load(ctx.config().settings(), ctx.config().mode());
    stripe = new StripeGateway(ctx.vertx(), stripeSettings, AppName.TOT);
    Mailer mailer = Mailer.create(ctx.vertx(), MailSettings.from(ctx.config().settings()), ctx.config().mode(),
        "tot receipts");
    String publicUrl = ctx.config().settings().string("TOT_PUBLIC_URL",
        "http://localhost:" + ctx.config().httpPort(AppName.TOT));
    receipts = new Receipts(mailer, publicUrl);
    settlement = new Settlement(ctx.pool(), ctx.saleLocks(), stripe, vault, receipts,
        PurchaseMetrics.of(ctx.vertx(), AppName.TOT));
    plays = new PlayCommit(ctx.vertx(), ctx.pool(), ctx.saleLocks(), stripe, vault, new SeedAnchor.Local(), spreads,
        publicUrl);
    shippingMails = new TotShippingMails(mailer, publicUrl);
    ClaimCompletion.register(ctx.replyHandlers(), ctx.saleLocks(), settlement.claimAnswers());
    // one webhook processor for Stripe's deliveries and the reconciler's heal of lost ones
    webhook = new StripeWebhookRoutes(ctx.pool(), new StripeWebhookVerifier("tot", stripeSettings.totWebhookSecret())
        .countedBy(StripeMetrics.of(ctx.vertx(), AppName.TOT)),
        settlement, ctx.saleLocks(), stripe);
    snapshots = new SatelliteSnapshots(AppName.TOT)
        .serve(ReconcileSnapshot.LISTINGS, new ListingsSnapshot(ctx.pool()))
        .serve(ReconcileSnapshot.ORDERS, new OrdersSnapshot(ctx.pool()))
        .serve(ReconcileSnapshot.CHECKOUTS, new CheckoutsSnapshot(ctx.pool()))
        .serve(ReconcileSnapshot.STRIPE, new StripeCheck(stripe, ctx.pool(), webhook));
    browse = BrowseCache.fromSettings(ctx.pool(), ctx.config().settings());
  }

  @Override
  public Future<Void> deployVerticles(AppContext ctx) {
    return Future.all(List.of(ctx.vertx().deployVerticle(new IngestVerticle(ctx.pool(), new Ingest(spreads))),
        ctx.vertx().deployVerticle(new LockExpiryVerticle(ctx.pool(), settlement)),
        ctx.vertx().deployVerticle(LockExpiryVerticle.strandedPlays(ctx.pool(), ctx.saleLocks())),
        ctx.vertx().deployVerticle(PlayLimits.settler(ctx)),
        snapshots.deploy(ctx.vertx()), shippingMails.consume(ctx.vertx(), ctx.pool()),
        receipts.consume(ctx.vertx(), ctx.pool()))).mapEmpty();
  }

  @Override
  public void mountRoutes(Router router, AppContext ctx) {
    HandoffLanding.mount(router, ctx);
    ListingsQuery listings = new ListingsQuery(ctx.pool(), browse);
    new ListingsRoutes(ctx.vertx(), ctx.pool(), spreads, listings).mount(router, ctx.auth().service(),
        ctx.auth().session(Role.OPERATOR));
    new PlaysRoutes(ctx.pool(), plays, vault, PlayLimits.of(ctx)).mount(router);
    PlayCancel cancel = new PlayCancel(ctx.pool(), settlement, ctx.saleLocks());
    TotPages.mount(router, ctx.pool(), listings, vault, spreads, stripeSettings, plays, cancel, PlayLimits.of(ctx));
    webhook.mount(router);
    cancel.mount(router);
    new OrdersRoutes(ctx.pool(), stripe, spreads).mount(router, ctx.auth().session(Role.OPERATOR));
    new TotLabelRoutes(ctx.vertx(), ctx.pool(), new LabelPurchase(new ShippoClient(ctx.vertx(),
        ShippoSettings.load(ctx.config().settings(), ctx.config().mode()))))
        .mount(router, ctx.auth().session(Role.OPERATOR));
    snapshots.mount(router, ctx.auth().session(Role.OPERATOR));
    BrowserBridge.mount(router, ctx.vertx());
  }
}
