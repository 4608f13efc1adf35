package io.slabtrack.core.cards;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.validation.Paging;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/cards} as SQL: filters, a sort, and keyset pagination. The cursor is the sort key and id of the
 * last card of the page, so a page costs the same wherever it is and cards inserted meanwhile don't shift pages.
 */
public final class CardQuery {
  public static final int DEFAULT_LIMIT = Paging.DEFAULT_LIMIT;
  public static final int MAX_LIMIT = Paging.MAX_LIMIT;

  /** Sort name → SQL key, the cast of its cursor value, and the JSON field it is read back from. */
  private record Sort(String sql, String cast, String field) {
  }

  private static final Map<String, Sort> SORTS = Map.of(
      "id", new Sort("c.id", "bigint", "id"),
      "askingPrice", new Sort("coalesce(c.asking_price, -1)", "bigint", "askingPrice"),
      "year", new Sort("coalesce(c.year, 0)", "int", "year"),
      "player", new Sort("lower(c.player)", "text", "player"),
      "updatedAt", new Sort("c.updated_at", "timestamptz", "updatedAt"));

  private final List<String> where = new ArrayList<>();
  private final List<Object> params = new ArrayList<>();
  private final String sortName;
  private final Sort sort;
  private final boolean desc;
  private final int limit;
  private JsonObject cursor;

  private CardQuery(String sortParam, int limit) {
    this.desc = sortParam.startsWith("-");
    this.sortName = desc ? sortParam.substring(1) : sortParam;
    this.sort = SORTS.get(sortName);
    if (sort == null) {
      throw ApiErrors.invalidField("sort", "sort must be one of " + SORTS.keySet() + ", with - for descending");
    }
    this.limit = limit;
  }

  /** Parses the query string; the OpenAPI validator has already checked types and ranges. */
  public static CardQuery from(MultiMap q) {
    int limit = Paging.limit(q.get("limit"), DEFAULT_LIMIT);
    CardQuery query = new CardQuery(q.get("sort") == null ? "id" : q.get("sort"), limit);
    query.contains("c.player", q.get("player"));
    query.contains("c.set_name", q.get("set"));
    query.contains("c.team", q.get("team"));
    query.equal("c.sport", q.get("sport"));
    query.equal("c.year", q.get("year") == null ? null : Integer.valueOf(q.get("year")));
    query.equal("upper(c.grading_company)", q.get("grader") == null ? null : q.get("grader").toUpperCase());
    query.equal("c.grade", q.get("grade") == null ? null : new java.math.BigDecimal(q.get("grade")));
    query.equal("c.listing_status", q.get("status"));
    if (q.get("channel") != null) {
      query.params.add(q.get("channel"));
      query.where.add("EXISTS (SELECT 1 FROM card_channels f WHERE f.card_id = c.id AND f.status = 'active'"
          + " AND f.channel = $" + query.params.size() + ")");
    }
    query.compare("c.asking_price >= ", q.get("minPrice") == null ? null : Long.valueOf(q.get("minPrice")));
    query.compare("c.asking_price <= ", q.get("maxPrice") == null ? null : Long.valueOf(q.get("maxPrice")));
    String text = q.get("q");
    if (text != null && !text.isBlank()) {
      query.params.add("%" + like(text.strip()) + "%");
      String p = "$" + query.params.size();
      query.where.add("(c.player ILIKE " + p + " OR c.set_name ILIKE " + p + " OR c.card_number ILIKE " + p
          + " OR c.cert_number ILIKE " + p + " OR c.parallel ILIKE " + p + ")");
    }
    if (q.get("cursor") != null) {
      query.cursor = decode(q.get("cursor"), query.sortName);
    }
    return query;
  }

  /** Only cards of this owner (a vendor's view of the inventory). */
  public void ownedBy(String ownerId) {
    equal("c.owner_id", ownerId);
  }

  private void contains(String column, String value) {
    if (value != null && !value.isBlank()) {
      params.add("%" + like(value.strip()) + "%");
      where.add(column + " ILIKE $" + params.size());
    }
  }

  private void equal(String column, Object value) {
    compare(column + " = ", value);
  }

  private void compare(String lhs, Object value) {
    if (value != null) {
      params.add(value);
      where.add(lhs + "$" + params.size());
    }
  }

  public String countSql() {
    return "SELECT count(*) AS total FROM cards_priced c" + whereClause(where);
  }

  public Tuple countParams() {
    return Tuple.from(params);
  }

  public String pageSql() {
    List<String> all = new ArrayList<>(where);
    int n = params.size();
    if (cursor != null) {
      String value = "$" + (n + 1) + "::" + sort.cast();
      // the key is compared as the database computes it (lower() by PostgreSQL's rules, not Java's)
      String key = "player".equals(sortName) ? "lower(" + value + ")" : value;
      all.add("(" + sort.sql() + ", c.id) " + (desc ? "<" : ">") + " (" + key + ", $" + (n + 2) + "::bigint)");
    }
    String dir = desc ? " DESC" : " ASC";
    return CardSql.SELECT_CARD + whereClause(all) + " ORDER BY " + sort.sql() + dir + ", c.id" + dir
        + " LIMIT " + (limit + 1);
  }

  public Tuple pageParams() {
    List<Object> all = new ArrayList<>(params);
    if (cursor != null) {
      all.add(typed(cursor.getValue("v")));
      all.add(cursor.getLong("id"));
    }
    return Tuple.from(all);
  }

  /** The cursor's value as the type its placeholder is cast to (prepared statements don't coerce). */
  private Object typed(Object v) {
    if (v == null) {
      return null;
    }
    return switch (sort.cast()) {
      case "bigint" -> ((Number) v).longValue();
      case "int" -> ((Number) v).intValue();
      case "timestamptz" -> java.time.OffsetDateTime.parse(v.toString());
      default -> v.toString();
    };
  }

  public int limit() {
    return limit;
  }

  /** The cursor after {@code last} (the page's last card), or null when there are no more pages. */
  public String nextCursor(JsonObject last) {
    Object v = last.getValue(sort.field());
    if ("askingPrice".equals(sortName) && v == null) {
      v = -1;
    } else if ("year".equals(sortName) && v == null) {
      v = 0;
    }
    JsonObject c = new JsonObject().put("s", sortName).put("v", v).put("id", last.getLong("id"));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(c.encode().getBytes(StandardCharsets.UTF_8));
  }

  private static JsonObject decode(String cursor, String sortName) {
    try {
      JsonObject c = new JsonObject(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
      if (!sortName.equals(c.getString("s")) || c.getLong("id") == null
          || ("player".equals(sortName) || "updatedAt".equals(sortName)) != (c.getValue("v") instanceof String)) {
        throw new IllegalArgumentException("cursor of another sort");
      }
      return c;
    } catch (RuntimeException e) {
      // includes a value of the wrong type: a forged cursor must not reach the SQL as a 500
      throw ApiErrors.invalidField("cursor", "cursor is not one this API gave for this sort");
    }
  }

  private static String whereClause(List<String> parts) {
    return parts.isEmpty() ? "" : " WHERE " + String.join(" AND ", parts);
  }

  private static String like(String s) {
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }
}
