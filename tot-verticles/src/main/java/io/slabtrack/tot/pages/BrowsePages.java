package io.slabtrack.tot.pages;

import io.slabtrack.cluster.browse.BrowseCache;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.web.SharedPage;
import io.slabtrack.tot.listings.ListingsQuery;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** {@code GET /}: the listings to play, filtered and paged by the URL; {@code GET /listings/{id}}: one of them. */
final class BrowsePages {
  static final int PAGE_SIZE = 24;

  private final TotRenderer pages;
  private final ListingsQuery listings;

  BrowsePages(TotRenderer pages, ListingsQuery listings) {
    this.pages = pages;
    this.listings = listings;
  }

  /**
   * {@code GET /}: one read of the listings' browse version, then the page as every buyer sees it from the browse
   * cache (rendered once per version and filters); this buyer's flip cart and pull tray — the header's counts and
   * their own tiles — are written into its holes.
   */
  void browse(RoutingContext rc) {
    BrowseFilters f = BrowseFilters.of(rc.queryParams());
    Picked picked = Picked.of(rc);
    BrowseCache cache = listings.cache();
    cache.current(ListingsQuery.SCOPE)
        .compose(at -> cache.at(ListingsQuery.SCOPE, at, BrowseCache.key("browse-page", f.kind(), f.player(), f.set(),
            f.q(), f.min(), f.max(), f.page()), v -> render(f, at)))
        .compose(page -> pages.send(rc, 200, page.fill(new ForBuyer(picked))))
        .onFailure(rc::fail);
  }

  /** The header, with this buyer's counts. */
  private enum HeaderHole { INSTANCE }

  /** A listing's tile as a buyer who picked nothing sees it. */
  private record TileHole(Tile tile, String back, byte[] plain) implements BrowseCache.Weighed {
    @Override
    public int weight() {
      return plain.length + 512;
    }
  }

  private Future<SharedPage> render(BrowseFilters f, BrowseCache.Scope at) {
    return listings.page(f.query(), PAGE_SIZE, (long) (f.page() - 1) * PAGE_SIZE, at).map(page -> {
      int pages = (int) Math.max(1, (page.total() + PAGE_SIZE - 1) / PAGE_SIZE);
      Views.Pager pager = new Views.Pager(f.page(), pages, f.page() > 1 ? f.href(f.kind(), f.page() - 1) : null,
          f.page() < pages ? f.href(f.kind(), f.page() + 1) : null);
      String back = f.href(f.kind(), f.page());
      SharedPage.Marks marks = new SharedPage.Marks();
      Views.Tiles tiles = t -> marks.content(new TileHole(t, back,
          tile(t, back).getBytes(StandardCharsets.UTF_8)));
      return marks.cut(this.pages.html("Flip or pull graded cards", marks.content(HeaderHole.INSTANCE), "browse.jte",
          new Views.Browse(Tile.all(page.items(), Picked.NONE), tiles, page.total(), f, pager, f.href(null, 1),
              f.href("single", 1), f.href("lot", 1), back, f.problem())));
    });
  }

  private String tile(Tile tile, String back) {
    Map<String, Object> params = new HashMap<>();
    params.put("tile", tile);
    params.put("back", back);
    return pages.fragment("tile.jte", params);
  }

  /** One buyer's parts of the browse page. */
  private final class ForBuyer implements SharedPage.Filler {
    private final Picked picked;

    ForBuyer(Picked picked) {
      this.picked = picked;
    }

    @Override
    public void fill(Object hole, Buffer out) {
      if (hole instanceof TileHole t) {
        boolean flip = picked.flip().contains(t.tile().id());
        boolean pull = picked.pull().contains(t.tile().id());
        if (flip || pull) {
          out.appendString(tile(t.tile().picked(flip, pull), t.back()));
        } else {
          out.appendBytes(t.plain());
        }
      } else if (hole == HeaderHole.INSTANCE) {
        out.appendString(pages.fragment("header.jte", picked.header()));
      } else {
        throw new IllegalStateException("unknown hole " + hole);
      }
    }
  }

  void listing(RoutingContext rc) {
    long id;
    try {
      id = Long.parseLong(rc.pathParam("id"));
    } catch (NumberFormatException e) {
      throw ApiErrors.notFound("Listing");
    }
    Picked picked = Picked.of(rc);
    listings.one(id).compose(l -> {
      if (l == null || "WITHDRAWN".equals(l.getString("status"))) {
        throw ApiErrors.notFound("Listing");
      }
      Tile tile = Tile.of(l, picked);
      return pages.send(rc, 200, tile.title(), picked.header(), "listing.jte",
          new Views.ListingPage(tile, Tile.cards(l), "/listings/" + id));
    }).onFailure(rc::fail);
  }
}
