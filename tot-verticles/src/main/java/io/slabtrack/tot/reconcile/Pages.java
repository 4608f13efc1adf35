package io.slabtrack.tot.reconcile;

import io.slabtrack.cluster.reconcile.SnapshotRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;

/** The reply shape every ToT snapshot shares (EVENT-BUS.md, "Reconciler snapshots"). */
final class Pages {
  static final String CHANNEL = "thisorthat";

  private Pages() {
  }

  static JsonObject reply(JsonArray items, String next) {
    return SnapshotRequest.reply(CHANNEL, items, next);
  }

  static String iso(OffsetDateTime at) {
    return at == null ? null : at.toInstant().toString();
  }
}
