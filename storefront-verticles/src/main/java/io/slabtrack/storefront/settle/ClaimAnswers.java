package io.slabtrack.storefront.settle;

import io.slabtrack.storefront.orders.Order;
import io.slabtrack.storefront.orders.OrderSql;
import io.slabtrack.storefront.orders.Checkout;
import io.slabtrack.storefront.orders.ShippingMails;
import io.slabtrack.cluster.metrics.PurchaseMetrics;
import io.slabtrack.cluster.salelock.SaleClaim;
import io.slabtrack.cluster.settlement.Authorizations;
import io.slabtrack.cluster.settlement.ClaimSettlement;
import io.slabtrack.cluster.settlement.SalePolicy;
import io.slabtrack.cluster.stripe.Captures;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Storefront's sale for the shared claim-answer mechanism ({@link ClaimSettlement}: Stripe first, holding no
 * connection; then the order's state under its row lock): an order, keyed at Stripe by its id, capturing the whole
 * authorization. {@code won} → {@code paid} (cards sold, ledger, confirmation and shop mails through the outbox);
 * {@code lost} → {@code cancelled} ("sold elsewhere", never charged); a capture refused because the authorization is
 * gone → {@code cancelled} ({@code capture_failed}), the mechanism giving the cards back to core.
 */
public final class ClaimAnswers implements SalePolicy<Order> {
  private static final Logger LOG = LoggerFactory.getLogger(ClaimAnswers.class);
  private final Confirmations confirmations;
  private final PurchaseMetrics metrics;

  public ClaimAnswers(Confirmations confirmations, PurchaseMetrics metrics) {
    this.metrics = metrics;
    this.confirmations = confirmations;
  }

  @Override
  public Future<Order> read(SqlClient db, SaleClaim claim) {
    return db.preparedQuery(OrderSql.BY_ID).execute(Tuple.of(claim.orderRef())).map(Checkout::first);
  }

  @Override
  public Future<Order> lock(SqlConnection tx, SaleClaim claim) {
    return tx.preparedQuery(OrderSql.BY_ID_FOR_UPDATE).execute(Tuple.of(claim.orderRef())).map(Checkout::first);
  }

  @Override
  public Stage stage(Order order) {
    // the claim leaves in the transaction that makes the order awaiting_confirmation
    return switch (order.state()) {
      case "awaiting_confirmation" -> Stage.AWAITING_ANSWER;
      case "cancelled" -> Stage.CANCELLED;
      default -> Stage.DECIDED;
    };
  }

  @Override
  public String saleRef(Order order) {
    return order.id();
  }

  @Override
  public String paymentIntentId(Order order) {
    return order.paymentIntentId();
  }

  @Override
  public Long amountToCapture(Order order) {
    return null; // the whole authorization: the cart's total
  }

  @Override
  public Future<Void> paid(SqlConnection tx, Order order, Captures.Outcome outcome) {
    long captured = outcome.capturedCents(order.amountCents());
    return tx.preparedQuery(OrderSql.PAID).execute(Tuple.of(order.id(), captured, outcome.chargeId()))
        .compose(x -> tx.preparedQuery(OrderSql.CARDS_SOLD)
            .execute(Tuple.tuple().addArrayOfLong(order.cardIds().toArray(new Long[0]))))
        .compose(x -> Ledger.record(tx, order, "paid", new JsonObject().put("capturedCents", captured)
            .put("stripeId", order.paymentIntentId())))
        .compose(x -> confirmations.enqueue(tx, order))
        .compose(x -> ShippingMails.newOrder(tx, order))
        .onSuccess(x -> LOG.info("order {} paid: captured {} cents", order.id(), captured))
        .onSuccess(x -> metrics.settled(PurchaseMetrics.CHECKOUT, "paid"));
  }

  @Override
  public Future<Void> captureFailed(SqlConnection tx, Order order) {
    return tx.preparedQuery(OrderSql.CANCEL).execute(Tuple.of(order.id(), "capture_failed"))
        .compose(x -> Ledger.record(tx, order, "cancelled", null))
        .onSuccess(x -> metrics.settled(PurchaseMetrics.CHECKOUT, "capture_failed"));
  }

  @Override
  public Future<Void> lost(SqlConnection tx, Order order) {
    return tx.preparedQuery(OrderSql.CANCEL).execute(Tuple.of(order.id(), "sold_elsewhere"))
        .compose(x -> Ledger.record(tx, order, "cancelled", null))
        .onSuccess(x -> metrics.settled(PurchaseMetrics.CHECKOUT, "sold_elsewhere"));
  }

  /**
   * The {@code payment_intent.canceled} of a lost claim's cancel ({@link Authorizations#cancel}, the only cancel with
   * reason {@code abandoned}) for an order whose claim is in flight: the claim's answer cancels the order as sold elsewhere,
   * so the webhook, which may arrive first now that the cancel happens outside the answer's transaction, leaves it.
   */
  static boolean cancelledForLostClaim(Order order, JsonObject intent) {
    return "awaiting_confirmation".equals(order.state()) && "abandoned".equals(intent.getString("cancellation_reason"));
  }

}
