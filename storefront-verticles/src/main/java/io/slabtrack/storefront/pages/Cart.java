package io.slabtrack.storefront.pages;

import io.slabtrack.cluster.web.IdCookie;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** A buyer's cart in one shop: the card ids in a cookie per shop ({@code sf_cart_<slug>}, see {@link IdCookie}). */
record Cart(String slug, IdCookie cookie) {
  static final int MAX_CARDS = 50;

  static Cart of(RoutingContext rc, String slug) {
    return new Cart(slug, IdCookie.read(rc, "sf_cart_" + slug, MAX_CARDS));
  }

  List<Long> cardIds() {
    return cookie.ids();
  }

  Cart with(long cardId) {
    return new Cart(slug, cookie.with(cardId));
  }

  Cart without(List<Long> gone) {
    return new Cart(slug, cookie.without(gone));
  }

  boolean contains(long cardId) {
    return cookie.contains(cardId);
  }

  int size() {
    return cookie.size();
  }

  void save(RoutingContext rc) {
    cookie.save(rc);
  }
}
