package io.slabtrack.tot.pages;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.limits.BuyerLimits;
import io.slabtrack.cluster.web.Forms;
import io.slabtrack.cluster.web.IdCookie;
import io.slabtrack.cluster.web.Links;
import io.slabtrack.cluster.web.Money;
import io.slabtrack.cluster.web.ShippingForm;
import io.slabtrack.tot.listings.ListingsQuery;
import io.slabtrack.tot.plays.PlayCommit;
import io.slabtrack.tot.plays.PlayQuote;
import io.slabtrack.tot.plays.PlayRequest;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The flip cart and the pull tray (cookies, {@link Picked}) with the live quote by the API's own rules
 * ({@link PlayQuote}: the exact cents, or its 422 saying why not yet), and the form that commits the play: the
 * buyer's email and address checked by {@link PlayRequest}'s parser, the play committed by the same
 * {@link PlayCommit} as {@code POST /api/play/…} (hosted payment page mode), then on to the play page.
 */
final class PickPages {
  private final TotRenderer pages;
  private final ListingsQuery listings;
  private final PlayQuote quotes;
  private final PlayCommit commit;
  private final BuyerLimits limits;

  PickPages(TotRenderer pages, ListingsQuery listings, PlayQuote quotes, PlayCommit commit, BuyerLimits limits) {
    this.pages = pages;
    this.listings = listings;
    this.quotes = quotes;
    this.commit = commit;
    this.limits = limits;
  }

  /** {@code GET /flip} or {@code GET /pull}. */
  void view(RoutingContext rc, String game) {
    Picked picked = Picked.of(rc);
    List<Long> ids = picked.of(game).ids();
    Future.all(listings.byIds(ids), quotes.quote(game.toUpperCase(), ids)).compose(x -> {
      List<Tile> lines = ordered(Tile.all(x.resultAt(0), picked), ids);
      PlayQuote.Quote q = x.resultAt(1);
      String average = lines.isEmpty() ? null : Money.usd(BigDecimal.valueOf(q.cardValue())
          .divide(BigDecimal.valueOf(lines.size()), 0, RoundingMode.HALF_UP).longValueExact());
      boolean flip = game.equals("flip");
      return pages.send(rc, 200, flip ? "Flip cart" : "Pull tray", picked.header(), "picks.jte",
          new Views.Picks(game, lines, lines.size(), Money.usd(q.cardValue()), average, Money.usd(q.winPrice()),
              Money.usd(q.losePrice()), q.spread() == null ? null : Tile.percent(q.spread().toPlainString()),
              Money.usd(q.pullPrice()), q.problem(), q.playable() ? "/checkout/" + game : null));
    }).onFailure(rc::fail);
  }

  /** {@code POST /flip/add} or {@code /pull/add}: one listing in; from a script, the counts as JSON. */
  void add(RoutingContext rc, String game) {
    Forms.requireThisSite(rc, TotPages.FOREIGN_FORM);
    long id = listingId(rc.request().getFormAttribute("listingId"));
    Picked picked = Picked.of(rc);
    IdCookie more = picked.of(game).with(id);
    more.save(rc);
    Picked now = game.equals("flip") ? new Picked(more, picked.pullTray()) : new Picked(picked.flipCart(), more);
    if ("fetch".equals(rc.request().getHeader("X-Requested-With"))) {
      rc.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(new JsonObject()
          .put("flipCount", now.flipCart().size()).put("pullCount", now.pullTray().size())
          .put("added", more.contains(id)).encode());
      return;
    }
    Forms.redirect(rc, back(rc.request().getFormAttribute("back"), "/" + game));
  }

  /** {@code POST /flip/remove} or {@code /pull/remove}. */
  void remove(RoutingContext rc, String game) {
    Forms.requireThisSite(rc, TotPages.FOREIGN_FORM);
    long id = listingId(rc.request().getFormAttribute("listingId"));
    Picked.of(rc).of(game).without(List.of(id)).save(rc);
    Forms.redirect(rc, "/" + game);
  }

  /** {@code GET /checkout/{game}}: the flip cart, the pull tray, or ({@code ?listing=}) a solo flip of one listing. */
  void form(RoutingContext rc) {
    String game = game(rc);
    List<Long> ids = ids(rc, game, rc.queryParams().get("listing"));
    showForm(rc, game, ids, 200, ShippingForm.blank(), ShippingForm.newKey(), null);
  }

  /** {@code POST /checkout/{game}}: valid → the play committed, on to its page (303); else the form again. */
  void submit(RoutingContext rc) {
    Forms.requireThisSite(rc, TotPages.FOREIGN_FORM);
    String game = game(rc);
    List<Long> ids = parseIds(rc.request().getFormAttribute("ids"));
    if (ids.isEmpty()) {
      Forms.redirect(rc, "/" + game);
      return;
    }
    ShippingForm form = ShippingForm.of(rc.request().formAttributes());
    JsonObject body = form.body().put("listingIds", new JsonArray(new ArrayList<>(ids)))
        .put("payment", PlayRequest.PaymentMode.CHECKOUT.json());
    Map<String, String> errors = form.errors(body, PlayRequest::parse);
    if (!errors.isEmpty()) {
      showForm(rc, game, ids, 422, form.fields(errors), form.key(), null);
      return;
    }
    PlayRequest request = PlayRequest.parse(body);
    String key = "page-" + form.key();
    limits.guard(rc, request.email(), key, hold -> commit.commit(game.toUpperCase(), request, key, hold))
        .compose(play -> Forms.redirect(rc, "/play/" + play.getString("playId")))
        .recover(e -> {
          if (!(e instanceof ApiException api) || api.status() >= 500 && api.status() != 503) {
            return Future.failedFuture(e);
          }
          if (api.status() == 429 && api.details() != null && api.details().containsKey("retryAfterSeconds")) {
            rc.response().putHeader("Retry-After", String.valueOf(api.details().getValue("retryAfterSeconds")));
          }
          String notice = api.status() == 409 && !"idempotency_key_reused".equals(api.code())
              ? "Someone else is playing one of these cards right now. Try again in a few minutes, or pick others."
              : api.getMessage();
          return showForm(rc, game, ids, api.status(), form.fields(Map.of()), form.key(), notice);
        })
        .onFailure(rc::fail);
  }

  private Future<Void> showForm(RoutingContext rc, String game, List<Long> ids, int status,
                                ShippingForm.Fields fields, String key, String notice) {
    if (ids.isEmpty()) {
      return Forms.redirect(rc, "/" + game);
    }
    Picked picked = Picked.of(rc);
    return Future.all(listings.byIds(ids), quotes.quote(game.toUpperCase(), ids)).compose(x -> {
      PlayQuote.Quote q = x.resultAt(1);
      String prices = !q.playable() ? null : game.equals("flip")
          ? "Win: pay " + Money.usd(q.winPrice()) + " · Lose: pay " + Money.usd(q.losePrice())
          : "Pull price " + Money.usd(q.pullPrice()) + " for one of " + ids.size();
      String problem = q.playable() ? notice : q.problem();
      return pages.send(rc, status, game.equals("flip") ? "Flip" : "Pull", picked.header(), "play-form.jte",
          new Views.PlayForm(game, ordered(Tile.all(x.resultAt(0), picked), ids), joined(ids), prices,
              pages.part("shipping-fields.jte", fields), fields.error("form"), key, problem,
              "/checkout/" + game));
    });
  }

  private static String game(RoutingContext rc) {
    String game = rc.pathParam("game");
    if (!"flip".equals(game) && !"pull".equals(game)) {
      throw ApiErrors.notFound("Page");
    }
    return game;
  }

  private static List<Long> ids(RoutingContext rc, String game, String solo) {
    if (solo != null && game.equals("flip")) {
      return List.of(listingId(solo));
    }
    return Picked.of(rc).of(game).ids();
  }

  private static long listingId(String raw) {
    try {
      long id = Long.parseLong(raw == null ? "" : raw.strip());
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw ApiErrors.invalidField("listingId", "listingId must be a listing's id");
  }

  /** The form's hidden {@code ids} ("3.7.12"); anything unreadable is dropped (the commit checks the rest). */
  static List<Long> parseIds(String raw) {
    return IdCookie.parse(raw, Picked.FLIP_MAX);
  }


  private static String joined(List<Long> ids) {
    return String.join(".", ids.stream().map(String::valueOf).toList());
  }

  /** The tiles in the order the buyer added them (the query answers by id). */
  private static List<Tile> ordered(List<Tile> tiles, List<Long> ids) {
    List<Tile> out = new ArrayList<>();
    for (Long id : ids) {
      tiles.stream().filter(t -> t.id() == id).findFirst().ifPresent(out::add);
    }
    return out;
  }

  /** Where an add returns to: a path of this site, nothing else (no open redirect). */
  static String back(String back, String fallback) {
    return Links.localPath(back) ? back : fallback;
  }

}
