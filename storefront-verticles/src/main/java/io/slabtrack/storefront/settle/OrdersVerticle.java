package io.slabtrack.storefront.settle;

import io.slabtrack.storefront.orders.Order;
import io.slabtrack.storefront.orders.OrderSql;
import io.slabtrack.storefront.orders.Checkout;
import io.slabtrack.storefront.orders.ShippingMails;
import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.settlement.Authorizations;
import io.slabtrack.cluster.outbox.Inbox;
import io.slabtrack.cluster.stripe.StripeGateway;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order consumers: sale-lock expiry notices ({@code storefront.salelock.expired}: a still-pending order's
 * Checkout Session is expired, so the buyer can no longer pay for cards we no longer hold) and confirmation mails.
 */
public final class OrdersVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(OrdersVerticle.class);
  private final Pool pool;
  private final StripeGateway stripe;
  private final Settlement settlement;
  private final Confirmations confirmations;

  public OrdersVerticle(Pool pool, StripeGateway stripe, Settlement settlement, Confirmations confirmations) {
    this.pool = pool;
    this.stripe = stripe;
    this.settlement = settlement;
    this.confirmations = confirmations;
  }

  @Override
  public Future<?> start() {
    // the Stripe call and the mail run before the inbox's transaction: no connection is held over the network
    return Future.all(
        Inbox.consume(vertx, pool, Addresses.saleLockExpired(AppName.STOREFRONT), this::expireSession,
            this::lockExpired),
        confirmations.consume(vertx, pool),
        Inbox.consume(vertx, pool, ShippingMails.ADDRESS, new ShippingMails(confirmations)::send,
            (tx, sent) -> Future.succeededFuture(sent)));
  }

  /**
   * Outside any transaction: a still-pending order's Checkout Session is expired at Stripe (keyed by the order, so a
   * repeat is Stripe's replay). What it did travels to {@link #lockExpired} as {@code orderId} and {@code expired}.
   */
  private Future<JsonObject> expireSession(JsonObject notice) {
    return pool.preparedQuery(OrderSql.BY_LOCK_REF).execute(Tuple.of(notice.getString("lockRef"))).compose(rows -> {
      Order order = Checkout.first(rows);
      if (order == null || !"pending".equals(order.state())) {
        return Future.succeededFuture(new JsonObject());
      }
      LOG.info("order {}: sale-lock {} expired before payment; expiring its checkout session", order.id(),
          order.lockRef());
      // false: completed meanwhile, the payment's events settle it
      Future<Boolean> expired = order.sessionId() == null ? Future.succeededFuture(true)
          : Authorizations.expireSession(stripe, order.sessionId(), order.id());
      return expired.map(done -> new JsonObject().put("orderId", order.id()).put("expired", done));
    });
  }

  /** In the inbox's transaction: the order, re-read under its row lock, is cancelled if its session expired. */
  private Future<JsonObject> lockExpired(SqlConnection tx, JsonObject expiry) {
    String orderId = expiry.getString("orderId");
    if (orderId == null) {
      return Future.succeededFuture(new JsonObject().put("action", "none"));
    }
    return tx.preparedQuery(OrderSql.BY_ID_FOR_UPDATE).execute(Tuple.of(orderId)).compose(rows -> {
      Order order = Checkout.first(rows);
      boolean cancel = order != null && "pending".equals(order.state()) && expiry.getBoolean("expired", false);
      return (cancel ? settlement.cancel(tx, order, "lock_expired") : Future.succeededFuture(false))
          .map(x -> new JsonObject().put("action", "session_expired").put("orderId", orderId));
    });
  }
}
