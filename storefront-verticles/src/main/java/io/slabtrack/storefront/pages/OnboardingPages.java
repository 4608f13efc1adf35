package io.slabtrack.storefront.pages;

import io.slabtrack.cluster.auth.AuthHandlers;
import io.slabtrack.cluster.auth.VerifiedToken;
import io.slabtrack.cluster.web.Forms;
import io.slabtrack.storefront.connect.StripeOnboarding;
import io.slabtrack.storefront.shops.Shops;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/**
 * The two pages Stripe's Connect onboarding sends the shop's owner back to (owner or operator session, else the
 * 401/403 page): the return page says whether the shop can take orders now, the refresh page makes a fresh link
 * (the old one expired) and follows it.
 */
final class OnboardingPages {
  private final PageRenderer pages;
  private final Shops shops;
  private final StripeOnboarding onboarding;

  OnboardingPages(PageRenderer pages, Shops shops, StripeOnboarding onboarding) {
    this.pages = pages;
    this.shops = shops;
    this.onboarding = onboarding;
  }

  void returned(RoutingContext rc) {
    VerifiedToken who = AuthHandlers.principal(rc);
    String slug = rc.pathParam("slug");
    onboarding.account(slug, who).compose(account -> shops.get(slug).compose(shop -> pages.send(rc, 200,
        "Payments · " + shop.name(), ShopTheme.of(shop.theme()),
        Views.Header.of(slug, shop.name(), Cart.of(rc, slug).size()), "stripe-return.jte",
        new Views.StripeReturn(slug, shop.name(), shop.acceptingOrders(), shop.detailsSubmitted(),
            StripeOnboarding.REFRESH_PATH.replace(":slug", slug)))))
        .onFailure(rc::fail);
  }

  void refresh(RoutingContext rc) {
    VerifiedToken who = AuthHandlers.principal(rc);
    String slug = rc.pathParam("slug");
    String key = "storefront-account-link-" + slug + "-" + UUID.randomUUID();
    onboarding.link(slug, who, key).compose(link -> Forms.redirect(rc, link.getString("url")))
        .onFailure(rc::fail);
  }
}
