package io.slabtrack.storefront.reconcile;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.reconcile.SnapshotRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.List;

/** The reply shape every Storefront snapshot shares (EVENT-BUS.md, "Reconciler snapshots"). */
final class Snapshots {
  static final String CHANNEL = AppName.STOREFRONT.id();

  private Snapshots() {
  }

  static JsonObject page(JsonArray items, String next) {
    return SnapshotRequest.reply(CHANNEL, items, next);
  }

  static String iso(Row r, String column) {
    OffsetDateTime t = r.getOffsetDateTime(column);
    return t == null ? null : t.toInstant().toString();
  }

  static JsonArray cardIds(Row r) {
    return new JsonArray(List.of(r.getArrayOfLongs("card_ids")));
  }
}
