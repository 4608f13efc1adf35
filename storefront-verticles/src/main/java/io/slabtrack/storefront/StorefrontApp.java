package io.slabtrack.storefront;

import io.slabtrack.cluster.access.PublicRoutes;
import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.app.AppModule;
import io.slabtrack.cluster.auth.Role;
import io.slabtrack.cluster.auth.handoff.HandoffLanding;
import io.slabtrack.cluster.bridge.BrowserBridge;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.shipping.LabelPurchase;
import io.slabtrack.cluster.shipping.ShippoClient;
import io.slabtrack.cluster.shipping.ShippoSettings;
import io.slabtrack.storefront.cards.CardEventsVerticle;
import io.slabtrack.storefront.cards.CardRoutes;
import io.slabtrack.storefront.cards.Cards;
import io.slabtrack.cluster.browse.BrowseCache;
import io.slabtrack.storefront.connect.ConnectRoutes;
import io.slabtrack.storefront.connect.StorefrontStripe;
import io.slabtrack.storefront.connect.StripeOnboarding;
import io.slabtrack.storefront.demo.DemoShop;
import io.slabtrack.storefront.orders.OrderRoutes;
import io.slabtrack.storefront.orders.Orders;
import io.slabtrack.storefront.orders.ShopOrders;
import io.slabtrack.storefront.pages.StorefrontPages;
import io.slabtrack.storefront.reconcile.StorefrontSnapshots;
import io.slabtrack.storefront.shops.ShopOwnersVerticle;
import io.slabtrack.storefront.shipping.LabelRoutes;
import io.slabtrack.storefront.shops.ShopRoutes;
import io.slabtrack.storefront.shops.Shops;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;

/** The Storefront app's contribution to a node: its migrations (classpath:db/storefront), verticles and routes. */
public final class StorefrontApp implements AppModule {
  private StorefrontStripe stripe;
  private Orders orders;
  private StorefrontSnapshots reconcile;
  private LabelPurchase shipping;
  /** This node's cache of buyer browse answers (API and shop pages), exact per request. */
  private BrowseCache browse;

  /**
   * Everything the Storefront answers without a token (deny by default; the shared routes are in
   * PublicRoutes.EVERY_APP): buyers see a shop and its cards, check out, read and cancel their unpaid order by its
   * unguessable id and token; Stripe posts its signed webhooks and Shippo its tracking events (token in the URL); core's handoff lands with its one-time token; and
   * the buyer's pages ({@link StorefrontPages#PUBLIC_ROUTES}, Stripe's cancel URL among them). Owner, operator and
   * publish routes, and the owner's pages, all need a token.
   */
  public static final PublicRoutes PUBLIC_ROUTES = PublicRoutes.of(
      "GET /auth/handoff",
      "GET /openapi.json",
      "GET /api/storefronts/:slug",
      "GET /api/storefronts/:slug/cards",
      "GET /api/storefronts/:slug/cards/:cardId",
      "POST /api/storefronts/:slug/checkout",
      "GET /api/orders/:orderId",
      "POST /api/orders/:orderId/cancel",
      "POST /api/stripe/webhook",
      "POST /api/stripe/connect/webhook",
      "POST /api/shipping/webhook")
      .plus(StorefrontPages.PUBLIC_ROUTES)
      .plus(BrowserBridge.PUBLIC_ROUTES);

  @Override
  public PublicRoutes publicRoutes() {
    return PUBLIC_ROUTES;
  }

  @Override
  public String openApiDocument() {
    return "openapi/storefront.json";
  }

  @Override
  public AppName name() {
    return AppName.STOREFRONT;
  }

  @Override
  public void configure(AppContext ctx) {
    stripe = StorefrontStripe.load(ctx);
    orders = Orders.configure(ctx, stripe);
    reconcile = new StorefrontSnapshots(ctx, orders);
    browse = BrowseCache.fromSettings(ctx.pool(), ctx.config().settings());
    shipping = new LabelPurchase(new ShippoClient(ctx.vertx(),
        ShippoSettings.load(ctx.config().settings(), ctx.config().mode())));
  }

  @Override
  public Future<Void> deployVerticles(AppContext ctx) {
    return Future.all(ctx.vertx().deployVerticle(new CardEventsVerticle(ctx.pool())), orders.deploy(ctx),
        ctx.vertx().deployVerticle(reconcile), ctx.vertx().deployVerticle(new ShopOwnersVerticle(ctx.pool()))).mapEmpty();
  }

  @Override
  public void mountRoutes(Router router, AppContext ctx) {
    HandoffLanding.mount(router, ctx);
    Shops shops = new Shops(ctx.pool());
    Cards cards = new Cards(ctx.pool(), browse);
    ShopRoutes.mount(router, ctx, shops);
    CardRoutes.mount(router, ctx, cards);
    StripeOnboarding onboarding = new StripeOnboarding(ctx.pool(), stripe);
    ConnectRoutes.mount(router, ctx, stripe, onboarding);
    ShopOrders shopOrders = new ShopOrders(ctx.pool(), orders);
    OrderRoutes.mount(router, ctx, orders, shopOrders);
    LabelRoutes.mount(router, ctx, shopOrders, shipping);
    reconcile.snapshots().mount(router, ctx.auth().session(Role.OPERATOR));
    StorefrontPages.mount(router, ctx, shops, cards, orders, shopOrders, onboarding);
    BrowserBridge.mount(router, ctx.vertx());
  }

  @Override
  public Future<Void> seedDemo(AppContext ctx) {
    return DemoShop.seed(ctx, stripe);
  }
}
