package io.slabtrack.cluster.salelock;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * The channel's reaction to core's answer to its claim ({@code won}: capture and mark the order paid; {@code lost}:
 * cancel the authorization). Runs in the transaction that records the claim message as delivered, however long
 * after the claim was sent, on whichever node of the channel's app relays it.
 */
@FunctionalInterface
public interface ClaimAnswerListener {
  Future<Void> onAnswer(SqlConnection tx, SaleClaim claim, JsonObject answer);
}
