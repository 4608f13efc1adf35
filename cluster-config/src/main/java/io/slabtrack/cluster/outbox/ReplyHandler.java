package io.slabtrack.cluster.outbox;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * Applies the receiver's reply to a request-reply message, on the sender's side. It runs in the transaction
 * that marks the row delivered, so "delivered" and the reply's effect commit together or not at all. A failed
 * future (or a throw) rolls back this row only; the message is then retried, and the receiver's inbox answers the
 * retry with the same reply. After {@link RelayOptions#maxFailures()} failures the message is dead-lettered.
 */
@FunctionalInterface
public interface ReplyHandler {
  Future<Void> apply(SqlConnection tx, OutboxRow row, JsonObject reply);
}
