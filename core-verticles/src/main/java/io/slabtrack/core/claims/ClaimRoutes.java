package io.slabtrack.core.claims;

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
    // the same claimId decided concurrently on another path loses the insert race, and a deadlock with a
    // concurrent sale rolls everything back: one more try gets the stored answer or a clean decision
    pool.withTransaction(tx -> decider.decide(tx, claim))
        .recover(t -> isRetryable(t) ? pool.withTransaction(tx -> decider.decide(tx, claim)) : Future.failedFuture(t))
        .onSuccess(reply -> Responses.ok(rc, reply))
        .onFailure(rc::fail);
  }

  private void release(RoutingContext rc) {
    JsonObject body = CardRoutes.body(rc);
    try {
      ClaimRelease.validate(body);
    } catch (InvalidField e) {
      rc.fail(e.toApi());
      return;
    }
    pool.withTransaction(tx -> ClaimRelease.release(tx, body))
        .onSuccess(reply -> Responses.ok(rc, reply))
        .onFailure(t -> rc.fail(t instanceof InboxRejection r ? new ApiException(r.code(), r.error(), r.getMessage()) : t));
  }

  /** 23505 unique violation (claimId), 40P01 deadlock detected. */
  private static boolean isRetryable(Throwable t) {
    return t instanceof PgException pg && ("23505".equals(pg.getSqlState()) || "40P01".equals(pg.getSqlState()));
  }
}
