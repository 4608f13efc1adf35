package io.slabtrack.storefront.reconcile;

import io.slabtrack.cluster.config.AppName;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Function;

/** The reply shape every Storefront snapshot shares (EVENT-BUS.md, "Reconciler snapshots"). */
final class Snapshots {
  static final String CHANNEL = AppName.STOREFRONT.id();

  private Snapshots() {
  }

  /**
   * One page from a keyset query that asked for {@code limit + 1} rows: the extra row only says another page exists,
   * so the last page ends with {@code next: null} instead of a further empty page.
   */
  static JsonObject page(RowSet<Row> rows, int limit, Function<Row, JsonObject> item, Function<Row, String> cursor) {
    JsonArray items = new JsonArray();
    String last = null;
    boolean more = false;
    for (Row r : rows) {
      if (items.size() == limit) {
        more = true;
        break;
      }
      items.add(item.apply(r));
      last = cursor.apply(r);
    }
    return page(items, more ? last : null);
  }

  static JsonObject page(JsonArray items, String next) {
    return new JsonObject().put("channel", CHANNEL).put("items", items).put("next", next);
  }

  static String iso(Row r, String column) {
    OffsetDateTime t = r.getOffsetDateTime(column);
    return t == null ? null : t.toInstant().toString();
  }

  static JsonArray cardIds(Row r) {
    return new JsonArray(List.of(r.getArrayOfLongs("card_ids")));
  }
}
