package io.slabtrack.storefront.settle;

import io.slabtrack.storefront.orders.Order;
import io.slabtrack.storefront.orders.OrderSql;
import io.slabtrack.storefront.orders.Checkout;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.settlement.Authorizations;
import io.slabtrack.cluster.stripe.StripeGateway;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The buyer's cancel of an unpaid order, the one way every cancel goes (the API's
 * {@code POST /api/orders/{id}/cancel?token=}, Stripe's cancel URL {@code GET /orders/{id}/cancel?token=} that the
 * Storefront's pages answer with the cart, and the checkout page replacing the buyer's earlier checkout).
 * Authorized like the order's status link (its id and buyer token). The Checkout Session is expired at Stripe
 * first, so it can no longer be paid, then the order is cancelled ({@code buyer_cancelled}) and its sale-locks
 * released before the answer, so the cards are for sale again at once instead of after the lock TTL.
 */
public final class OrderCancel {
  static final String REASON = "buyer_cancelled";
  /** The API route (the checkout's answer carries it as {@code cancelUrl}). */
  public static final String API_PATH = "/api/orders/:orderId/cancel";
  /** Stripe's cancel URL: the hosted payment page's "back" link (answered by the Storefront's pages). */
  public static final String STRIPE_PATH = "/orders/:orderId/cancel";

  private final Pool pool;
  private final StripeGateway stripe;
  private final Settlement settlement;
  private final Checkout checkout;

  public OrderCancel(Pool pool, StripeGateway stripe, Settlement settlement, Checkout checkout) {
    this.pool = pool;
    this.stripe = stripe;
    this.settlement = settlement;
    this.checkout = checkout;
  }

  /** The path Stripe's hosted page sends a buyer to who gives up (relative to the Storefront's public URL). */
  public static String cancelPath(Order order) {
    return STRIPE_PATH.replace(":orderId", order.id()) + "?token="
        + URLEncoder.encode(order.buyerToken(), StandardCharsets.UTF_8);
  }

  /**
   * @return the cancelled order (also when it was cancelled already: a second click, or the session expired
   *     meanwhile); 404 for a wrong id or token, 409 when it is paid or its session is still being set up
   */
  public Future<Order> cancel(String orderId, String token) {
    return checkout.forBuyer(orderId, token).compose(order -> {
      if ("cancelled".equals(order.state())) {
        return Future.succeededFuture(order);
      }
      if (!"pending".equals(order.state())) {
        throw notCancellable(order);
      }
      if (order.sessionId() == null) {
        throw ApiErrors.conflict("checkout_in_progress", "This checkout is still being set up; try again shortly");
      }
      // no connection is held over the Stripe call: read, call, then decide under the row lock
      return sessionClosed(order).compose(x -> pool.withTransaction(tx -> tx.preparedQuery(OrderSql.BY_ID_FOR_UPDATE)
              .execute(Tuple.of(order.id()))
              .compose(rows -> settlement.cancel(tx, Checkout.first(rows), REASON))
              // our expire may have come back as checkout.session.expired first: that was this buyer's cancel
              .compose(done -> done ? Future.succeededFuture()
                  : tx.preparedQuery(OrderSql.EXPIRED_BY_BUYER).execute(Tuple.of(order.id(), REASON)).mapEmpty())))
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
    return Authorizations.expireSession(stripe, order.sessionId(), order.id())
        .compose(expired -> expired ? Future.<Void>succeededFuture() : Future.failedFuture(notCancellable(order)));
  }

  private static ApiException notCancellable(Order order) {
    return ApiErrors.conflict("illegal_transition", "This order can't be cancelled any more (it is " + order.state()
        + "); once paid, ask the shop for a refund");
  }
}
