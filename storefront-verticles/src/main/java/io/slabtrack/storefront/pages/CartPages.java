package io.slabtrack.storefront.pages;

import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.salelock.SaleLock;
import io.slabtrack.cluster.salelock.SaleLocks;
import io.slabtrack.cluster.web.Forms;
import io.slabtrack.cluster.web.Links;
import io.slabtrack.cluster.web.Money;
import io.slabtrack.cluster.web.ShippingForm;
import io.slabtrack.storefront.cards.CardRoutes;
import io.slabtrack.storefront.cards.Cards;
import io.slabtrack.storefront.cards.StorefrontCard;
import io.slabtrack.storefront.orders.CheckoutRequest;
import io.slabtrack.storefront.orders.Orders;
import io.slabtrack.storefront.shops.Shop;
import io.slabtrack.storefront.shops.Shops;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cart (a cookie, see {@link Cart}), the checkout form and the way back from the payment page's Cancel.
 * The form is checked by the API's own rules ({@link ShippingForm}) and the order started by the same
 * {@code Checkout} as {@code POST /api/storefronts/{slug}/checkout}; the buyer then pays on the hosted page.
 */
final class CartPages {
  private static final Set<String> NOTES = Set.of("cancelled", "sold", "closed", "unavailable");

  private final PageRenderer pages;
  private final Shops shops;
  private final Cards cards;
  private final Orders orders;
  private final SaleLocks locks;

  CartPages(PageRenderer pages, Shops shops, Cards cards, Orders orders, SaleLocks locks) {
    this.pages = pages;
    this.shops = shops;
    this.cards = cards;
    this.orders = orders;
    this.locks = locks;
  }

  void view(RoutingContext rc) {
    String slug = rc.pathParam("slug");
    Cart cart = Cart.of(rc, slug);
    String asked = rc.queryParams().get("note");
    String note = asked != null && NOTES.contains(asked) ? asked : null;
    shops.get(slug).compose(shop -> PendingCheckout.find(rc, slug, orders.checkout()).compose(pending ->
        lines(slug, cart, pending).compose(lines -> {
          long total = lines.stream().filter(Views.CartLine::ok).mapToLong(l -> l.card().priceCents()).sum();
          int buyable = (int) lines.stream().filter(Views.CartLine::ok).count();
          return pages.send(rc, 200, "Cart · " + shop.name(), ShopTheme.of(shop.theme()),
              Views.Header.of(slug, shop.name(), cart.size()), "cart.jte",
              new Views.CartPage(slug, lines, Money.usd(total), buyable, shop.acceptingOrders(), note,
                  pending == null ? null : pending.order().checkoutUrl()));
        }))).onFailure(rc::fail);
  }

  /**
   * The cart's cards as they stand now, in the order they were added: sold (here, or elsewhere and taken down by
   * core), no longer offered, or held by someone else's checkout are flagged and left out of the total; cards
   * held by the buyer's own pending checkout are not.
   */
  private Future<List<Views.CartLine>> lines(String slug, Cart cart, PendingCheckout.Pending pending) {
    String ownLockRef = pending == null ? null : pending.order().lockRef();
    return cards.inShop(slug, cart.cardIds()).compose(found -> locks.holders(cart.cardIds())
        .otherwise(e -> Map.of()) // the lock map unreachable: show the cart without the "held" flag
        .map(held -> {
          Map<Long, StorefrontCard> byId = new HashMap<>();
          found.forEach(c -> byId.put(c.cardId(), c));
          List<Views.CartLine> out = new ArrayList<>();
          for (Long id : cart.cardIds()) {
            StorefrontCard card = byId.get(id);
            if (card != null) {
              SaleLock lock = held.get(id);
              out.add(new Views.CartLine(CardView.of(slug, card),
                  flag(card, lock != null && lock.lockRef().equals(ownLockRef) ? null : lock)));
            }
          }
          return out;
        }));
  }

  private static String flag(StorefrontCard card, SaleLock lock) {
    if ("sold".equals(card.status()) || "sold_elsewhere".equals(card.disengageReason())) {
      return "sold";
    }
    if (!card.buyable()) {
      return "unavailable";
    }
    return lock != null ? "held" : null;
  }

  /** {@code POST /s/:slug/cart}: add one card; with {@code buy=now} straight on to checkout. */
  void add(RoutingContext rc) {
    Forms.requireThisSite(rc, StorefrontPages.FOREIGN_FORM);
    String slug = rc.pathParam("slug");
    long cardId = CardRoutes.cardId(rc.request().getFormAttribute("cardId"));
    boolean buyNow = "now".equals(rc.request().getFormAttribute("buy"));
    String back = backPath(slug, rc.request().getFormAttribute("back"));
    Cart cart = Cart.of(rc, slug);
    shops.get(slug).compose(shop -> cards.inShop(slug, List.of(cardId))).onSuccess(found -> {
      if (found.isEmpty() || !found.get(0).buyable()) {
        Forms.redirect(rc, "/s/" + slug + "/cart?note=unavailable");
        return;
      }
      Cart more = cart.with(cardId);
      more.save(rc);
      if ("fetch".equals(rc.request().getHeader("X-Requested-With"))) {
        rc.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .end(new JsonObject().put("cartCount", more.size()).encode());
        return;
      }
      Forms.redirect(rc, buyNow ? "/s/" + slug + "/checkout" : back);
    }).onFailure(rc::fail);
  }

  void remove(RoutingContext rc) {
    Forms.requireThisSite(rc, StorefrontPages.FOREIGN_FORM);
    String slug = rc.pathParam("slug");
    long cardId = CardRoutes.cardId(rc.request().getFormAttribute("cardId"));
    Cart.of(rc, slug).without(List.of(cardId)).save(rc);
    Forms.redirect(rc, "/s/" + slug + "/cart");
  }

  void checkoutForm(RoutingContext rc) {
    String slug = rc.pathParam("slug");
    shops.get(slug).compose(shop -> PendingCheckout.find(rc, slug, orders.checkout())
        .compose(pending -> buyableLines(rc, slug, pending)).compose(lines -> lines.isEmpty()
        ? Forms.redirect(rc, "/s/" + slug + "/cart")
        : form(rc, shop, lines, 200, ShippingForm.blank(), ShippingForm.newKey(), null)))
        .onFailure(rc::fail);
  }

  /** Valid → the order and its hosted payment page (303); invalid → the form again with each field's error. */
  void checkoutSubmit(RoutingContext rc) {
    Forms.requireThisSite(rc, StorefrontPages.FOREIGN_FORM);
    String slug = rc.pathParam("slug");
    ShippingForm form = ShippingForm.of(rc.request().formAttributes());
    shops.get(slug).compose(shop -> PendingCheckout.find(rc, slug, orders.checkout()).compose(pending ->
        buyableLines(rc, slug, pending).compose(lines -> {
      if (lines.isEmpty()) {
        return Forms.redirect(rc, "/s/" + slug + "/cart");
      }
      List<Long> ids = lines.stream().map(l -> l.card().id()).toList();
      Map<String, String> errors = form.errors(body(form, ids), CheckoutRequest::parse);
      if (!errors.isEmpty()) {
        return form(rc, shop, lines, 422, form.fields(errors), form.key(), null);
      }
      // the buyer's earlier checkout holds its cards: the same one goes on, a different one replaces it
      Future<?> earlier = pending == null || pending.startedBy(form.key()) ? Future.succeededFuture()
          : orders.cancels().cancel(pending.order().id(), pending.order().buyerToken())
              // paid meanwhile in another tab: its cards are sold, and the new checkout says so
              .recover(e -> e instanceof ApiException api && api.status() == 409 ? Future.succeededFuture()
                  : Future.failedFuture(e));
      return earlier.compose(x -> orders.startCheckout(rc, slug, CheckoutRequest.parse(body(form, ids)), "page-" + form.key()))
          .compose(order -> {
            if ("cancelled".equals(order.state()) || order.checkoutUrl() == null) {
              return Forms.redirect(rc, "/s/" + slug + "/cart?note=cancelled");
            }
            PendingCheckout.remember(rc, order, form.key());
            return Forms.redirect(rc, order.checkoutUrl());
          })
          .recover(e -> {
            if (!(e instanceof ApiException api) || api.status() >= 500 && api.status() != 503) {
              return Future.failedFuture(e);
            }
            if (api.status() == 409) {
              String note = "not_accepting_orders".equals(api.code()) ? "closed" : "sold";
              return Forms.redirect(rc, "/s/" + slug + "/cart?note=" + note);
            }
            if (api.status() == 429 && api.details() != null && api.details().containsKey("retryAfterSeconds")) {
              // the buyer limits (README, "Buyer limits and cancelling"): the form says so, the header says when
              rc.response().putHeader("Retry-After", String.valueOf(api.details().getValue("retryAfterSeconds")));
            }
            return form(rc, shop, lines, api.status(), form.fields(Map.of()), form.key(), api.getMessage());
          });
    }))).onFailure(rc::fail);
  }

  /**
   * Stripe's cancel URL ({@code OrderCancel.STRIPE_PATH}, {@code /orders/{id}/cancel?token=}): the buyer's pending
   * order is cancelled and its cards released now (the API's own cancel), then back to the cart with a note. An
   * order that was paid after all (or is still being set up) leads to its order page, which says which.
   */
  void cancelled(RoutingContext rc) {
    String orderId = rc.pathParam("orderId");
    String token = rc.queryParams().get("token");
    orders.cancels().cancel(orderId, token).compose(order -> {
      PendingCheckout.forget(rc, order.shop());
      return Forms.redirect(rc, "/s/" + order.shop() + "/cart?note=cancelled");
    }).recover(e -> e instanceof ApiException api && api.status() == 409
        ? Forms.redirect(rc, OrderPage.href(orderId, token))
        : Future.failedFuture(e)).onFailure(rc::fail);
  }

  private Future<List<Views.CartLine>> buyableLines(RoutingContext rc, String slug,
                                                   PendingCheckout.Pending pending) {
    return lines(slug, Cart.of(rc, slug), pending).map(all -> all.stream().filter(Views.CartLine::ok).toList());
  }

  /** The API body of the checkout of these cards. */
  private static JsonObject body(ShippingForm form, List<Long> cardIds) {
    return form.body().put("cardIds", new JsonArray(List.copyOf(cardIds)));
  }

  private Future<Void> form(RoutingContext rc, Shop shop, List<Views.CartLine> lines, int status,
                            ShippingForm.Fields fields, String key, String notice) {
    List<CardView> cardsInOrder = lines.stream().map(Views.CartLine::card).toList();
    long total = cardsInOrder.stream().mapToLong(CardView::priceCents).sum();
    return pages.send(rc, status, "Checkout · " + shop.name(), ShopTheme.of(shop.theme()),
        Views.Header.of(shop.slug(), shop.name(), Cart.of(rc, shop.slug()).size()), "checkout.jte",
        new Views.CheckoutPage(shop.slug(), cardsInOrder, Money.usd(total), pages.web().part("shipping-fields.jte",
            fields), fields.error("form"), key, notice));
  }

  /** Where "Add to cart" returns to: a page of this shop, nothing else (no open redirect). */
  static String backPath(String slug, String back) {
    String home = "/s/" + slug;
    if (!Links.localPath(back) || !(back.equals(home) || back.startsWith(home + "/") || back.startsWith(home + "?"))) {
      return home + "/cart";
    }
    return back;
  }


}
