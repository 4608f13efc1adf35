package io.slabtrack.cluster.reconcile;

import io.slabtrack.cluster.http.ApiErrors;
import io.vertx.core.json.JsonObject;

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
