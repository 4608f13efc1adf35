package io.slabtrack.storefront.shops;

import io.slabtrack.cluster.http.ApiErrors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** The shops table: create, read, update. */
public final class Shops {
  private final Pool pool;

  public Shops(Pool pool) {
    this.pool = pool;
  }

  /** @return the new shop; 409 {@code slug_taken} when the slug exists */
  public Future<Shop> create(JsonObject in) {
    return pool.preparedQuery(ShopSql.INSERT).execute(Tuple.of(in.getString("slug"), in.getString("name"),
            in.getString("ownerId"), in.getString("bio"), in.getString("bannerUrl"), in.getJsonObject("theme"),
            in.getJsonObject("shipFrom"), in.getString("orderMailTo")))
        .map(rows -> {
          if (rows.rowCount() == 0) {
            throw ApiErrors.conflict("slug_taken", "A shop with this slug already exists");
          }
          return Shop.of(rows.iterator().next());
        });
  }

  /** @return the shop; 404 when unknown */
  public Future<Shop> get(String slug) {
    return get(pool, slug);
  }

  /** The shop row's columns qualified by {@code alias}, for a statement that joins other rows to the shop's. */
  public static String columns(String alias) {
    return java.util.Arrays.stream(ShopSql.COLUMNS.split(",\\s*")).map(c -> alias + "." + c)
        .collect(java.util.stream.Collectors.joining(", "));
  }

  public static Future<Shop> get(SqlClient client, String slug) {
    return find(client, slug).map(shop -> {
      if (shop == null) {
        throw ApiErrors.notFound("Shop");
      }
      return shop;
    });
  }

  /** @return the shop, or null when unknown */
  public static Future<Shop> find(SqlClient client, String slug) {
    return client.preparedQuery(ShopSql.BY_SLUG).execute(Tuple.of(slug)).map(Shops::first);
  }

  /**
   * Applies the patch {@code patchOf} builds from the current row — it checks access first, then validates, so a
   * stranger gets 403 whatever the body — atomically.
   */
  public Future<Shop> update(String slug, java.util.function.Function<Shop, JsonObject> patchOf) {
    return pool.withTransaction(tx -> tx.preparedQuery(ShopSql.BY_SLUG_FOR_UPDATE).execute(Tuple.of(slug))
        .compose(rows -> {
          Shop shop = first(rows);
          if (shop == null) {
            throw ApiErrors.notFound("Shop");
          }
          JsonObject patch = patchOf.apply(shop);
          return tx.preparedQuery(ShopSql.UPDATE).execute(Tuple.of(slug,
              patch.containsKey("name") ? patch.getString("name") : shop.name(),
              patch.containsKey("ownerId") ? patch.getString("ownerId") : shop.ownerId(),
              patch.containsKey("bio") ? patch.getString("bio") : shop.bio(),
              patch.containsKey("bannerUrl") ? patch.getString("bannerUrl") : shop.bannerUrl(),
              patch.containsKey("theme") ? patch.getJsonObject("theme") : shop.theme(),
              patch.containsKey("shipFrom") ? patch.getJsonObject("shipFrom") : shop.shipFrom(),
              patch.containsKey("orderMailTo") ? patch.getString("orderMailTo") : shop.orderMailTo()));
        })
        .map(Shops::first));
  }

  /** Operators see every shop, others the shops they own. */
  public Future<List<Shop>> list(String ownerId) {
    Future<RowSet<Row>> rows = ownerId == null
        ? pool.preparedQuery(ShopSql.ALL).execute()
        : pool.preparedQuery(ShopSql.BY_OWNER).execute(Tuple.of(ownerId));
    return rows.map(rs -> {
      List<Shop> out = new ArrayList<>();
      rs.forEach(r -> out.add(Shop.of(r)));
      return out;
    });
  }

  private static Shop first(RowSet<Row> rows) {
    return rows.iterator().hasNext() ? Shop.of(rows.iterator().next()) : null;
  }
}
