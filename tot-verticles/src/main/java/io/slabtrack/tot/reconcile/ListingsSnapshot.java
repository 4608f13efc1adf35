package io.slabtrack.tot.reconcile;

import io.slabtrack.cluster.reconcile.SnapshotRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code tot.reconcile.listings}: every card ToT lists (any listing status), paged by card id. {@code limit} counts
 * cards, and all entries of a card (a withdrawn single and a live lot, say) come in the same page, so core can
 * compare a card as a whole.
 */
public final class ListingsSnapshot implements Function<JsonObject, Future<JsonObject>> {
  /**
   * One card more than asked tells whether there is a next page. The page's card ids walk the
   * {@code listing_cards_card} index from the cursor, and the entries are read as that same index range (not a join
   * on the ids, which plans as a scan of the whole table), so a page costs the same at card 100 000 as at card 1
   * (measured: 0.6 ms for 500 cards of 100 000).
   */
  static final String PAGE = """
      WITH page AS (
        SELECT DISTINCT card_id FROM listing_cards WHERE card_id > $1 ORDER BY card_id LIMIT $2)
      SELECT c.card_id, c.version, l.id AS listing_id, l.listing_key, l.status
      FROM listing_cards c JOIN listings l ON l.id = c.listing_id
      WHERE c.card_id > $1 AND c.card_id <= (SELECT max(card_id) FROM page)
      ORDER BY c.card_id, l.id""";
  private static final String LOT_PREFIX = "lot:";

  private final Pool pool;

  public ListingsSnapshot(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<JsonObject> apply(JsonObject body) {
    SnapshotRequest request = SnapshotRequest.fromJson(body);
    long after = request.afterLong();
    return pool.preparedQuery(PAGE).execute(Tuple.of(after, request.limit() + 1)).map(rows -> {
      JsonArray items = new JsonArray();
      List<Long> cards = new ArrayList<>();
      for (Row row : rows) {
        long cardId = row.getLong("card_id");
        if (cards.isEmpty() || cards.get(cards.size() - 1) != cardId) {
          cards.add(cardId);
        }
        if (cards.size() > request.limit()) {
          break; // the look-ahead card: only says there is more
        }
        items.add(item(row));
      }
      String next = cards.size() > request.limit() ? String.valueOf(cards.get(request.limit() - 1)) : null;
      return Pages.reply(items, next);
    });
  }

  private static JsonObject item(Row row) {
    String key = row.getString("listing_key");
    String status = row.getString("status");
    return new JsonObject().put("cardId", row.getLong("card_id")).put("listingKey", key)
        .put("listingId", String.valueOf(row.getLong("listing_id"))).put("status", status.toLowerCase())
        .put("engaged", "ACTIVE".equals(status)).put("version", row.getLong("version")).putNull("shop")
        .put("lotKey", key.startsWith(LOT_PREFIX) ? key.substring(LOT_PREFIX.length()) : null);
  }
}
