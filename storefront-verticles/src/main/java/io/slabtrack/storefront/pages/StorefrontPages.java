package io.slabtrack.storefront.pages;

import io.slabtrack.cluster.access.PublicRoutes;
import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.storefront.cards.Cards;
import io.slabtrack.storefront.connect.StripeOnboarding;
import io.slabtrack.storefront.orders.Checkout;
import io.slabtrack.storefront.settle.OrderCancel;
import io.slabtrack.storefront.orders.Orders;
import io.slabtrack.storefront.orders.ShopOrders;
import io.slabtrack.storefront.shops.Shops;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Every page of the Storefront, mounted from here and nowhere else (README, "Web pages"). The buyer's pages need
 * no account: {@link #PUBLIC_ROUTES} lists them for the app's public-route list.
 */
public final class StorefrontPages {
  /** Form posts are a few fields; anything bigger is not ours. */
  static final long FORM_LIMIT = 16 * 1024;
  /** The 403 of a form posted from another site (the CSRF rule, {@code Forms.requireThisSite}). */
  static final String FOREIGN_FORM = "This form must be sent from this shop's own pages";

  /**
   * The page routes anyone may open, as they are mounted: the buyer's pages (shops, shop, card, cart, checkout),
   * the order page and Stripe's cancel URL (by the order's unguessable id and buyer token), and an owner's theme
   * colours. The app's public list ({@code StorefrontApp.PUBLIC_ROUTES}) includes it; the shared assets are public
   * on every app ({@code PublicRoutes.EVERY_APP}). The owner's pages ({@code /s/{slug}/manage/…}) are not here:
   * the gate asks for a session, and a browser without one gets the 401 page; {@code /} sends a signed-in owner on
   * to {@code /manage} ({@link OwnerLanding}), core's handoff landing there by default.
   */
  public static final PublicRoutes PUBLIC_ROUTES = PublicRoutes.of(
      "GET /",
      "GET /s/:slug",
      "GET /s/:slug/cards/:cardId",
      "GET /s/:slug/cart",
      "POST /s/:slug/cart",
      "POST /s/:slug/cart/remove",
      "GET /s/:slug/checkout",
      "POST /s/:slug/checkout",
      "GET " + OrderCancel.STRIPE_PATH,
      "GET " + Checkout.ORDER_PATH,
      "GET " + ShopTheme.COLORS_PATH);

  private StorefrontPages() {
  }

  public static void mount(Router router, AppContext ctx, Shops shops, Cards cards, Orders orders,
                           ShopOrders shopOrders, StripeOnboarding onboarding) {
    PageRenderer pages = PageRenderer.create(orders.stripe().settings());
    ShopPages shop = new ShopPages(pages, shops, cards);
    CartPages cart = new CartPages(pages, shops, cards, orders, ctx.saleLocks());
    OrderPage order = new OrderPage(pages, shops, orders.checkout());
    OnboardingPages owner = new OnboardingPages(pages, shops, onboarding);
    ManagePages manage = new ManagePages(pages, shops, cards, shopOrders, onboarding);
    OwnerLanding landing = new OwnerLanding(pages, shops, ctx);

    pages.web().assets().mount(router);
    router.post("/s/*").handler(BodyHandler.create(false).setBodyLimit(FORM_LIMIT));
    router.get("/").handler(rc -> landing.home(rc, shop::home));
    router.get(ShopTheme.COLORS_PATH).handler(shop::themeColors);
    router.get("/s/:slug").handler(shop::shop);
    router.get("/s/:slug/cards/:cardId").handler(shop::card);
    router.get("/s/:slug/cart").handler(cart::view);
    router.post("/s/:slug/cart").handler(cart::add);
    router.post("/s/:slug/cart/remove").handler(cart::remove);
    router.get("/s/:slug/checkout").handler(cart::checkoutForm);
    router.post("/s/:slug/checkout").handler(cart::checkoutSubmit);
    router.get(OrderCancel.STRIPE_PATH).handler(cart::cancelled);
    router.get(Checkout.ORDER_PATH).handler(order::show);

    router.get(OwnerLanding.PATH).handler(ctx.auth().session()).handler(landing::manage);
    router.get(ManagePages.PATH).handler(ctx.auth().session()).handler(manage::show);
    router.post(ManagePages.PATH + "/stripe").handler(ctx.auth().session()).handler(manage::startOnboarding);
    router.post(ManagePages.PATH + "/orders/:orderId/ship").handler(ctx.auth().session()).handler(manage::ship);
    router.post(ManagePages.PATH + "/orders/:orderId/refund").handler(ctx.auth().session()).handler(manage::refund);
    router.post(ManagePages.PATH + "/cards/:cardId").handler(ctx.auth().session()).handler(manage::editCard);
    router.post(ManagePages.PATH + "/details").handler(ctx.auth().session()).handler(manage::editDetails);
    router.get(StripeOnboarding.RETURN_PATH).handler(ctx.auth().session()).handler(owner::returned);
    router.get(StripeOnboarding.REFRESH_PATH).handler(ctx.auth().session()).handler(owner::refresh);
  }
}
