package io.slabtrack.cluster.reconcile;

import io.slabtrack.cluster.http.ApiErrors;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.function.Function;

/**
 * One page request of a reconciler snapshot: {@code after} is the keyset cursor (the {@code next} of the previous
 * page, null for the first page), {@code limit} how many entries (1…{@value #MAX_LIMIT}, default
 * {@value #DEFAULT_LIMIT}). Pages keep every bus message small whatever the inventory size.
 */
public record SnapshotRequest(String after, int limit) {
  public static final int DEFAULT_LIMIT = 500;
  public static final int MAX_LIMIT = 1000;

  public static SnapshotRequest fromJson(JsonObject body) {
    Object after = body.getValue("after");
    if (after != null && !(after instanceof String) && !(after instanceof Number)) {
      throw ApiErrors.invalidField("after", "after must be the 'next' cursor of the previous page");
    }
    Object limit = body.getValue("limit");
    int n = DEFAULT_LIMIT;
    if (limit != null) {
      if (!(limit instanceof Number number) || number.doubleValue() != number.longValue()
          || number.longValue() < 1 || number.longValue() > MAX_LIMIT) {
        throw ApiErrors.invalidField("limit", "limit must be an integer from 1 to " + MAX_LIMIT);
      }
      n = number.intValue();
    }
    return new SnapshotRequest(after == null ? null : after.toString(), n);
  }

  /** The cursor as text, for snapshots keyed by an id or lockRef ("" = from the start). */
  public String afterText() {
    return after == null ? "" : after;
  }

  /**
   * One reply page from a keyset query that asked for {@code limit + 1} rows: the extra row only says another page
   * exists, so the last page ends with {@code next: null} instead of a further empty page.
   */
  public JsonObject page(String channel, RowSet<Row> rows, Function<Row, JsonObject> item,
                         Function<Row, String> cursor) {
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
    return reply(channel, items, more ? last : null);
  }

  /** The reply shape of every snapshot (EVENT-BUS.md, "Reconciler snapshots"). */
  public static JsonObject reply(String channel, JsonArray items, String next) {
    return new JsonObject().put("channel", channel).put("items", items).put("next", next);
  }

  /** The cursor as a number, for snapshots keyed by card id (0 = from the start). */
  public long afterLong() {
    if (after == null || after.isEmpty()) {
      return 0L;
    }
    try {
      return Long.parseLong(after);
    } catch (NumberFormatException e) {
      throw ApiErrors.invalidField("after", "after must be a card id");
    }
  }
}
