package io.slabtrack.storefront.pages;

import io.slabtrack.cluster.web.CardWords;
import io.slabtrack.cluster.web.Money;
import io.slabtrack.cluster.web.OrderWords;
import io.slabtrack.storefront.orders.Checkout;
import io.slabtrack.storefront.orders.Order;
import io.slabtrack.storefront.orders.OrderItem;
import io.slabtrack.storefront.shops.Shop;
import io.slabtrack.storefront.shops.Shops;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code GET /orders/{id}?token=…}: where the payment page sends the buyer back, and the link in their mail. The
 * order's state in words; while it settles (waiting for the payment or core's confirmation) it refreshes itself.
 * The cards of a paid order leave the buyer's cart.
 */
final class OrderPage {
  private static final Set<String> SETTLING = Set.of("pending", "awaiting_confirmation");

  private final PageRenderer pages;
  private final Shops shops;
  private final Checkout checkout;

  OrderPage(PageRenderer pages, Shops shops, Checkout checkout) {
    this.pages = pages;
    this.shops = shops;
    this.checkout = checkout;
  }

  static String href(Order order) {
    return href(order.id(), order.buyerToken());
  }

  static String href(String orderId, String token) {
    return Checkout.ORDER_PATH.replace(":orderId", orderId) + "?token="
        + URLEncoder.encode(token, StandardCharsets.UTF_8);
  }

  void show(RoutingContext rc) {
    checkout.forBuyer(rc.pathParam("orderId"), rc.queryParams().get("token")).compose(order -> {
      Future<Shop> shop = shops.get(order.shop());
      Future<List<OrderItem>> items = checkout.items(order.id());
      return Future.all(shop, items).compose(x -> {
        Cart cart = Cart.of(rc, order.shop());
        if (!"pending".equals(order.state())) {
          PendingCheckout.forget(rc, order.shop());
        }
        if (!SETTLING.contains(order.state()) && !"cancelled".equals(order.state())) {
          cart = cart.without(order.cardIds());
          cart.save(rc);
        }
        return pages.send(rc, 200, "Your order · " + shop.result().name(), ShopTheme.of(shop.result().theme()),
            Views.Header.of(order.shop(), shop.result().name(), cart.size()), "order.jte",
            view(order, items.result()));
      });
    }).onFailure(rc::fail);
  }

  static Views.OrderPage view(Order order, List<OrderItem> items) {
    List<Views.OrderLine> lines = items.stream().map(i -> {
      JsonObject s = i.snapshot() == null ? new JsonObject() : i.snapshot();
      String grade = s.getValue("gradingCompany") == null ? null
          : s.getValue("gradingCompany") + (s.getValue("grade") == null ? "" : " " + CardWords.grade(s.getValue("grade")));
      return new Views.OrderLine(CardView.title(s, i.cardId()), grade, Money.usd(i.priceCents()),
          CardView.image(s, "frontImageThumb"), "/s/" + order.shop() + "/cards/" + i.cardId());
    }).toList();
    OrderWords w = words(order);
    JsonObject shipment = order.shipment();
    boolean shownShipment = shipment != null && ("shipped".equals(order.state()) || "delivered".equals(order.state()));
    String pay = "pending".equals(order.state()) && order.checkoutUrl() != null ? order.checkoutUrl() : null;
    return new Views.OrderPage(order.id(), order.id().substring(0, 8).toUpperCase(Locale.ROOT), order.state(),
        w.heading(), w.detail(), w.tone(), lines, Money.usd(order.amountCents()),
        order.refundedCents() > 0 ? Money.usd(order.refundedCents()) : null,
        shownShipment ? shipment.getString("carrier") : null,
        shownShipment ? shipment.getString("trackingNumber") : null, "/s/" + order.shop(), pay,
        SETTLING.contains(order.state()), href(order));
  }

  private static OrderWords words(Order o) {
    return OrderWords.of(new OrderWords.Facts(o.state(), o.capturedCents() > 0 ? o.capturedCents() : o.amountCents(),
        o.refundedCents(), o.deliveredAt(), o.cancelReason(), "The shop"));
  }
}
