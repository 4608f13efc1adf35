package io.slabtrack.tot.pages;

import io.slabtrack.cluster.web.Links;
import io.slabtrack.cluster.web.Money;
import io.slabtrack.tot.listings.ListingsQuery;
import io.vertx.core.MultiMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The browse page's filters as the URL carries them ({@code kind}, {@code player}, {@code set}, {@code q},
 * {@code min} and {@code max} in dollars, {@code page}), turned into the listing query's filter. A value range a
 * person mistyped is left out and said so ({@code problem}), not a 400.
 */
public record BrowseFilters(String kind, String player, String set, String q, String min, String max, int page,
                            String problem) {
  static final int MAX_TEXT = 100;

  static BrowseFilters of(MultiMap params) {
    String kind = text(params.get("kind"));
    if (kind != null && !kind.equals("single") && !kind.equals("lot")) {
      kind = null;
    }
    int page = 1;
    try {
      page = Math.max(1, Math.min(10_000, Integer.parseInt(params.get("page"))));
    } catch (NumberFormatException e) {
      // page 1
    }
    String min = text(params.get("min"));
    String max = text(params.get("max"));
    String problem = null;
    for (String amount : new String[] {min, max}) {
      try {
        Money.parse(amount);
      } catch (NumberFormatException e) {
        problem = "“" + amount + "” isn't a dollar amount, so the value range is left out.";
      }
    }
    return new BrowseFilters(kind, text(params.get("player")), text(params.get("set")), text(params.get("q")), min,
        max, page, problem);
  }

  ListingsQuery.Filter query() {
    Long lo = null;
    Long hi = null;
    if (problem == null) {
      lo = Money.parse(min);
      hi = Money.parse(max);
    }
    return new ListingsQuery.Filter(kind, lo, hi, player, set, q);
  }

  public boolean active() {
    return player != null || set != null || q != null || min != null || max != null;
  }

  public String value(String v) {
    return v == null ? "" : v;
  }

  /** This search's URL with another kind (null: all) and page, the other filters kept. */
  String href(String otherKind, int otherPage) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("kind", otherKind);
    p.put("player", player);
    p.put("set", set);
    p.put("q", q);
    p.put("min", min);
    p.put("max", max);
    p.put("page", otherPage > 1 ? String.valueOf(otherPage) : null);
    return "/" + Links.query(p);
  }

  private static String text(String v) {
    if (v == null || v.isBlank()) {
      return null;
    }
    String t = v.strip();
    return t.length() > MAX_TEXT ? t.substring(0, MAX_TEXT) : t;
  }
}
