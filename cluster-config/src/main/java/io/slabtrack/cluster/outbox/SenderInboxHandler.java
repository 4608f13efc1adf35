package io.slabtrack.cluster.outbox;

import io.slabtrack.cluster.config.AppName;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * An {@link InboxHandler} for an address whose senders are authenticated
 * ({@link Inbox#consume(io.vertx.core.Vertx, io.vertx.sqlclient.Pool, String,
 * io.slabtrack.cluster.bus.BusSenders.Check, SenderInboxHandler)}): it also learns which app sent the message, to
 * check what that app may do (e.g. release only its own claims).
 */
@FunctionalInterface
public interface SenderInboxHandler {
  Future<JsonObject> apply(SqlConnection tx, JsonObject body, AppName sender);
}
