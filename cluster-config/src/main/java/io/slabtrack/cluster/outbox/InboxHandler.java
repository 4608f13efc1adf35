package io.slabtrack.cluster.outbox;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * The receiver's business logic for one address. It runs once per event id, in the transaction that records
 * the event in the inbox; its reply is stored and given again to every redelivery. Fail with
 * {@link InboxRejection} for "never" (the sender dead-letters the message); any other failure means "not now"
 * (the sender retries).
 */
@FunctionalInterface
public interface InboxHandler {
  Future<JsonObject> apply(SqlConnection tx, JsonObject body);
}
