package io.slabtrack.launcher.bench;

import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.db.PgPools;
import io.slabtrack.cluster.hazelcast.ClusterNode;
import io.slabtrack.cluster.outbox.Inbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** The far side of a benchmark: an echo consumer, and optionally an inbox consumer on its own database. */
final class Responder {
  static final String ECHO = "bench.echo";
  static final String SINK = "bench.sink";

  private Responder() {
  }

  static Future<Void> registerEcho(ClusterNode node) {
    return node.vertx().eventBus().<JsonObject>consumer(ECHO, msg -> msg.reply(msg.body())).completion();
  }

  static Future<Void> registerInbox(ClusterNode node, PgSettings inboxDb, String address) {
    var pool = PgPools.create(node.vertx(), inboxDb, 8);
    return Inbox.consume(node.vertx(), pool, address, (tx, body) -> Future.succeededFuture(
        new JsonObject().put("ok", true))).mapEmpty();
  }
}
