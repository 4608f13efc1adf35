package io.slabtrack.cluster.salelock;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * The channel's reaction to core's answer to its claim ({@code won}: capture and mark the order paid; {@code lost}:
 * cancel the authorization), however long after the claim was sent, on whichever node of the channel's app relays
 * it. The Stripe call belongs in {@link #prepare}, which holds no connection; {@link #onAnswer} runs in the
 * transaction that records the claim message as delivered and gets what {@code prepare} returned.
 */
@FunctionalInterface
public interface ClaimAnswerListener {
  /** @param answer core's answer, or what {@link #prepare} made of it */
  Future<Void> onAnswer(SqlConnection tx, SaleClaim claim, JsonObject answer);

  /** Outside any transaction; idempotent (it may run again for the same answer). */
  default Future<JsonObject> prepare(SaleClaim claim, JsonObject answer) {
    return Future.succeededFuture(answer);
  }
}
