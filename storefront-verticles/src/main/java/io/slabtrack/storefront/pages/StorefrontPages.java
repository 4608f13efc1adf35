package io.slabtrack.storefront.pages;

import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.web.Assets;
import io.slabtrack.cluster.web.PageRoute;
import io.slabtrack.storefront.cards.Cards;
import io.slabtrack.storefront.connect.StripeOnboarding;
import io.slabtrack.storefront.orders.Checkout;
import io.slabtrack.storefront.orders.Orders;
import io.slabtrack.storefront.shops.Shops;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;

/**
 * Every page of the Storefront, mounted from here and nowhere else (README, "Web pages"). The buyer's pages need
 * no account: {@link #PUBLIC_ROUTES} lists them for the app's public-route list.
 */
public final class StorefrontPages {
  /** Form posts are a few fields; anything bigger is not ours. */
  static final long FORM_LIMIT = 16 * 1024;

  /** The page routes anyone may open, as they are mounted (method + Vert.x path). */
  public static final List<PageRoute> PUBLIC_ROUTES = List.of(
      PageRoute.get("/"),
      PageRoute.get("/s/:slug"),
      PageRoute.get("/s/:slug/cards/:cardId"),
      PageRoute.get("/s/:slug/cart"),
      PageRoute.post("/s/:slug/cart"),
      PageRoute.post("/s/:slug/cart/remove"),
      PageRoute.get("/s/:slug/checkout"),
      PageRoute.post("/s/:slug/checkout"),
      PageRoute.get(Checkout.CANCEL_PATH),
      PageRoute.get(Checkout.ORDER_PATH),
      PageRoute.get(ShopTheme.COLORS_PATH),
      PageRoute.get(Assets.PREFIX + ":file"));

  /** The shop owner's pages (owner or operator session; anyone else gets the 401/403 page). */
  public static final List<PageRoute> OWNER_ROUTES = List.of(
      PageRoute.get(StripeOnboarding.RETURN_PATH),
      PageRoute.get(StripeOnboarding.REFRESH_PATH));

  private StorefrontPages() {
  }

  public static void mount(Router router, AppContext ctx, Shops shops, Cards cards, Orders orders,
                           StripeOnboarding onboarding) {
    PageRenderer pages = PageRenderer.create(orders.stripe().settings());
    ShopPages shop = new ShopPages(pages, shops, cards);
    CartPages cart = new CartPages(pages, shops, cards, orders, ctx.saleLocks());
    OrderPage order = new OrderPage(pages, shops, orders.checkout());
    OnboardingPages owner = new OnboardingPages(pages, shops, onboarding);

    pages.web().assets().mount(router);
    router.post("/s/*").handler(BodyHandler.create(false).setBodyLimit(FORM_LIMIT));
    router.get("/").handler(shop::home);
    router.get(ShopTheme.COLORS_PATH).handler(shop::themeColors);
    router.get("/s/:slug").handler(shop::shop);
    router.get("/s/:slug/cards/:cardId").handler(shop::card);
    router.get("/s/:slug/cart").handler(cart::view);
    router.post("/s/:slug/cart").handler(cart::add);
    router.post("/s/:slug/cart/remove").handler(cart::remove);
    router.get("/s/:slug/checkout").handler(cart::checkoutForm);
    router.post("/s/:slug/checkout").handler(cart::checkoutSubmit);
    router.get(Checkout.CANCEL_PATH).handler(cart::cancelled);
    router.get(Checkout.ORDER_PATH).handler(order::show);

    router.get(StripeOnboarding.RETURN_PATH).handler(ctx.auth().session()).handler(owner::returned);
    router.get(StripeOnboarding.REFRESH_PATH).handler(ctx.auth().session()).handler(owner::refresh);
  }
}
