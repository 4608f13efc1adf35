package io.slabtrack.cluster.outbox;

import io.slabtrack.cluster.config.AppName;
import io.vertx.core.json.JsonObject;

/**
 * One fresh event handed to {@link SenderInboxBatchHandler#applyAll}: its body, the app that sent it (checked by the
 * inbox; null on an address without sender checks) and its correlation ids ({@code ids}, the sender's plus its
 * eventId). A handler applying several events in one go makes {@code ids} current
 * ({@link io.slabtrack.cluster.logging.Correlation#replace}) before it logs or enqueues for one of them, and adds the
 * ids it learns (a claimId), so each event's log lines and outbox rows carry its own ids, as when it comes alone.
 */
public record InboxEvent(JsonObject body, AppName sender, JsonObject ids) {
}
