package io.slabtrack.tot.pages;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.tot.listings.ListingsQuery;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /}: the listings to play, filtered and paged by the URL; {@code GET /listings/{id}}: one of them. */
final class BrowsePages {
  static final int PAGE_SIZE = 24;

  private final TotRenderer pages;
  private final ListingsQuery listings;

  BrowsePages(TotRenderer pages, ListingsQuery listings) {
    this.pages = pages;
    this.listings = listings;
  }

  void browse(RoutingContext rc) {
    BrowseFilters f = BrowseFilters.of(rc.queryParams());
    Picked picked = Picked.of(rc);
    listings.page(f.query(), PAGE_SIZE, (long) (f.page() - 1) * PAGE_SIZE).compose(page -> {
      int pages = (int) Math.max(1, (page.total() + PAGE_SIZE - 1) / PAGE_SIZE);
      Views.Pager pager = new Views.Pager(f.page(), pages, f.page() > 1 ? f.href(f.kind(), f.page() - 1) : null,
          f.page() < pages ? f.href(f.kind(), f.page() + 1) : null);
      return this.pages.send(rc, 200, "Flip or pull graded cards", picked.header(), "browse.jte",
          new Views.Browse(Tile.all(page.items(), picked), page.total(), f, pager, f.href(null, 1),
              f.href("single", 1), f.href("lot", 1), f.href(f.kind(), f.page()), f.problem()));
    }).onFailure(rc::fail);
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
