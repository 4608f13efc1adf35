package io.slabtrack.storefront.pages;

import io.slabtrack.cluster.web.Links;
import io.vertx.core.MultiMap;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shop page's filters as they stand in its URL ({@code ?q=&player=&set=&year=&grader=&grade=&min=&max=&page=},
 * prices in dollars as a person types them), turned into the card API's filter names. A value that can't mean
 * anything (a price of "abc") is left out rather than failing the page; every link (pages, clear) keeps the rest.
 */
public record ShopFilters(String q, String player, String set, String year, String grader, String grade,
                          String min, String max, int page) {
  static final int PAGE_SIZE = 24;
  private static final int MAX_PAGE = 10_000;

  static ShopFilters of(MultiMap params) {
    return new ShopFilters(text(params, "q"), text(params, "player"), text(params, "set"),
        matching(params, "year", "^[0-9]{4}$"), matching(params, "grader", "^[A-Za-z]{2,10}$"),
        matching(params, "grade", "^(10|[1-9](\\.5)?)$"), dollars(params, "min"), dollars(params, "max"),
        page(params.get("page")));
  }

  /** The names {@code Cards.browse} takes (the JSON API's query names). */
  MultiMap apiFilters() {
    MultiMap m = MultiMap.caseInsensitiveMultiMap();
    put(m, "q", q);
    put(m, "player", player);
    put(m, "set", set);
    put(m, "year", year);
    put(m, "gradingCompany", grader);
    put(m, "grade", grade);
    put(m, "minPrice", cents(min));
    put(m, "maxPrice", cents(max));
    m.add("limit", String.valueOf(PAGE_SIZE));
    m.add("offset", String.valueOf((page - 1) * PAGE_SIZE));
    return m;
  }

  public boolean active() {
    return q != null || player != null || set != null || year != null || grader != null || grade != null
        || min != null || max != null;
  }

  /** The shop page with these filters on page {@code n}. */
  public String href(String slug, int n) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("q", q);
    p.put("player", player);
    p.put("set", set);
    p.put("year", year);
    p.put("grader", grader);
    p.put("grade", grade);
    p.put("min", min);
    p.put("max", max);
    p.put("page", n > 1 ? String.valueOf(n) : null);
    return "/s/" + slug + Links.query(p);
  }

  public String value(String v) {
    return v == null ? "" : v;
  }

  private static void put(MultiMap m, String name, String value) {
    if (value != null) {
      m.add(name, value);
    }
  }

  private static String text(MultiMap params, String name) {
    String v = params.get(name);
    if (v == null || v.isBlank()) {
      return null;
    }
    v = v.strip();
    return v.length() > 100 ? v.substring(0, 100) : v;
  }

  private static String matching(MultiMap params, String name, String regex) {
    String v = text(params, name);
    return v != null && v.matches(regex) ? v : null;
  }

  private static String dollars(MultiMap params, String name) {
    String v = text(params, name);
    if (v == null) {
      return null;
    }
    try {
      BigDecimal d = new BigDecimal(v.replace("$", "").replace(",", ""));
      return d.signum() < 0 || d.scale() > 2 || d.compareTo(BigDecimal.valueOf(10_000_000)) > 0 ? null
          : d.stripTrailingZeros().toPlainString();
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String cents(String dollars) {
    return dollars == null ? null : new BigDecimal(dollars).movePointRight(2).toBigInteger().toString();
  }

  private static int page(String v) {
    try {
      int n = Integer.parseInt(v);
      return n >= 1 && n <= MAX_PAGE ? n : 1;
    } catch (NumberFormatException e) {
      return 1;
    }
  }
}
