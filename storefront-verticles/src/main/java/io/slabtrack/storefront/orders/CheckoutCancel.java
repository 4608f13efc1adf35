package io.slabtrack.storefront.orders;

import io.slabtrack.cluster.stripe.StripeGateway;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The buyer's Cancel on the payment page: the order's cards are released at once instead of when the sale-lock
 * runs out. The Checkout Session is expired at Stripe first, so nothing can be paid on it afterwards; a session
 * that Stripe says is complete (the buyer paid in another tab) is left alone, and the order settles as usual.
 * Then the pending order is cancelled ({@code buyer_cancelled}) and, after commit, its locks released. The
 * {@code checkout.session.expired} webhook that follows finds the order cancelled and changes nothing.
 *
 * <p>Authorised by the order's buyer token (the cancel link carries it, as the order link does).
 */
public final class CheckoutCancel {
  static final String REASON = "buyer_cancelled";
  private static final Logger LOG = LoggerFactory.getLogger(CheckoutCancel.class);

  private final Pool pool;
  private final StripeGateway stripe;
  private final Checkout checkout;
  private final Settlement settlement;

  CheckoutCancel(Pool pool, StripeGateway stripe, Checkout checkout, Settlement settlement) {
    this.pool = pool;
    this.stripe = stripe;
    this.checkout = checkout;
    this.settlement = settlement;
  }

  /** @return the order as it stands afterwards (cancelled, or unchanged when it was no longer pending); 404 on a bad token */
  public Future<Order> cancelPending(String orderId, String buyerToken) {
    return checkout.forBuyer(orderId, buyerToken).compose(order -> {
      if (!"pending".equals(order.state())) {
        return Future.succeededFuture(order);
      }
      return sessionClosed(order).compose(closed -> closed ? cancel(order) : Future.succeededFuture(order));
    });
  }

  /** True once the session can take no payment: expired now by us, or already expired. */
  private Future<Boolean> sessionClosed(Order order) {
    if (order.sessionId() == null) {
      return Future.succeededFuture(true);
    }
    return stripe.expireCheckoutSession(order.sessionId(), stripe.keyPrefix() + "expire-" + order.id())
        .map(true)
        .recover(e -> stripe.retrieveCheckoutSession(order.sessionId())
            .map(session -> "expired".equals(session.getStatus()))
            .otherwise(t -> {
              LOG.warn("order {}: checkout session {} could not be expired ({}); its locks run out on their own",
                  order.id(), order.sessionId(), t.toString());
              return false;
            }));
  }

  /**
   * Cancels under the row lock. Our expire may already have come back as the {@code checkout.session.expired}
   * webhook and cancelled the order as {@code session_expired}: that was this buyer's cancel, so it says so. The
   * locks are released here either way (releasing twice is harmless), so the cards are free when the cart shows.
   */
  private Future<Order> cancel(Order order) {
    return pool.withTransaction(tx -> tx.preparedQuery(OrderSql.BY_ID_FOR_UPDATE).execute(Tuple.of(order.id()))
            .compose(rows -> settlement.cancel(tx, Checkout.first(rows), REASON))
            .compose(done -> done ? Future.succeededFuture()
                : tx.preparedQuery(OrderSql.EXPIRED_BY_BUYER).execute(Tuple.of(order.id(), REASON)).mapEmpty()))
        .compose(x -> checkout.order(order.id()))
        .compose(now -> "cancelled".equals(now.state()) ? settlement.releaseLocks(now).map(now)
            : Future.succeededFuture(now));
  }
}
