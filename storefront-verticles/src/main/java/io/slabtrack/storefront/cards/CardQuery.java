package io.slabtrack.storefront.cards;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.validation.Paging;
import io.vertx.core.MultiMap;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;

/**
 * The buyer's card list query: filters by player, set, year, grader and grade, price range, featured and text;
 * limit/offset paging. The API passes its query string, the shop page the same names built from its form.
 * {@link #key()} names the answer in the browse cache (same filters, same key, whatever their order in the URL).
 */
record CardQuery(String where, Tuple args, int limit, int offset) {
  static final int DEFAULT_LIMIT = 24;

  static CardQuery of(String shop, MultiMap rc) {
    StringBuilder sql = new StringBuilder();
    Tuple args = Tuple.of(shop);
    String player = param(rc, "player");
    if (player != null) {
      args.addString("%" + like(player) + "%");
      sql.append(" AND snapshot->>'player' ILIKE $").append(args.size());
    }
    String set = param(rc, "set");
    if (set != null) {
      args.addString("%" + like(set) + "%");
      sql.append(" AND snapshot->>'setName' ILIKE $").append(args.size());
    }
    String year = param(rc, "year");
    if (year != null) {
      args.addString(year);
      // the stored column (V20) the facets list: one definition of a card's year for both
      sql.append(" AND facet_year = $").append(args.size());
    }
    if ("true".equals(param(rc, "featured"))) {
      sql.append(" AND featured");
    }
    String grade = param(rc, "grade");
    if (grade != null) {
      args.addValue(decimal("grade", grade));
      // a snapshot whose grade isn't a number simply doesn't match (no cast error for the whole list)
      sql.append(" AND (CASE WHEN snapshot->>'grade' ~ '^[0-9]+(\\.[0-9]+)?$' THEN (snapshot->>'grade')::numeric END) = $")
          .append(args.size());
    }
    String company = param(rc, "gradingCompany");
    if (company != null) {
      args.addString(company);
      sql.append(" AND facet_grader = upper($").append(args.size()).append(")");
    }
    Long min = cents(rc, "minPrice");
    if (min != null) {
      args.addLong(min);
      sql.append(" AND ").append(CardSql.EFFECTIVE_PRICE).append(" >= $").append(args.size());
    }
    Long max = cents(rc, "maxPrice");
    if (max != null) {
      args.addLong(max);
      sql.append(" AND ").append(CardSql.EFFECTIVE_PRICE).append(" <= $").append(args.size());
    }
    String q = param(rc, "q");
    if (q != null) {
      args.addString("%" + like(q) + "%");
      int n = args.size();
      sql.append(" AND concat_ws(' ', snapshot->>'player', snapshot->>'year', snapshot->>'setName', ")
          .append("snapshot->>'cardNumber', snapshot->>'parallel', snapshot->>'gradingCompany') ILIKE $").append(n);
    }
    Paging paging = Paging.of(rc, DEFAULT_LIMIT);
    int limit = paging.limit();
    int offset = paging.offset();
    return new CardQuery(sql.toString(), args, limit, offset);
  }

  /** No filter but the shop: the total is the shop's maintained count of buyable cards. */
  boolean filtered() {
    return !where.isEmpty();
  }

  /** The page's SQL; {@code counted}: with the number of matches as column {@code total} (filtered lists). */
  String sql(boolean counted) {
    int n = args.size();
    return (counted ? CardSql.BROWSE_COUNTED : CardSql.BROWSE) + where + CardSql.BROWSE_ORDER
        + " LIMIT $" + (n + 1) + " OFFSET $" + (n + 2);
  }

  Tuple pageArgs() {
    Tuple t = Tuple.tuple();
    for (int i = 0; i < args.size(); i++) {
      t.addValue(args.getValue(i));
    }
    return t.addInteger(limit).addInteger(offset);
  }

  String key() {
    StringBuilder k = new StringBuilder(where).append('|').append(limit).append('|').append(offset);
    for (int i = 1; i < args.size(); i++) {
      k.append('|').append(args.getValue(i));
    }
    return k.toString();
  }

  private static String param(MultiMap rc, String name) {
    String v = rc.get(name);
    if (v == null || v.isBlank()) {
      return null;
    }
    if (v.length() > 200) {
      throw ApiErrors.invalidField(name, name + " is too long");
    }
    return v.strip();
  }

  private static String like(String s) {
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  private static BigDecimal decimal(String name, String v) {
    try {
      return new BigDecimal(v);
    } catch (NumberFormatException e) {
      throw ApiErrors.invalidField(name, name + " must be a number");
    }
  }

  private static Long cents(MultiMap rc, String name) {
    String v = param(rc, name);
    if (v == null) {
      return null;
    }
    try {
      long c = Long.parseLong(v);
      if (c >= 0) {
        return c;
      }
    } catch (NumberFormatException e) {
      // the 400 below
    }
    throw ApiErrors.invalidField(name, name + " must be whole cents >= 0");
  }
}
