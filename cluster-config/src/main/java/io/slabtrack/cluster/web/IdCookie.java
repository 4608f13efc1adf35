package io.slabtrack.cluster.web;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A list of ids a buyer collects without an account (a shop's cart, ToT's flip cart and pull tray): one cookie,
 * ids in the order added, no server state. Only ids travel; prices and availability are read fresh on every page,
 * so a tampered cookie can do nothing but name things. Unreadable entries are dropped; at most {@code max} kept.
 */
public record IdCookie(String name, List<Long> ids, int max) {
  private static final Duration KEEP = Duration.ofDays(30);

  public IdCookie {
    ids = List.copyOf(ids);
  }

  public static IdCookie read(RoutingContext rc, String name, int max) {
    Cookie c = rc.request().getCookie(name);
    return new IdCookie(name, parse(c == null ? null : c.getValue(), max), max);
  }

  /** Ids written as this cookie writes them ({@code 3.7.12}): positive, each once, at most {@code max}. */
  public static List<Long> parse(String value, int max) {
    Set<Long> ids = new LinkedHashSet<>();
    if (value != null) {
      for (String part : value.split("\\.")) {
        try {
          long id = Long.parseLong(part);
          if (id > 0 && ids.size() < max) {
            ids.add(id);
          }
        } catch (NumberFormatException e) {
          // dropped
        }
      }
    }
    return List.copyOf(ids);
  }

  /** With {@code id} added at the end; unchanged when it is there already or the list is full. */
  public IdCookie with(long id) {
    if (ids.contains(id) || ids.size() >= max) {
      return this;
    }
    List<Long> more = new ArrayList<>(ids);
    more.add(id);
    return new IdCookie(name, more, max);
  }

  public IdCookie without(List<Long> gone) {
    List<Long> left = new ArrayList<>(ids);
    left.removeAll(gone);
    return new IdCookie(name, left, max);
  }

  public boolean contains(long id) {
    return ids.contains(id);
  }

  public int size() {
    return ids.size();
  }

  public boolean full() {
    return ids.size() >= max;
  }

  /** Writes this list into the response (an empty one removes the cookie). */
  public void save(RoutingContext rc) {
    String value = String.join(".", ids.stream().map(String::valueOf).toList());
    Cookie c = Cookie.cookie(name, value).setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.LAX)
        .setSecure(rc.request().isSSL()).setMaxAge(value.isEmpty() ? 0 : KEEP.toSeconds());
    rc.response().addCookie(c);
  }
}
