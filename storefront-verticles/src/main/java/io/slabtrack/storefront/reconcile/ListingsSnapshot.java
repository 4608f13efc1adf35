package io.slabtrack.storefront.reconcile;

import io.slabtrack.cluster.reconcile.SnapshotRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.function.Function;

/**
 * {@code storefront.reconcile.listings}: every card core listed here, keyset-paged on the primary key (a page costs an
 * index range scan whatever the inventory size). {@code engaged} = core's {@code listed} and not sold here: an owner's
 * hidden card is still offered by core, so it stays engaged; a disengaged card shows as {@code withdrawn}.
 */
final class ListingsSnapshot implements Function<JsonObject, Future<JsonObject>> {
  // asked with limit + 1 (Snapshots.page)
  static final String PAGE = "SELECT slabtrack_card_id, shop_slug, status, listed, version FROM storefront_cards "
      + "WHERE slabtrack_card_id > $1 ORDER BY slabtrack_card_id LIMIT $2";

  private final Pool pool;

  ListingsSnapshot(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<JsonObject> apply(JsonObject body) {
    SnapshotRequest req = SnapshotRequest.fromJson(body);
    // afterLong() reads an absent cursor as 0; MIN_VALUE keeps any card id, whatever core numbers from
    long after = req.after() == null ? Long.MIN_VALUE : req.afterLong();
    return pool.preparedQuery(PAGE).execute(Tuple.of(after, req.limit() + 1))
        .map(rows -> req.page(Snapshots.CHANNEL, rows, ListingsSnapshot::item,
            r -> String.valueOf(r.getLong("slabtrack_card_id"))));
  }

  private static JsonObject item(Row r) {
    long cardId = r.getLong("slabtrack_card_id");
    String status = r.getString("status");
    boolean listed = r.getBoolean("listed");
    boolean sold = "sold".equals(status);
    return new JsonObject().put("cardId", cardId).put("listingKey", "card:" + cardId)
        .put("listingId", String.valueOf(cardId))
        .put("status", !listed && !sold ? "withdrawn" : status)
        .put("engaged", listed && !sold)
        .put("version", r.getLong("version"))
        .put("shop", r.getString("shop_slug"))
        .putNull("lotKey");
  }
}
