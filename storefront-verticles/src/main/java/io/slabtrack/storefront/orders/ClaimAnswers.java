package io.slabtrack.storefront.orders;

import com.stripe.param.PaymentIntentCancelParams;
import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.outbox.Outbox;
import io.slabtrack.cluster.outbox.OutboxMessage;
import io.slabtrack.cluster.salelock.ClaimAnswerListener;
import io.slabtrack.cluster.salelock.SaleClaim;
import io.slabtrack.cluster.stripe.Captures;
import io.slabtrack.cluster.stripe.StripeGateway;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Core's answer to an order's claim, in the transaction that marks the claim delivered: {@code won} → capture →
 * {@code paid}; {@code lost} → cancel the authorization → {@code cancelled} ("sold elsewhere", never charged). A
 * capture that Stripe can't do now (5xx) fails the transaction, so the outbox redelivers the claim, core answers the
 * same again and the capture is retried with the same idempotency key; a capture refused because the authorization
 * lapsed or was cancelled gives the cards back to core ({@code core.sale.release}), and one refused because Stripe
 * had captured already is paid ({@link Captures} reads the PaymentIntent back on any error).
 */
final class ClaimAnswers implements ClaimAnswerListener {
  private static final Logger LOG = LoggerFactory.getLogger(ClaimAnswers.class);
  private final StripeGateway stripe;
  private final Confirmations confirmations;

  ClaimAnswers(StripeGateway stripe, Confirmations confirmations) {
    this.stripe = stripe;
    this.confirmations = confirmations;
  }

  @Override
  public Future<Void> onAnswer(SqlConnection tx, SaleClaim claim, JsonObject answer) {
    return tx.preparedQuery(OrderSql.BY_ID_FOR_UPDATE).execute(Tuple.of(claim.orderRef())).compose(rows -> {
      Order order = Checkout.first(rows);
      if (order == null) {
        LOG.warn("claim {} answered for unknown order {}", claim.claimId(), claim.orderRef());
        return Future.succeededFuture();
      }
      boolean won = "won".equals(answer.getString("outcome"));
      LOG.info("order {} claim {}: {} {}", order.id(), claim.claimId(), answer.getString("outcome"),
          answer.getString("reason", ""));
      if (won) {
        return switch (order.state()) {
          case "awaiting_confirmation" -> capture(tx, order, claim);
          case "cancelled" -> release(tx, order, claim, "order_cancelled");
          default -> Future.succeededFuture();
        };
      }
      if (!"awaiting_confirmation".equals(order.state()) && !"pending".equals(order.state())) {
        return Future.succeededFuture();
      }
      return cancelAuthorization(order)
          .compose(x -> tx.preparedQuery(OrderSql.CANCEL).execute(Tuple.of(order.id(), "sold_elsewhere")))
          .compose(x -> Ledger.record(tx, order, "cancelled", null));
    });
  }

  /** Whatever the capture answers, the PaymentIntent's real status decides ({@link Captures}). */
  private Future<Void> capture(SqlConnection tx, Order order, SaleClaim claim) {
    return Captures.capture(stripe, order.paymentIntentId(), null, stripe.keyPrefix() + "capture-" + order.id())
        .compose(outcome -> {
          if (!outcome.captured()) {
            LOG.warn("order {}: the authorization is canceled, nothing can be captured; giving the cards back",
                order.id());
            return tx.preparedQuery(OrderSql.CANCEL).execute(Tuple.of(order.id(), "capture_failed"))
                .compose(x -> Ledger.record(tx, order, "cancelled", null))
                .compose(x -> release(tx, order, claim, "capture_failed"));
          }
          long captured = outcome.capturedCents(order.amountCents());
          return tx.preparedQuery(OrderSql.PAID).execute(Tuple.of(order.id(), captured,
                  outcome.intent().getLatestCharge()))
              .compose(x -> tx.preparedQuery(OrderSql.CARDS_SOLD).execute(Tuple.tuple().addArrayOfLong(order.cardIds().toArray(new Long[0]))))
              .compose(x -> Ledger.record(tx, order, "paid", new JsonObject().put("capturedCents", captured)
                  .put("stripeId", order.paymentIntentId())))
              .compose(x -> confirmations.enqueue(tx, order))
              .onSuccess(x -> LOG.info("order {} paid: captured {} cents", order.id(), captured));
        }); // anything else (Stripe unavailable, still capturable): the claim's redelivery retries the capture
  }

  private Future<Void> release(SqlConnection tx, Order order, SaleClaim claim, String reason) {
    JsonObject body = new JsonObject()
        .put("eventId", UUID.nameUUIDFromBytes(("sale-release:" + claim.claimId()).getBytes(StandardCharsets.UTF_8))
            .toString())
        .put("occurredAt", Instant.now().toString()).put("claimId", claim.claimId()).put("channel", "storefront")
        .put("orderRef", order.id()).put("cardIds", new JsonArray(List.copyOf(order.cardIds()))).put("reason", reason);
    return Outbox.enqueue(tx, OutboxMessage.of(Addresses.CORE_SALE_RELEASE, "order:storefront:" + order.id(), body));
  }

  private Future<Void> cancelAuthorization(Order order) {
    if (order.paymentIntentId() == null) {
      return Future.succeededFuture();
    }
    return stripe.cancelPaymentIntent(order.paymentIntentId(), PaymentIntentCancelParams.CancellationReason.ABANDONED,
            stripe.keyPrefix() + "cancel-" + order.id())
        .<Void>mapEmpty()
        .recover(e -> {
          if (e instanceof ApiException api && api.status() < 500) {
            return Future.succeededFuture(); // already canceled or lapsed: nothing to give back
          }
          return Future.failedFuture(e);
        });
  }
}
