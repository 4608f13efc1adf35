package io.slabtrack.storefront.pages;

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
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MMMM d, yyyy", Locale.US)
      .withZone(ZoneOffset.UTC);

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
          : s.getValue("gradingCompany") + (s.getValue("grade") == null ? "" : " " + gradeText(s.getValue("grade")));
      return new Views.OrderLine(CardView.title(s, i.cardId()), grade, Money.usd(i.priceCents()),
          CardView.image(s, "frontImageThumb"), "/s/" + order.shop() + "/cards/" + i.cardId());
    }).toList();
    Words w = words(order);
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

  private record Words(String heading, String detail, String tone) {
  }

  /** Every state a buyer can meet, said the way a shop would say it. */
  private static Words words(Order o) {
    return switch (o.state()) {
      case "pending" -> new Words("Waiting for your payment",
          "Your cards are held for you while you pay on the payment page. If you already paid, this page updates in "
              + "a moment.", "warn");
      case "awaiting_confirmation" -> new Words("Payment received — confirming your cards",
          "Your payment is authorized. We're making sure every card is still yours; you're only charged once it is. "
              + "This takes a moment.", "warn");
      case "paid" -> new Words("Paid — thank you!",
          "Your order is confirmed and " + Money.usd(o.capturedCents() > 0 ? o.capturedCents() : o.amountCents())
              + " was charged. The shop will ship it soon; this page will show the tracking number.", "good");
      case "shipped" -> new Words("Shipped", "Your cards are on their way.", "good");
      case "delivered" -> new Words("Delivered",
          "Delivered" + (o.deliveredAt() == null ? "." : " on " + DAY.format(Instant.parse(o.deliveredAt())) + ".")
              + " Enjoy your cards!", "good");
      case "refunded" -> new Words("Refunded", Money.usd(o.refundedCents())
          + " was refunded to your card. It can take a few days to show on your statement.", "warn");
      case "disputed" -> new Words("Payment disputed",
          "Your bank has opened a dispute about this payment. The shop will be in touch.", "bad");
      case "cancelled" -> new Words("Order cancelled", cancelDetail(o.cancelReason()), "bad");
      default -> new Words(o.state(), "", "warn");
    };
  }

  private static String cancelDetail(String reason) {
    String notCharged = " You were not charged.";
    if (reason == null) {
      return "This order was cancelled." + notCharged;
    }
    return switch (reason) {
      case "sold_elsewhere" -> "A card in this order sold elsewhere moments before your payment was confirmed, so "
          + "the order was cancelled." + notCharged + " The hold on your card has been released.";
      case "buyer_cancelled" -> "You cancelled at the payment page." + notCharged;
      case "session_expired", "lock_expired" -> "The payment page expired before a payment was made." + notCharged;
      case "capture_failed" -> "We couldn't complete the payment, so the order was cancelled." + notCharged;
      default -> "This order was cancelled." + notCharged;
    };
  }

  private static String gradeText(Object grade) {
    if (grade instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return String.valueOf(n.longValue());
    }
    return String.valueOf(grade);
  }
}
