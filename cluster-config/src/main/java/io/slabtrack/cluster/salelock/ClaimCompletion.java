package io.slabtrack.cluster.salelock;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.logging.Correlation;
import io.slabtrack.cluster.outbox.Outbox;
import io.slabtrack.cluster.outbox.ReplyHandlers;
import io.slabtrack.cluster.outbox.ReplyRoute;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code complete(lockRef, claim)}: the claim goes to core through the channel's outbox, so it survives core being
 * down for hours. Meanwhile the locks are marked claim-pending and kept alive by the sweeper. When core's answer
 * arrives, the channel's {@link ClaimAnswerListener} applies it in the same transaction that marks the message
 * delivered, then the locks go. If the locks have already expired, the claim is still sent: core decides.
 */
public final class ClaimCompletion {
  /**
   * The claim's trip to core and core's answer back: the message {@link #complete} enqueues and the handler
   * {@link #register} installs. Its name is stored in pending outbox rows: never rename it.
   */
  public static final ReplyRoute<SaleClaim> CLAIM_ANSWER =
      ReplyRoute.of("salelock.claim-answer", SaleClaim::toJson, SaleClaim::fromJson);
  private static final Logger LOG = LoggerFactory.getLogger(ClaimCompletion.class);

  private final SaleLocks locks;

  public ClaimCompletion(SaleLocks locks) {
    this.locks = locks;
  }

  /** Registers the answer handler of a channel app (call it from the app's {@code configure}). */
  public static void register(ReplyHandlers handlers, SaleLocks locks, ClaimAnswerListener listener) {
    handlers.register(CLAIM_ANSWER, new ReplyRoute.Handler<SaleClaim>() {
      @Override
      public Future<JsonObject> prepare(SaleClaim claim, JsonObject reply) {
        return listener.prepare(claim, reply);
      }

      @Override
      public Future<Void> apply(SqlConnection tx, SaleClaim claim, JsonObject answer) {
        return listener.onAnswer(tx, claim, answer)
            .compose(x -> locks.release(claim.lockRef(), claim.cardIds())
                .recover(e -> {
                  // the locks will expire on their own; the answer itself must not be lost over this
                  LOG.warn("claim {} answered but its locks were not released: {}", claim.claimId(), e.toString());
                  return Future.succeededFuture(0);
                }))
            .mapEmpty();
      }
    });
  }

  /**
   * Call inside the channel's own transaction, together with its order's state change. The locks are marked
   * claim-pending once that transaction commits, not inside it: no row lock is held over the cluster call, and a
   * rolled-back sale leaves its locks as they were.
   */
  public Future<Void> complete(SqlConnection tx, SaleClaim claim) {
    // from here on the sale's log lines (and the claim's outbox row) carry its claim id, in every app it reaches
    Correlation.put(Correlation.CLAIM_ID, claim.claimId());
    Correlation.put(Correlation.ORDER_ID, claim.orderRef());
    return Outbox.enqueue(tx, CLAIM_ANSWER.message(claim.eventId(), Addresses.CORE_SALE_CLAIM,
            "order:" + claim.channel() + ":" + claim.orderRef(), claim))
        .onSuccess(x -> LOG.info("claim {} for order {} of {} card(s) sent to core", claim.claimId(),
            claim.orderRef(), claim.cardIds().size()))
        .onSuccess(x -> {
          Transaction transaction = tx.transaction();
          (transaction == null ? Future.succeededFuture() : transaction.completion())
              .onSuccess(committed -> keepForClaim(claim));
        });
  }

  /** The sweeper keeps claim-pending locks past their TTL until core's answer comes. */
  private void keepForClaim(SaleClaim claim) {
    locks.extendForClaim(claim.lockRef()).onFailure(e -> LOG.info(
        "claim {}: locks of {} no longer held ({}); the claim goes anyway, core decides", claim.claimId(),
        claim.orderRef(), e.getMessage()));
  }
}
