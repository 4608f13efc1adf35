package io.slabtrack.tot.pages;

import io.slabtrack.cluster.web.Money;
import io.slabtrack.cluster.web.OrderWords;
import io.slabtrack.tot.listings.ListingsQuery;
import io.slabtrack.tot.orders.BuyerOrders;
import io.slabtrack.tot.plays.Plays;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code GET /orders/{id}?token=…}: the buyer's private link (the receipt's), the order's state in the same words
 * as the Storefront's ({@link OrderWords}), its cards and the play it came from; refreshes itself while settling.
 */
final class OrderPage {
  private static final Set<String> SETTLING = Set.of("awaiting_confirmation");

  private final TotRenderer pages;
  private final BuyerOrders orders;
  private final Plays plays;
  private final ListingsQuery listings;

  OrderPage(TotRenderer pages, BuyerOrders orders, Plays plays, ListingsQuery listings) {
    this.pages = pages;
    this.orders = orders;
    this.plays = plays;
    this.listings = listings;
  }

  void show(RoutingContext rc) {
    String token = rc.queryParams().get("token");
    orders.find(rc.pathParam("id"), token).compose(order -> plays.json(order.getString("playId")).compose(play -> {
      List<Long> listingIds = new ArrayList<>();
      play.getJsonArray("options", new JsonArray()).forEach(o -> listingIds.add(((JsonObject) o).getLong("listingId")));
      return listings.byIds(listingIds).compose(found -> {
        List<Long> cardIds = new ArrayList<>();
        order.getJsonArray("cardIds").forEach(id -> cardIds.add(((Number) id).longValue()));
        List<Views.CardLine> cards = new ArrayList<>();
        found.forEach(l -> Tile.cards(l).stream().filter(c -> cardIds.contains(c.id())).forEach(cards::add));
        return pages.send(rc, 200, "Your order", Picked.of(rc).header(), "order.jte", view(order, cards, token));
      });
    })).onFailure(rc::fail);
  }

  static Views.OrderPage view(JsonObject order, List<Views.CardLine> cards, String token) {
    String state = order.getString("status");
    long captured = order.getLong("capturedCents", 0L);
    long refunded = order.getLong("refundedCents", 0L);
    OrderWords w = OrderWords.of(new OrderWords.Facts(state, captured > 0 ? captured : order.getLong("amount"),
        refunded, null, null, "ThisOrThat"));
    boolean shipment = order.getString("trackingNumber") != null
        && ("shipped".equals(state) || "delivered".equals(state));
    String id = order.getString("id");
    return new Views.OrderPage(id, id.substring(0, Math.min(8, id.length())).toUpperCase(Locale.ROOT), state,
        w.heading(), w.detail(), w.tone(), cards, Money.usd(captured > 0 ? captured : order.getLong("amount")),
        refunded > 0 ? Money.usd(refunded) : null, shipment ? order.getString("carrier") : null,
        shipment ? order.getString("trackingNumber") : null, SETTLING.contains(state), BuyerOrders.href(id, token),
        "/play/" + order.getString("playId"));
  }
}
