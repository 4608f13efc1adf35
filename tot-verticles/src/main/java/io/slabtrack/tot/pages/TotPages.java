package io.slabtrack.tot.pages;

import io.slabtrack.cluster.access.PublicRoutes;
import io.slabtrack.cluster.limits.BuyerLimits;
import io.slabtrack.cluster.stripe.StripeSettings;
import io.slabtrack.tot.fairness.SeedVault;
import io.slabtrack.tot.listings.ListingsQuery;
import io.slabtrack.tot.listings.SpreadPolicy;
import io.slabtrack.tot.orders.BuyerOrders;
import io.slabtrack.tot.plays.PlayCommit;
import io.slabtrack.tot.settle.PlayCancel;
import io.slabtrack.tot.plays.PlayQuote;
import io.slabtrack.tot.plays.Plays;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;

/**
 * Every ToT web page, mounted from here and nowhere else. A buyer needs no account: the pages are public
 * ({@link #PUBLIC_ROUTES}), a play and an order are reached by their unguessable id (and the order's token), and
 * every form post must come from this site ({@code Forms.requireThisSite}).
 */
public final class TotPages {
  /** Form posts are a few fields; anything bigger is not ours. */
  static final long FORM_LIMIT = 16 * 1024;
  /** The 403 of a form posted from another site. */
  static final String FOREIGN_FORM = "This form must be sent from ThisOrThat's own pages";

  /** The page routes anyone may open, as mounted; {@code TotApp.PUBLIC_ROUTES} includes them. */
  public static final PublicRoutes PUBLIC_ROUTES = PublicRoutes.of(
      "GET /",
      "GET /listings/:id",
      "GET /flip",
      "POST /flip/add",
      "POST /flip/remove",
      "GET /pull",
      "POST /pull/add",
      "POST /pull/remove",
      "GET /checkout/:game",
      "POST /checkout/:game",
      "GET /play/:id",
      "POST /play/:id/pay",
      "POST /play/:id/cancel",
      "GET /orders/:id");

  private TotPages() {
  }

  /** @param listings the node's cached reads of listings, shared with the browse API */
  public static void mount(Router router, Pool pool, ListingsQuery listings, SeedVault vault, SpreadPolicy spreads,
                           StripeSettings stripe, PlayCommit commit, PlayCancel cancel, BuyerLimits limits) {
    TotRenderer pages = TotRenderer.create(stripe);
    Plays plays = new Plays(pool, vault);
    BuyerOrders orders = new BuyerOrders(pool);
    BrowsePages browse = new BrowsePages(pages, listings);
    PickPages picks = new PickPages(pages, listings, new PlayQuote(pool, spreads), commit, limits);
    PlayPage play = new PlayPage(pages, plays, listings, orders, cancel);
    OrderPage order = new OrderPage(pages, orders, plays, listings);

    pages.web().assets().mount(router);
    BodyHandler forms = BodyHandler.create(false).setBodyLimit(FORM_LIMIT);
    router.get("/").handler(browse::browse);
    router.get("/listings/:id").handler(browse::listing);
    for (String game : new String[] {"flip", "pull"}) {
      router.get("/" + game).handler(rc -> picks.view(rc, game));
      router.post("/" + game + "/add").handler(forms).handler(rc -> picks.add(rc, game));
      router.post("/" + game + "/remove").handler(forms).handler(rc -> picks.remove(rc, game));
    }
    router.get("/checkout/:game").handler(picks::form);
    router.post("/checkout/:game").handler(forms).handler(picks::submit);
    router.get("/play/:id").handler(play::show);
    router.post("/play/:id/pay").handler(forms).handler(play::pay);
    router.post("/play/:id/cancel").handler(forms).handler(play::callOff);
    router.get("/orders/:id").handler(order::show);
  }
}
