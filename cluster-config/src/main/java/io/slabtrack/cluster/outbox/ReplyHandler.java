package io.slabtrack.cluster.outbox;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * Applies the receiver's reply to a request-reply message, on the sender's side. It runs in the transaction
 * that marks the row delivered, so "delivered" and the reply's effect commit together or not at all. A failed
 * future (or a throw) rolls back this row only; the message is then retried, and the receiver's inbox answers the
 * retry with the same reply. After {@link RelayOptions#maxFailures()} failures the message is dead-lettered.
 *
 * <p>A reply whose effect needs a slow call (Stripe) makes it in {@link #prepare}, which runs before that
 * transaction and holds no connection; {@link #apply} then gets what {@code prepare} returned.
 */
@FunctionalInterface
public interface ReplyHandler {
  /** @param reply the receiver's reply, or what {@link #prepare} made of it */
  Future<Void> apply(SqlConnection tx, OutboxRow row, JsonObject reply);

  /**
   * The slow step, outside any transaction (a failure counts as the handler's: the message is retried). It may run
   * more than once for one reply (a retry, a lease outrun), so it must be idempotent (e.g. a Stripe idempotency key);
   * {@code apply} re-checks the state it acts on.
   */
  default Future<JsonObject> prepare(OutboxRow row, JsonObject reply) {
    return Future.succeededFuture(reply);
  }
}
