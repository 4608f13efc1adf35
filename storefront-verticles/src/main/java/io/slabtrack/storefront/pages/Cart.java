package io.slabtrack.storefront.pages;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A buyer's cart in one shop: a cookie per shop ({@code sf_cart_<slug>}) holding card ids, no account and no
 * server state. Only ids travel; prices and availability are read fresh on every page, so a tampered cookie can
 * do nothing but name cards. Unreadable entries are dropped.
 */
record Cart(String slug, List<Long> cardIds) {
  static final int MAX_CARDS = 50;
  private static final Duration KEEP = Duration.ofDays(30);

  static Cart of(RoutingContext rc, String slug) {
    Cookie c = rc.request().getCookie(name(slug));
    Set<Long> ids = new LinkedHashSet<>();
    if (c != null) {
      for (String part : c.getValue().split("\\.")) {
        try {
          long id = Long.parseLong(part);
          if (id > 0 && ids.size() < MAX_CARDS) {
            ids.add(id);
          }
        } catch (NumberFormatException e) {
          // dropped
        }
      }
    }
    return new Cart(slug, List.copyOf(ids));
  }

  Cart with(long cardId) {
    if (cardIds.contains(cardId) || cardIds.size() >= MAX_CARDS) {
      return this;
    }
    List<Long> more = new ArrayList<>(cardIds);
    more.add(cardId);
    return new Cart(slug, more);
  }

  Cart without(List<Long> gone) {
    List<Long> left = new ArrayList<>(cardIds);
    left.removeAll(gone);
    return new Cart(slug, left);
  }

  boolean contains(long cardId) {
    return cardIds.contains(cardId);
  }

  int size() {
    return cardIds.size();
  }

  /** Writes this cart into the response (an empty cart removes the cookie). */
  void save(RoutingContext rc) {
    String value = String.join(".", cardIds.stream().map(String::valueOf).toList());
    Cookie c = Cookie.cookie(name(slug), value).setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.LAX)
        .setSecure(rc.request().isSSL()).setMaxAge(value.isEmpty() ? 0 : KEEP.toSeconds());
    rc.response().addCookie(c);
  }

  private static String name(String slug) {
    return "sf_cart_" + slug;
  }
}
