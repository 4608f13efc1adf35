package io.slabtrack.tot.pages;

import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.web.Forms;
import io.slabtrack.cluster.web.IdCookie;
import io.slabtrack.cluster.web.Money;
import io.slabtrack.tot.listings.ListingsQuery;
import io.slabtrack.tot.orders.BuyerOrders;
import io.slabtrack.tot.plays.Plays;
import io.slabtrack.tot.settle.PlayCancel;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /play/{id}}: the play by its unguessable id. Before payment: the committed seed hash, the prices at
 * stake, the optional client seed and Pay ({@code POST /play/{id}/pay} → the hosted payment page, which sends the
 * buyer back here). Then the page waits (tot.js polls {@code /api/play/{id}}) for the authorization and the reveal:
 * the outcome, what was charged, the cards, the order link, and the fairness check run in the browser (verify.js).
 */
final class PlayPage {
  private final TotRenderer pages;
  private final Plays plays;
  private final ListingsQuery listings;
  private final BuyerOrders orders;
  private final PlayCancel cancel;

  PlayPage(TotRenderer pages, Plays plays, ListingsQuery listings, BuyerOrders orders, PlayCancel cancel) {
    this.cancel = cancel;
    this.pages = pages;
    this.plays = plays;
    this.listings = listings;
    this.orders = orders;
  }

  void show(RoutingContext rc) {
    render(rc, 200, null).onFailure(rc::fail);
  }

  /** The client seed if one was typed, then on to the hosted payment page. */
  void pay(RoutingContext rc) {
    Forms.requireThisSite(rc, TotPages.FOREIGN_FORM);
    String playId = rc.pathParam("id");
    String seed = rc.request().getFormAttribute("clientSeed");
    Future<JsonObject> seeded = seed == null || seed.isBlank() ? plays.json(playId)
        : plays.setClientSeed(playId, seed.strip());
    seeded.compose(play -> {
      String url = play.getString("checkoutUrl");
      return Forms.redirect(rc, url != null ? url : "/play/" + playId);
    }).recover(e -> e instanceof ApiException api && api.status() < 500
        ? render(rc, api.status(), api.getMessage())
        : Future.failedFuture(e)).onFailure(rc::fail);
  }

  /**
   * "Call it off" before paying: the hosted session is expired and the cards freed at once, instead of staying held
   * until the sale-lock runs out. Paid meanwhile → the page says so and goes on to the reveal.
   */
  void callOff(RoutingContext rc) {
    Forms.requireThisSite(rc, TotPages.FOREIGN_FORM);
    String playId = rc.pathParam("id");
    cancel.cancel(playId).compose(x -> Forms.redirect(rc, "/play/" + playId))
        .recover(e -> e instanceof ApiException api && api.status() < 500
            ? render(rc, api.status(), api.getMessage())
            : Future.failedFuture(e)).onFailure(rc::fail);
  }

  private Future<Void> render(RoutingContext rc, int status, String notice) {
    String playId = rc.pathParam("id");
    return plays.json(playId).compose(play -> {
      List<Long> optionIds = new ArrayList<>();
      for (Object o : play.getJsonArray("options", new JsonArray())) {
        optionIds.add(((JsonObject) o).getLong("listingId"));
      }
      boolean revealed = play.getString("revealedAt") != null;
      Future<String> orderHref = revealed ? orders.linkOfPlay(playId) : Future.succeededFuture();
      return Future.all(listings.byIds(optionIds), orderHref).compose(x -> {
        Picked picked = "COMMITTED".equals(play.getString("status")) ? Picked.of(rc)
            : forget(rc, Picked.of(rc), optionIds);
        return pages.send(rc, status, play.getString("game").equals("FLIP") ? "Your flip" : "Your pull",
            picked.header(), "play.jte", view(rc, picked, play, x.resultAt(0), x.resultAt(1), notice));
      });
    });
  }

  /** A paid (or closed) play's listings leave the flip cart and the pull tray; the picks as they are now. */
  private static Picked forget(RoutingContext rc, Picked picked, List<Long> listingIds) {
    List<IdCookie> left = new ArrayList<>();
    for (IdCookie c : List.of(picked.flipCart(), picked.pullTray())) {
      IdCookie rest = c.without(listingIds);
      if (rest.size() != c.size()) {
        rest.save(rc);
      }
      left.add(rest);
    }
    return new Picked(left.get(0), left.get(1));
  }

  private static Views.PlayPage view(RoutingContext rc, Picked picked, JsonObject play, List<JsonObject> listed,
                                     String orderHref, String notice) {
    String playId = play.getString("playId");
    String status = play.getString("status");
    boolean revealed = play.getString("revealedAt") != null;
    Long winner = play.getLong("winnerListingId");
    Map<Long, JsonObject> byId = new HashMap<>();
    listed.forEach(l -> byId.put(l.getLong("id"), l));
    List<Views.Option> options = new ArrayList<>();
    List<Views.CardLine> won = new ArrayList<>();
    for (Object o : play.getJsonArray("options", new JsonArray())) {
      JsonObject option = (JsonObject) o;
      long id = option.getLong("listingId");
      JsonObject listing = byId.get(id);
      String title = listing == null ? "Listing " + id : Tile.of(listing, picked).title();
      boolean isWinner = winner != null && winner == id;
      options.add(new Views.Option(id, title, Money.usd(option.getLong("cardValue")), isWinner, "/listings/" + id));
      if (revealed && listing != null && ("FLIP".equals(play.getString("game")) || isWinner)) {
        won.addAll(Tile.cards(listing));
      }
    }
    boolean payable = "COMMITTED".equals(status) && play.getString("checkoutUrl") != null;
    boolean closed = "VOID".equals(status) || "FAILED".equals(status);
    boolean waiting = !revealed && !closed && ("1".equals(rc.queryParams().get("paid")) || !"COMMITTED".equals(status));
    String outcome = play.getString("outcome");
    Long amount = play.getLong("outcomeAmount");
    return new Views.PlayPage(playId, play.getString("game"), status, play.getString("seedHash"),
        play.getString("anchoredAt"), options, Money.usd(play.getLong("winPrice")),
        Money.usd(play.getLong("losePrice")), Money.usd(play.getLong("pullPrice")), Money.usd(play.getLong("amount")),
        play.getString("clientSeed"), payable && !waiting, "/play/" + playId + "/pay", waiting, revealed,
        revealed && "1".equals(rc.queryParams().get("reveal")), outcome, outcomeWords(play, options),
        Money.usd(amount), won, play.getString("serverSeed"), play.getString("outcomeBytes"),
        play.getString("recipe"), orderHref, closed ? closedNotice(status) : notice, "/api/play/" + playId, closed);
  }

  private static String outcomeWords(JsonObject play, List<Views.Option> options) {
    String outcome = play.getString("outcome");
    if (outcome == null) {
      return null;
    }
    if ("FLIP".equals(play.getString("game"))) {
      return "WIN".equals(outcome) ? "You won the flip: you pay the low price" : "You lost the flip: you pay the high price";
    }
    return options.stream().filter(Views.Option::winner).findFirst()
        .map(o -> "You pulled " + o.title()).orElse("Pulled");
  }

  private static String closedNotice(String status) {
    return "VOID".equals(status)
        ? "This play was called off before payment. You were not charged, and the cards are free to play again."
        : "This play's payment didn't go through. You were not charged.";
  }
}
