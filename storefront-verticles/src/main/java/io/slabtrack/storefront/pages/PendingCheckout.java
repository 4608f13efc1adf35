package io.slabtrack.storefront.pages;

import io.slabtrack.storefront.orders.Checkout;
import io.slabtrack.storefront.orders.Order;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * The buyer's own checkout in progress in one shop ({@code sf_pending_<slug>} = order id and buyer token), so the
 * cart knows which held cards are held for this buyer, offers the way back to the payment page, and a new checkout
 * of other cards first cancels the old one instead of waiting for its locks to run out.
 */
final class PendingCheckout {
  private static final Duration KEEP = Duration.ofHours(1);

  private PendingCheckout() {
  }

  /** The order, and the form key that started it (a resubmitted form is the same checkout, not a new one). */
  record Pending(Order order, String formKey) {
    boolean startedBy(String key) {
      return formKey.equals(key);
    }
  }

  static void remember(RoutingContext rc, Order order, String formKey) {
    rc.response().addCookie(cookie(rc, order.shop(), order.id() + "." + order.buyerToken() + "." + formKey,
        KEEP.toSeconds()));
  }

  static void forget(RoutingContext rc, String slug) {
    if (rc.request().getCookie(name(slug)) != null) {
      rc.response().addCookie(cookie(rc, slug, "", 0));
    }
  }

  /** The buyer's checkout of this shop that is still waiting for payment, or null. */
  static Future<Pending> find(RoutingContext rc, String slug, Checkout checkout) {
    Cookie c = rc.request().getCookie(name(slug));
    String[] parts = c == null ? new String[0] : c.getValue().split("\\.");
    if (parts.length != 3) {
      return Future.succeededFuture();
    }
    return checkout.forBuyer(parts[0], parts[1])
        .map(order -> order.shop().equals(slug) && "pending".equals(order.state()) ? new Pending(order, parts[2])
            : null)
        .otherwise((Pending) null);
  }

  private static Cookie cookie(RoutingContext rc, String slug, String value, long maxAge) {
    return Cookie.cookie(name(slug), value).setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.LAX)
        .setSecure(rc.request().isSSL()).setMaxAge(maxAge);
  }

  private static String name(String slug) {
    return "sf_pending_" + slug;
  }
}
