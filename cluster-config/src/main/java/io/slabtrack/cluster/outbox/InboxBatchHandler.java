package io.slabtrack.cluster.outbox;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;

/**
 * An {@link InboxHandler} that can also apply the new events of a batch envelope together, in a few multi-row
 * statements instead of a few statements per event ({@link Inbox#consumeBatched}). It runs in the inbox's
 * transaction, after the inbox recorded the events' ids, and must give each event the effect and the reply the
 * single handler would give it alone. The events of one envelope belong to different aggregates (the relay sends
 * one event per aggregate at a time); a handler that finds two for the same row should fail.
 *
 * <p>Any failure undoes the whole batch, which is then applied again one event at a time with the single handler,
 * each in a savepoint: a malformed or refused event gets its own answer (400, 404: dead-lettered) and the others are
 * applied. So a batch handler fails rather than decide an event's fate the single handler would decide otherwise.
 */
public interface InboxBatchHandler extends InboxHandler {
  /** @return one reply per body, in the order of {@code bodies} */
  Future<List<JsonObject>> applyAll(SqlConnection tx, List<JsonObject> bodies);
}
