package io.slabtrack.tot.listings;

import io.slabtrack.cluster.http.ApiErrors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The one way ToT reads active listings for buyers, for the browse API and the browse pages alike: a filtered page
 * of them with the total, or some by id. Each listing comes as {@link ListingJson} (what the API returns).
 */
public final class ListingsQuery {
  private final Pool pool;

  public ListingsQuery(Pool pool) {
    this.pool = pool;
  }

  /**
   * What buyers filter on; null = any. Values in cents, text matched case-insensitively anywhere.
   *
   * @param set matched against the set name of any card of the listing
   */
  public record Filter(String kind, Long minPrice, Long maxPrice, String player, String set, String q) {
    public Filter {
      if (kind != null && !kind.equals("single") && !kind.equals("lot")) {
        throw ApiErrors.invalidField("kind", "kind must be single or lot");
      }
    }

    public static final Filter ANY = new Filter(null, null, null, null, null, null);
  }

  public record Page(List<JsonObject> items, long total, long limit, long offset) {
    public JsonObject toJson() {
      return new JsonObject().put("items", new JsonArray(new ArrayList<>(items))).put("total", total)
          .put("limit", limit).put("offset", offset);
    }
  }

  public Future<Page> page(Filter f, long limit, long offset) {
    Object[] filter = {"ACTIVE", f.kind(), f.minPrice(), f.maxPrice(), f.player(), f.q(), f.set()};
    Object[] paged = java.util.Arrays.copyOf(filter, filter.length + 2);
    paged[filter.length] = limit;
    paged[filter.length + 1] = offset;
    return pool.preparedQuery(ListingsSql.COUNT).execute(Tuple.from(filter))
        .compose(count -> pool.preparedQuery(ListingsSql.PAGE).execute(Tuple.from(paged))
            .map(rows -> new Page(json(rows), count.iterator().next().getLong(0), limit, offset)));
  }

  /** The listings with these ids that exist (any status), by id ascending. */
  public Future<List<JsonObject>> byIds(List<Long> ids) {
    return pool.preparedQuery(ListingsSql.BY_IDS).execute(Tuple.of((Object) ids.toArray(new Long[0])))
        .map(ListingsQuery::json);
  }

  /** One listing (any status), or null. */
  public Future<JsonObject> one(long id) {
    return pool.preparedQuery(ListingsSql.BY_ID).execute(Tuple.of(id))
        .map(rows -> rows.rowCount() == 0 ? null : ListingJson.of(rows.iterator().next()));
  }

  private static List<JsonObject> json(Iterable<Row> rows) {
    List<JsonObject> out = new ArrayList<>();
    rows.forEach(r -> out.add(ListingJson.of(r)));
    return out;
  }
}
