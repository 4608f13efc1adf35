package io.slabtrack.tot.listings;

import io.slabtrack.cluster.browse.BrowseCache;
import io.slabtrack.cluster.http.ApiErrors;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The one way ToT reads active listings for buyers, for the browse API and the browse pages alike: a filtered page
 * of them with the total, or some by id. Each listing comes as {@link ListingJson} (what the API returns). Pages come
 * from the node's {@link BrowseCache} (scope {@value #SCOPE}), read from the database only when the listings changed.
 */
public final class ListingsQuery {
  /** The browse_versions scope of every listing (ToT V20). */
  public static final String SCOPE = "listings";
  private final Pool pool;
  private final BrowseCache cache;

  /** With a small browse cache of its own (the app shares one per node: the other constructor). */
  public ListingsQuery(Pool pool) {
    this(pool, new BrowseCache(pool, 8L * 1024 * 1024));
  }

  /** @param cache this node's browse cache */
  public ListingsQuery(Pool pool, BrowseCache cache) {
    this.pool = pool;
    this.cache = cache;
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

  /** A page as the browse cache holds it, with the API's JSON of it encoded once. */
  public record Cached(Page page, Buffer json) implements BrowseCache.Weighed {
    @Override
    public int weight() {
      // the decoded listings weigh about twice their JSON
      return json.length() * 3;
    }
  }

  public Future<Page> page(Filter f, long limit, long offset) {
    return cached(f, limit, offset).map(Cached::page);
  }

  /** As {@link #page(Filter, long, long)}, at the listings' version this request read already (the browse page). */
  public Future<Page> page(Filter f, long limit, long offset, BrowseCache.Scope at) {
    return cached(f, limit, offset, at).map(Cached::page);
  }

  /** This node's browse cache, which the browse page's answers share. */
  public BrowseCache cache() {
    return cache;
  }

  /** The page with its API JSON ({@code items, total, limit, offset}), from this node's browse cache. */
  public Future<Cached> cached(Filter f, long limit, long offset) {
    return cache.current(SCOPE).compose(at -> cached(f, limit, offset, at));
  }

  private Future<Cached> cached(Filter f, long limit, long offset, BrowseCache.Scope at) {
    return cache.at(SCOPE, at, f + "|" + limit + "|" + offset, scope -> read(f, limit, offset));
  }

  /**
   * Unfiltered: the page read off the active listings' index at its LIMIT, the total counted off the same index.
   * Filtered: the matches counted, as the filters read every candidate anyway. Either way once per version and page.
   */
  private Future<Cached> read(Filter f, long limit, long offset) {
    Object[] filter = {"ACTIVE", f.kind(), f.minPrice(), f.maxPrice(), f.player(), f.q(), f.set()};
    boolean unfiltered = Filter.ANY.equals(f);
    Future<Long> total = unfiltered
        ? pool.preparedQuery(ListingsSql.COUNT_ACTIVE).execute().map(c -> c.iterator().next().getLong(0))
        : pool.preparedQuery(ListingsSql.COUNT).execute(Tuple.from(filter)).map(c -> c.iterator().next().getLong(0));
    return total.compose(count -> {
      Future<? extends Iterable<Row>> rows;
      if (unfiltered) {
        rows = pool.preparedQuery(ListingsSql.PAGE_ACTIVE).execute(Tuple.of(limit, offset));
      } else {
        Object[] paged = java.util.Arrays.copyOf(filter, filter.length + 2);
        paged[filter.length] = limit;
        paged[filter.length + 1] = offset;
        rows = pool.preparedQuery(ListingsSql.PAGE).execute(Tuple.from(paged));
      }
      return rows.map(r -> {
        Page page = new Page(json(r), count, limit, offset);
        return new Cached(page, page.toJson().toBuffer());
      });
    });
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
