package io.slabtrack.storefront.shops;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.bus.BusService;
import io.slabtrack.cluster.http.ApiErrors;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * {@code storefront.shops.owners} (EVENT-BUS.md): core asks who owns the shops a vendor wants to list on. Read-only;
 * in a verticle of its own so the consumer goes away with the app.
 */
public final class ShopOwnersVerticle extends VerticleBase {
  public static final int MAX_SHOPS = 100;
  private static final String OWNERS = "SELECT slug, owner_id FROM storefronts WHERE slug = ANY($1)";
  private final Pool pool;

  public ShopOwnersVerticle(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<?> start() {
    return BusService.serve(vertx, Addresses.STOREFRONT_SHOPS_OWNERS, this::owners);
  }

  private Future<JsonObject> owners(JsonObject body) {
    Object raw = body.getValue("shops");
    if (!(raw instanceof JsonArray shops) || shops.isEmpty() || shops.size() > MAX_SHOPS
        || !shops.stream().allMatch(s -> s instanceof String)) {
      return Future.failedFuture(ApiErrors.invalidField("shops", "shops is 1 to " + MAX_SHOPS + " shop slugs"));
    }
    return pool.preparedQuery(OWNERS).execute(Tuple.of((Object) shops.stream().toArray(String[]::new))).map(rows -> {
      JsonObject owners = new JsonObject();
      rows.forEach(r -> owners.put(r.getString("slug"), r.getString("owner_id")));
      return new JsonObject().put("owners", owners);
    });
  }
}
