package io.slabtrack.cluster.outbox;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A {@link SenderInboxHandler} that decides several fresh events in the inbox's one transaction
 * ({@link Inbox#consumeGrouped}), e.g. claims that arrived while the previous decision transaction ran. Each event
 * must get exactly the effect and the answer it would get alone, applied in list order.
 *
 * <p>The returned list has one result per event, in order: its reply, or a failed result with the event's
 * {@link InboxRejection} when the handler wrote nothing for it (the inbox forgets its row, as for a refusal alone).
 * Any other failure — the future failing, or a result failing with something else — undoes the whole transaction,
 * and the events are applied again one at a time with {@link #apply}, each in a savepoint.
 */
public interface SenderInboxBatchHandler extends SenderInboxHandler {
  Future<List<AsyncResult<JsonObject>>> applyAll(SqlConnection tx, List<InboxEvent> events);
}
