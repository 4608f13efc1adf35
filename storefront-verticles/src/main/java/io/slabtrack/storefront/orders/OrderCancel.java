package io.slabtrack.storefront.orders;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.http.Responses;
import io.slabtrack.cluster.stripe.StripeGateway;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The buyer's cancel of an unpaid order, authorized like the order's status link (its id and buyer token): the
 * Checkout Session is expired at Stripe first, so it can no longer be paid, then the order is cancelled and its
 * sale-locks released before the answer, so the cards are for sale again at once instead of after the lock TTL.
 * {@code POST /api/orders/{id}/cancel?token=} answers with the order; {@code GET /orders/{id}/cancel?token=} is
 * the Checkout Session's cancel URL (the hosted page's "back" link): it cancels, then redirects to the shop.
 */
final class OrderCancel {
  static final String REASON = "buyer_cancelled";
  private final Pool pool;
  private final StripeGateway stripe;
  private final Settlement settlement;
  private final Checkout checkout;

  OrderCancel(Pool pool, StripeGateway stripe, Settlement settlement, Checkout checkout) {
    this.pool = pool;
    this.stripe = stripe;
    this.settlement = settlement;
    this.checkout = checkout;
  }

  void mount(Router router) {
    router.post("/api/orders/:orderId/cancel").handler(this::cancelApi);
    router.get("/orders/:orderId/cancel").handler(this::cancelFromStripe);
  }

  /** The path Stripe's hosted page sends a buyer to who gives up (relative to the Storefront's public URL). */
  static String cancelPath(Order order) {
    return "/orders/" + order.id() + "/cancel?token=" + URLEncoder.encode(order.buyerToken(), StandardCharsets.UTF_8);
  }

  private void cancelApi(RoutingContext rc) {
    cancel(rc.pathParam("orderId"), rc.queryParams().get("token"))
        .onSuccess(order -> Responses.ok(rc, order.buyerJson())).onFailure(rc::fail);
  }

  private void cancelFromStripe(RoutingContext rc) {
    String orderId = rc.pathParam("orderId");
    String token = rc.queryParams().get("token");
    cancel(orderId, token).onComplete(done -> {
      if (done.succeeded()) {
        redirect(rc, "/s/" + done.result().shop() + "?cancelled=" + done.result().id());
      } else if (done.cause() instanceof ApiException e && e.status() == 409) {
        // paid after all (or still being set up): the buyer's order page says which
        redirect(rc, "/orders/" + orderId + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
      } else {
        rc.fail(done.cause());
      }
    });
  }

  private static void redirect(RoutingContext rc, String location) {
    rc.response().setStatusCode(303).putHeader("Location", location).putHeader("Cache-Control", "no-store").end();
  }

  /** @return the cancelled order; 404 for a wrong id or token, 409 when it is paid or not yet payable */
  Future<Order> cancel(String orderId, String token) {
    return checkout.order(orderId).compose(order -> {
      if (order == null || !order.buyerTokenIs(token)) {
        throw ApiErrors.notFound("Order");
      }
      if ("cancelled".equals(order.state())) {
        return Future.succeededFuture(order); // a second click, or the session expired meanwhile
      }
      if (!"pending".equals(order.state())) {
        throw notCancellable(order);
      }
      if (order.sessionId() == null) {
        throw ApiErrors.conflict("checkout_in_progress", "This checkout is still being set up; try again shortly");
      }
      // no connection is held over the Stripe call: read, call, then decide under the row lock
      return sessionClosed(order).compose(x -> pool.withTransaction(tx -> tx.preparedQuery(OrderSql.BY_ID_FOR_UPDATE)
              .execute(Tuple.of(order.id())).compose(rows -> settlement.cancel(tx, Checkout.first(rows), REASON))))
          .compose(x -> checkout.order(order.id()))
          .compose(now -> {
            if (!"cancelled".equals(now.state())) {
              throw notCancellable(now); // paid while we were expiring the session
            }
            // released here even when the session's expiry webhook cancelled first (its release may still be on
            // its way): the buyer's answer means the cards are free; a second release is a no-op
            return settlement.releaseLocks(now).map(now);
          });
    });
  }

  /** Expires the session; one Stripe already closed is fine if it expired, and means paid if it completed. */
  private Future<Void> sessionClosed(Order order) {
    return stripe.expireCheckoutSession(order.sessionId(), stripe.keyPrefix() + "expire-" + order.id())
        .<Void>mapEmpty()
        .recover(e -> !(e instanceof ApiException api && api.status() < 500) ? Future.failedFuture(e)
            : stripe.retrieveCheckoutSession(order.sessionId()).compose(session -> "expired".equals(session.getStatus())
                ? Future.succeededFuture() : Future.failedFuture(notCancellable(order))));
  }

  private static ApiException notCancellable(Order order) {
    return ApiErrors.conflict("illegal_transition", "This order can't be cancelled any more (it is " + order.state()
        + "); once paid, ask the shop for a refund");
  }
}
