package io.slabtrack.storefront.pages;

import gg.jte.html.escape.Escape;
import gg.jte.output.StringOutput;
import io.slabtrack.cluster.browse.BrowseCache;
import io.slabtrack.cluster.web.CardWords;
import io.slabtrack.cluster.web.SharedPage;
import io.slabtrack.storefront.cards.CardRoutes;
import io.slabtrack.storefront.cards.Cards;
import io.slabtrack.storefront.shops.Shop;
import io.slabtrack.storefront.shops.Shops;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

  /**
   * {@code GET /s/{slug}}: one read of the shop's browse version, then the page as every buyer sees it from the
   * browse cache (rendered once per version and filters); this request's own parts — the cart in the header and on
   * its tiles, the address it was asked by (the tiles' {@code back}) — are written into its holes.
   */
  void shop(RoutingContext rc) {
    String slug = rc.pathParam("slug");
    ShopFilters filters = ShopFilters.of(rc.queryParams());
    Cart cart = Cart.of(rc, slug);
    BrowseCache cache = cards.cache();
    cache.current(slug)
        .compose(at -> cache.at(slug, at, BrowseCache.key("shop-page", filters.q(), filters.player(), filters.set(),
            filters.year(), filters.grader(), filters.grade(), filters.min(), filters.max(), filters.page()),
            v -> render(slug, filters, at)))
        .compose(page -> pages.send(rc, 200, page.fill(new ForBuyer(cart, rc.request().uri()))))
        .onFailure(rc::fail);
  }

  /** The shop row, cached under the shop's version (its triggers bump it on every change of the row). */
  Future<Shop> cachedShop(String slug, BrowseCache.Scope at) {
    return cards.cache().at(slug, at, "shop", v -> shops.get(slug).map(CachedShop::new)).map(CachedShop::shop);
  }

  private record CachedShop(Shop shop) implements BrowseCache.Weighed {
    @Override
    public int weight() {
      return 2048;
    }
  }

  /** The header, with this buyer's cart count. */
  private record HeaderHole(String slug, String name) {
  }

  /** The address the page was asked by, where the tiles' forms come back to. */
  private enum BackHole { INSTANCE }

  /** A card's tile as a buyer without it in their cart sees it, {@code back} a hole. */
  private record TileHole(CardView card, String slug, boolean accepting, SharedPage plain)
      implements BrowseCache.Weighed {
    @Override
    public int weight() {
      return plain.weight() + 256;
    }
  }

  private Future<SharedPage> render(String slug, ShopFilters filters, BrowseCache.Scope at) {
    return cachedShop(slug, at).compose(shop -> {
      boolean showFeatured = !filters.active() && filters.page() == 1;
      Future<Cards.Listing> featured = showFeatured
          ? cards.browse(slug, MultiMap.caseInsensitiveMultiMap().add("featured", "true")
          .add("limit", String.valueOf(FEATURED)), at)
          : Future.succeededFuture(new Cards.Listing(List.of(), 0, FEATURED, 0));
      Future<Cards.Listing> listing = cards.browse(slug, filters.apiFilters(), at);
      Future<Cards.Facets> facets = cards.facets(slug, at);
      return Future.all(featured, listing, facets).map(all -> {
        SharedPage.Marks marks = new SharedPage.Marks();
        Views.Tiles tiles = card -> {
          SharedPage.Marks tileMarks = new SharedPage.Marks();
          SharedPage plain = tileMarks.cut(tile(card, slug, shop.acceptingOrders(), tileMarks.mark(BackHole.INSTANCE),
              false));
          return marks.content(new TileHole(card, slug, shop.acceptingOrders(), plain));
        };
        return marks.cut(pages.html(shop.name(), ShopTheme.of(shop.theme()),
            marks.content(new HeaderHole(slug, shop.name())), "shop.jte",
            view(shop, filters, featured.result(), listing.result(), facets.result(), tiles)));
      });
    });
  }

  private String tile(CardView card, String slug, boolean accepting, String back, boolean inCart) {
    Map<String, Object> params = new HashMap<>();
    params.put("card", card);
    params.put("slug", slug);
    params.put("accepting", accepting);
    params.put("back", back);
    params.put("inCart", inCart);
    return pages.fragment("tile.jte", params);
  }

  /** One buyer's parts of the shop page. */
  private final class ForBuyer implements SharedPage.Filler {
    private final Cart cart;
    private final String uri;
    private String back;

    ForBuyer(Cart cart, String uri) {
      this.cart = cart;
      this.uri = uri;
    }

    @Override
    public void fill(Object hole, Buffer out) {
      if (hole instanceof TileHole t) {
        if (cart.contains(t.card().id())) {
          out.appendString(tile(t.card(), t.slug(), t.accepting(), uri, true));
        } else {
          t.plain().write(out, this);
        }
      } else if (hole == BackHole.INSTANCE) {
        if (back == null) {
          StringOutput escaped = new StringOutput(uri.length() + 16);
          Escape.htmlAttribute(uri, escaped);
          back = escaped.toString();
        }
        out.appendString(back);
      } else if (hole instanceof HeaderHole h) {
        out.appendString(pages.fragment("header.jte", Views.Header.of(h.slug(), h.name(), cart.size())));
      } else {
        throw new IllegalStateException("unknown hole " + hole);
      }
    }
  }

  private static Views.ShopPage view(Shop shop, ShopFilters filters, Cards.Listing featured, Cards.Listing listing,
                                     Cards.Facets facets, Views.Tiles tiles) {
    String slug = shop.slug();
    int pagesCount = (int) Math.max(1, (listing.total() + ShopFilters.PAGE_SIZE - 1) / ShopFilters.PAGE_SIZE);
    int page = filters.page();
    Views.Pager pager = new Views.Pager(page, pagesCount, page > 1 ? filters.href(slug, page - 1) : null,
        page < pagesCount ? filters.href(slug, page + 1) : null);
    return new Views.ShopPage(slug, shop.name(), shop.bio(), CardWords.safeUrl(shop.bannerUrl()),
        shop.acceptingOrders(), featured.items().stream().map(c -> CardView.of(slug, c)).toList(),
        listing.items().stream().map(c -> CardView.of(slug, c)).toList(), listing.total(), filters, facets, pager,
        GRADES, tiles);
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
