package io.slabtrack.storefront.pages;

import io.slabtrack.cluster.web.CardWords;
import io.slabtrack.storefront.cards.CardRoutes;
import io.slabtrack.storefront.cards.Cards;
import io.slabtrack.storefront.shops.Shop;
import io.slabtrack.storefront.shops.Shops;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** The buyer's way in: the list of shops, a shop (featured row, filters, grid, pages) and one card. */
final class ShopPages {
  static final List<String> GRADES = List.of("10", "9.5", "9", "8.5", "8", "7.5", "7", "6", "5", "4", "3", "2", "1");
  private static final int FEATURED = 8;

  private final PageRenderer pages;
  private final Shops shops;
  private final Cards cards;

  ShopPages(PageRenderer pages, Shops shops, Cards cards) {
    this.pages = pages;
    this.shops = shops;
    this.cards = cards;
  }

  void home(RoutingContext rc) {
    shops.list(null).onSuccess(list -> pages.send(rc, 200, "Shops · SlabTrack", ShopTheme.of(null), null,
            "home.jte", new Views.Home(list.stream().map(s -> new Views.ShopLink(s.name(), "/s/" + s.slug(), s.bio(),
                s.acceptingOrders())).toList())))
        .onFailure(rc::fail);
  }

  void shop(RoutingContext rc) {
    String slug = rc.pathParam("slug");
    ShopFilters filters = ShopFilters.of(rc.queryParams());
    Cart cart = Cart.of(rc, slug);
    shops.get(slug).compose(shop -> {
      boolean showFeatured = !filters.active() && filters.page() == 1;
      Future<Cards.Listing> featured = showFeatured
          ? cards.browse(slug, MultiMap.caseInsensitiveMultiMap().add("featured", "true")
          .add("limit", String.valueOf(FEATURED)))
          : Future.succeededFuture(new Cards.Listing(List.of(), 0, FEATURED, 0));
      Future<Cards.Listing> listing = cards.browse(slug, filters.apiFilters());
      Future<Cards.Facets> facets = cards.facets(slug);
      return Future.all(featured, listing, facets).compose(all -> pages.send(rc, 200, shop.name(),
          ShopTheme.of(shop.theme()), Views.Header.of(slug, shop.name(), cart.size()), "shop.jte",
          view(shop, filters, cart, featured.result(), listing.result(), facets.result(), rc.request().uri())));
    }).onFailure(rc::fail);
  }

  private static Views.ShopPage view(Shop shop, ShopFilters filters, Cart cart, Cards.Listing featured,
                                     Cards.Listing listing, Cards.Facets facets, String uri) {
    String slug = shop.slug();
    int pagesCount = (int) Math.max(1, (listing.total() + ShopFilters.PAGE_SIZE - 1) / ShopFilters.PAGE_SIZE);
    int page = filters.page();
    Views.Pager pager = new Views.Pager(page, pagesCount, page > 1 ? filters.href(slug, page - 1) : null,
        page < pagesCount ? filters.href(slug, page + 1) : null);
    return new Views.ShopPage(slug, shop.name(), shop.bio(), CardWords.safeUrl(shop.bannerUrl()),
        shop.acceptingOrders(), featured.items().stream().map(c -> CardView.of(slug, c)).toList(),
        listing.items().stream().map(c -> CardView.of(slug, c)).toList(), listing.total(), filters, facets, pager,
        GRADES, uri, cart.cardIds());
  }

  void card(RoutingContext rc) {
    String slug = rc.pathParam("slug");
    long cardId = CardRoutes.cardId(rc.pathParam("cardId"));
    Cart cart = Cart.of(rc, slug);
    shops.get(slug).compose(shop -> cards.detail(slug, cardId).onSuccess(card -> {
      CardView view = CardView.of(slug, card);
      pages.send(rc, 200, view.title() + " · " + shop.name(), ShopTheme.of(shop.theme()),
          Views.Header.of(slug, shop.name(), cart.size()), "card.jte",
          new Views.CardPage(slug, view, shop.acceptingOrders(), cart.contains(cardId), shop.name()));
    })).onFailure(rc::fail);
  }

  /** {@code GET /themes/<colors>.css}: an owner's own colours; the name is the content, so it never changes. */
  void themeColors(RoutingContext rc) {
    String css = ShopTheme.colorsCss(rc.pathParam("file"));
    if (css == null) {
      rc.next();
      return;
    }
    rc.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/css; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=31536000, immutable").end(css);
  }
}
