package io.slabtrack.tot.settle;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.Responses;
import io.slabtrack.cluster.salelock.SaleLocks;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/**
 * {@code POST /api/play/{id}/cancel}: the buyer gives up an unpaid play, authorized like the play's page by its
 * unguessable id. The PaymentIntent is cancelled at Stripe first (so it can no longer be authorized), or the hosted
 * Checkout Session expired (so it can no longer be paid), then the play is voided and its sale-locks released before
 * the answer: the cards are playable again at once, not after the lock TTL. No connection is held over the Stripe
 * call. A play whose payment was authorized meanwhile is past cancelling (409): an Elements play's cancelled
 * authorization can't be captured, so settlement gives its cards back; a completed session can't be expired, so
 * the checkout play settles as paid.
 */
public final class PlayCancel {
  private final Pool pool;
  private final Settlement settlement;
  private final SaleLocks locks;

  public PlayCancel(Pool pool, Settlement settlement, SaleLocks locks) {
    this.pool = pool;
    this.settlement = settlement;
    this.locks = locks;
  }

  public void mount(Router router) {
    router.post("/api/play/:id/cancel").handler(this::cancel);
  }

  private void cancel(RoutingContext rc) {
    cancel(rc.pathParam("id"))
        .onSuccess(play -> Responses.ok(rc, new JsonObject().put("playId", play.getString("id"))
            .put("status", play.getString("status"))))
        .onFailure(rc::fail);
  }

  /** Calls off an unpaid play (the API route and the play page's "Call it off"); a second call is a no-op. */
  public Future<Row> cancel(String playId) {
    return play(playId).compose(play -> {
      if ("VOID".equals(play.getString("status"))) {
        return Future.succeededFuture(play); // a second click, or the authorization was cancelled already
      }
      if (!"COMMITTED".equals(play.getString("status"))) {
        throw notCancellable(play);
      }
      Future<Void> closed = Settlement.hosted(play)
          ? settlement.closeSession(playId, play.getString("checkout_session_id"))
              .compose(expired -> expired ? Future.<Void>succeededFuture() : Future.failedFuture(paidMeanwhile()))
          : settlement.cancel(playId, play.getString("payment_intent_id"));
      return closed
          .compose(x -> pool.withTransaction(tx -> settlement.canceled(tx, playId)))
          .compose(x -> play(playId))
          .compose(now -> {
            if (!"VOID".equals(now.getString("status"))) {
              throw notCancellable(now);
            }
            // released here even when the payment_intent.canceled webhook voided it first (its release may still
            // be on its way): the answer means the cards are free; a second release is a no-op
            return new Settlement.After(now.getString("lock_ref"), List.of(now.getArrayOfLongs("card_ids")))
                .run(locks).map(now);
          });
    });
  }

  private Future<Row> play(String playId) {
    return pool.preparedQuery(SettleSql.PLAY_BY_ID).execute(Tuple.of(playId)).map(rows -> {
      if (rows.rowCount() == 0) {
        throw ApiErrors.notFound("Play");
      }
      return rows.iterator().next();
    });
  }

  private static RuntimeException paidMeanwhile() {
    return ApiErrors.conflict("illegal_transition", "This play was paid meanwhile and can't be cancelled any more");
  }

  private static RuntimeException notCancellable(Row play) {
    return ApiErrors.conflict("illegal_transition", "This play can't be cancelled any more (it is "
        + play.getString("status") + ")");
  }
}
