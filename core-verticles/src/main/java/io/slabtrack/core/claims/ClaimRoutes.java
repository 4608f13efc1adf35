package io.slabtrack.core.claims;

import io.slabtrack.cluster.auth.AuthHandlers;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.salelock.AcquireRequest;
import io.slabtrack.cluster.salelock.SaleLocks;
import java.time.Instant;

import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.http.Responses;
import io.slabtrack.cluster.outbox.InboxRejection;
import io.slabtrack.core.cards.CardRoutes;
import io.slabtrack.core.cards.InvalidField;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;

/**
 * The HTTP face of claims for channels that call over HTTP (service token): the same decider as the bus, the
 * same idempotency (by claimId), the same reply body.
 */
public final class ClaimRoutes {
  private final Pool pool;
  private final ClaimDecider decider;

  public ClaimRoutes(Pool pool, ClaimDecider decider) {
    this.pool = pool;
    this.decider = decider;
  }

  public void mount(Router router, Handler<RoutingContext> serviceAuth) {
    router.post("/api/webhooks/ecosystem-transfer/claim").handler(serviceAuth).handler(this::claim);
    router.post("/api/webhooks/ecosystem-transfer/release").handler(serviceAuth).handler(this::release);
  }

  private void claim(RoutingContext rc) {
    ClaimRequest claim;
    try {
      claim = ClaimRequest.parse(CardRoutes.body(rc));
    } catch (InvalidField e) {
      rc.fail(e.toApi());
      return;
    }
    ClaimCaller caller = ClaimCaller.of(AuthHandlers.principal(rc));
    // the same claimId decided concurrently on another path loses the insert race, and a deadlock with a
    // concurrent sale rolls everything back: one more try gets the stored answer or a clean decision
    pool.withTransaction(tx -> decider.decide(tx, claim, caller))
        .recover(t -> isRetryable(t) ? pool.withTransaction(tx -> decider.decide(tx, claim, caller))
            : Future.failedFuture(t))
        .onSuccess(reply -> Responses.ok(rc, reply))
        .onFailure(t -> rc.fail(asApi(t)));
  }

  private void release(RoutingContext rc) {
    JsonObject body = CardRoutes.body(rc);
    try {
      ClaimRelease.validate(body);
    } catch (InvalidField e) {
      rc.fail(e.toApi());
      return;
    }
    ClaimCaller caller = ClaimCaller.of(AuthHandlers.principal(rc));
    pool.withTransaction(tx -> ClaimRelease.release(tx, body, caller))
        .onSuccess(reply -> Responses.ok(rc, reply))
        .onFailure(t -> rc.fail(asApi(t)));
  }

  /**
   * {@code POST /api/sale-locks/complete} — the original's "complete" over HTTP, for a channel that calls core
   * directly: {@code {lockRef, claim: {…core.sale.claim body…}}}. Core decides at once (it is the decider, so no
   * outbox hop) and then releases the checkout's locks, won or lost. A claim whose cards another lockRef holds
   * is refused with 409 before anything is recorded.
   */
  public void mountComplete(Router router, Handler<RoutingContext> auth, SaleLocks locks) {
    router.post("/api/sale-locks/complete").handler(auth).handler(rc -> complete(rc, locks));
  }

  private void complete(RoutingContext rc, SaleLocks locks) {
    JsonObject body = CardRoutes.body(rc);
    JsonObject claimBody = body.getValue("claim") instanceof JsonObject c ? c : body;
    String lockRef = body.getValue("lockRef") instanceof String s ? s : claimBody.getString("lockRef");
    ClaimRequest claim;
    try {
      AcquireRequest.requireLockRef(lockRef);
      claim = ClaimRequest.parse(claimBody.copy().put("lockRef", lockRef));
    } catch (InvalidField e) {
      rc.fail(e.toApi());
      return;
    }
    ClaimCaller caller = ClaimCaller.of(AuthHandlers.principal(rc));
    caller.requireChannel(claim.channel().slug, "complete claims")
        .compose(v -> locks.holders(claim.cardIds()))
        .compose(held -> {
          Instant now = Instant.now();
          boolean heldByOther = held.values().stream().anyMatch(l -> !l.lockRef().equals(lockRef)
              && (!l.expiredAt(now) || l.claimPending()));
          if (heldByOther) {
            return Future.<JsonObject>failedFuture(ApiErrors.conflict("lock_not_held",
                "Another checkout holds some of these cards; this lockRef cannot complete them"));
          }
          return pool.withTransaction(tx -> decider.decide(tx, claim, caller))
              .recover(t -> isRetryable(t) ? pool.withTransaction(tx -> decider.decide(tx, claim, caller))
                  : Future.failedFuture(t))
              .compose(answer -> locks.release(lockRef, claim.cardIds()).map(answer)
                  .recover(e -> Future.succeededFuture(answer)));
        })
        .onSuccess(answer -> Responses.ok(rc, answer))
        .onFailure(t -> rc.fail(asApi(t)));
  }

  /** The bus and HTTP paths share their refusals: an inbox rejection is the same error as an HTTP answer. */
  private static Throwable asApi(Throwable t) {
    return t instanceof InboxRejection r ? new ApiException(r.code(), r.error(), r.getMessage()) : t;
  }

  /** 23505 unique violation (claimId), 40P01 deadlock detected. */
  private static boolean isRetryable(Throwable t) {
    return t instanceof PgException pg && ("23505".equals(pg.getSqlState()) || "40P01".equals(pg.getSqlState()));
  }
}
