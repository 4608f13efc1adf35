package io.slabtrack.storefront.settle;

import io.slabtrack.storefront.orders.Order;
import io.slabtrack.storefront.orders.OrderSql;
import io.slabtrack.storefront.orders.Checkout;
import io.slabtrack.cluster.logging.Correlation;
import io.slabtrack.cluster.http.Responses;
import io.slabtrack.cluster.settlement.StripeEventFlow;
import io.slabtrack.cluster.stripe.StripeWebhookVerifier;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/stripe/webhook}: signature first (400, nothing changed), then in one transaction the event id
 * (a replay is acknowledged and ignored) and the order's transition, re-read under a row lock. Events without an
 * order of ours (the other app's, unhandled types) are acknowledged with 2xx. Slow work (core's claim, mails, the
 * ledger) leaves through the outbox; only the lock release after a cancellation runs after commit.
 */
public final class StripeWebhook {
  /**
   * The platform event types {@link #apply} acts on (what the reconciler asks Stripe for when it looks for lost
   * webhooks); anything else delivered here is acknowledged as {@code ignored}.
   */
  public static final List<String> HANDLED_TYPES = List.of("checkout.session.completed", "checkout.session.expired",
      "payment_intent.amount_capturable_updated", "payment_intent.canceled", "payment_intent.payment_failed",
      "charge.succeeded", "charge.refunded", "refund.created", "refund.updated", "charge.dispute.created",
      "charge.dispute.closed");
  private static final Logger LOG = LoggerFactory.getLogger(StripeWebhook.class);
  private final Settlement settlement;
  private final StripeEventFlow<Void> flow;

  public StripeWebhook(Pool pool, StripeWebhookVerifier verifier, Settlement settlement) {
    this.settlement = settlement;
    this.flow = new StripeEventFlow<>(pool, verifier, (tx, event, none) -> {
      AtomicReference<Order> cancelled = new AtomicReference<>();
      return apply(tx, event, cancelled).map(outcome -> {
        Order order = cancelled.get();
        // a cancellation's locks go after commit; releaseLocks never fails (they expire on their own)
        return order == null ? StripeEventFlow.Applied.of(outcome)
            : StripeEventFlow.Applied.of(outcome).then(() -> settlement.releaseLocks(order));
      });
    });
  }

  public void handle(RoutingContext rc) {
    JsonObject event = flow.verify(rc.body().asString(), rc.request().getHeader("Stripe-Signature"));
    process(event).onSuccess(outcome -> Responses.ok(rc, new JsonObject().put("received", true).put("outcome", outcome)))
        .onFailure(rc::fail);
  }

  /**
   * Everything after the signature check ({@link StripeEventFlow}), for a delivered event and for one the reconciler
   * fetched from Stripe's API (a lost webhook): the event id and the order's transition in one transaction, then the
   * lock release of a cancellation after commit. A replay answers {@code "replay"} and changes nothing.
   *
   * @return what applying it did: {@code authorized}, {@code cancelled}, {@code not_ours}, {@code replay}, …
   */
  public Future<String> process(JsonObject event) {
    return flow.process(event);
  }

  /** The reconciler's heal of lost events: each through {@link #process}, oldest first. */
  public Future<List<StripeEventFlow.Healed>> heal(List<JsonObject> oldestFirst) {
    return flow.heal(oldestFirst);
  }

  private Future<String> apply(SqlConnection tx, JsonObject event, AtomicReference<Order> cancelled) {
    String type = event.getString("type", "");
    JsonObject object = event.getJsonObject("data", new JsonObject()).getJsonObject("object", new JsonObject());
    return find(tx, object).compose(order -> {
      if (order == null) {
        return Future.succeededFuture("not_ours");
      }
      Correlation.put(Correlation.ORDER_ID, order.id());
      LOG.info("stripe event {} {} for order {} ({})", event.getString("id"), type, order.id(), order.state());
      if ("payment_intent.canceled".equals(type) && ClaimAnswers.cancelledForLostClaim(order, object)) {
        return Future.succeededFuture("ignored"); // the claim's answer is cancelling the order (sold elsewhere)
      }
      return switch (type) {
        case "payment_intent.amount_capturable_updated" -> "requires_capture".equals(object.getString("status"))
            ? settlement.authorized(tx, order, object.getString("id")).map("authorized")
            : Future.succeededFuture("ignored");
        case "checkout.session.completed" -> object.getString("payment_intent") != null
            ? settlement.authorized(tx, order, object.getString("payment_intent")).map("authorized")
            : Future.succeededFuture("ignored");
        case "checkout.session.expired", "payment_intent.canceled" ->
            settlement.cancel(tx, order, type.startsWith("checkout") ? "session_expired" : "payment_canceled")
                .map(done -> {
                  if (done) {
                    cancelled.set(order);
                  }
                  return done ? "cancelled" : "ignored";
                });
        case "payment_intent.payment_failed" -> settlement.paymentFailed(tx, order, object).map("payment_failed");
        case "charge.succeeded" -> tx.preparedQuery(OrderSql.PAYMENT_IDS)
            .execute(Tuple.of(order.id(), object.getString("payment_intent"), object.getString("id"))).map("recorded");
        case "charge.refunded" -> settlement.refunded(tx, order, object).map("refund");
        case "refund.created", "refund.updated" -> "failed".equals(object.getString("status"))
            || "canceled".equals(object.getString("status")) || object.getLong("amount", 0L) <= 0
            ? Future.succeededFuture("ignored")
            : settlement.refund(tx, order, object.getString("id"), object.getLong("amount")).map("refund");
        case "charge.dispute.created" -> settlement.disputeOpened(tx, order, object).map("disputed");
        case "charge.dispute.closed" -> settlement.disputeClosed(tx, order, object).map("dispute_closed");
        default -> Future.succeededFuture("ignored");
      };
    });
  }

  /** Our order from the metadata we set, else (disputes, refunds) by its PaymentIntent or charge. */
  private static Future<Order> find(SqlConnection tx, JsonObject object) {
    StripeOrderKeys keys = StripeOrderKeys.of(object);
    if (keys.orderId() != null) {
      return tx.preparedQuery(OrderSql.BY_ID_FOR_UPDATE).execute(Tuple.of(keys.orderId())).map(Checkout::first);
    }
    if (keys.paymentIntentId() == null && keys.chargeId() == null) {
      return Future.succeededFuture();
    }
    return tx.preparedQuery(OrderSql.BY_PAYMENT_FOR_UPDATE).execute(Tuple.of(keys.paymentIntentId(), keys.chargeId()))
        .map(Checkout::first);
  }
}
