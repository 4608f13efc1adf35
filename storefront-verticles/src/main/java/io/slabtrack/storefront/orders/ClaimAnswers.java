package io.slabtrack.storefront.orders;

import com.stripe.param.PaymentIntentCancelParams;
import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.metrics.PurchaseMetrics;
import io.slabtrack.cluster.outbox.Outbox;
import io.slabtrack.cluster.outbox.OutboxMessage;
import io.slabtrack.cluster.salelock.ClaimAnswerListener;
import io.slabtrack.cluster.salelock.SaleClaim;
import io.slabtrack.cluster.stripe.Captures;
import io.slabtrack.cluster.stripe.StripeGateway;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Core's answer to an order's claim: the Stripe call first, holding no connection ({@link #prepare}), then, in the
 * transaction that marks the claim delivered, {@code won} → {@code paid}; {@code lost} → {@code cancelled} ("sold
 * elsewhere", the authorization cancelled, never charged). A capture that Stripe can't do now (5xx) fails the reply,
 * so the outbox redelivers the claim, core answers the same again and the capture is retried with the same
 * idempotency key; a capture refused because the authorization lapsed or was cancelled gives the cards back to core
 * ({@code core.sale.release}), and one refused because Stripe had captured already is paid ({@link Captures} reads
 * the PaymentIntent back on any error).
 */
final class ClaimAnswers implements ClaimAnswerListener {
  private static final Logger LOG = LoggerFactory.getLogger(ClaimAnswers.class);
  private final Pool pool;
  private final StripeGateway stripe;
  private final Confirmations confirmations;
  private final PurchaseMetrics metrics;

  ClaimAnswers(Pool pool, StripeGateway stripe, Confirmations confirmations, PurchaseMetrics metrics) {
    this.pool = pool;
    this.metrics = metrics;
    this.stripe = stripe;
    this.confirmations = confirmations;
  }

  /**
   * Stripe's side of core's answer, before the relay's transaction (no connection held over Stripe): won → capture
   * (whatever the capture answers, the PaymentIntent's real status decides, see {@link Captures}); lost → cancel the
   * authorization. Both keyed by the order, so a repeat is Stripe's replay.
   */
  @Override
  public Future<JsonObject> prepare(SaleClaim claim, JsonObject answer) {
    return pool.preparedQuery(OrderSql.BY_ID).execute(Tuple.of(claim.orderRef())).compose(rows -> {
      Order order = Checkout.first(rows);
      if (order == null) {
        return Future.succeededFuture(answer);
      }
      if ("won".equals(answer.getString("outcome"))) {
        return !"awaiting_confirmation".equals(order.state()) ? Future.succeededFuture(answer)
            : Captures.capture(stripe, order.paymentIntentId(), null, stripe.keyPrefix() + "capture-" + order.id())
                .map(outcome -> answer.copy().put("capture", outcome.toJson()));
      }
      if (!"awaiting_confirmation".equals(order.state()) && !"pending".equals(order.state())) {
        return Future.succeededFuture(answer);
      }
      return cancelAuthorization(order)
          .map(x -> answer.copy().put("canceledIntent", String.valueOf(order.paymentIntentId())));
    });
  }

  /** In the relay's transaction, with the order locked: what {@link #prepare} did at Stripe becomes its state. */
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
          case "awaiting_confirmation" -> captured(tx, order, claim, answer.getJsonObject("capture"));
          case "cancelled" -> release(tx, order, claim, "order_cancelled");
          default -> Future.succeededFuture();
        };
      }
      if (!"awaiting_confirmation".equals(order.state()) && !"pending".equals(order.state())) {
        return Future.succeededFuture();
      }
      if (!String.valueOf(order.paymentIntentId()).equals(answer.getString("canceledIntent"))) {
        // the order changed since prepare looked (a PaymentIntent appeared): go round again
        return Future.failedFuture(new IllegalStateException("order " + order.id() + ": authorization not cancelled"));
      }
      return tx.preparedQuery(OrderSql.CANCEL).execute(Tuple.of(order.id(), "sold_elsewhere"))
          .compose(x -> Ledger.record(tx, order, "cancelled", null))
          .onSuccess(x -> metrics.settled(PurchaseMetrics.CHECKOUT, "sold_elsewhere"));
    });
  }

  private Future<Void> captured(SqlConnection tx, Order order, SaleClaim claim, JsonObject capture) {
    Captures.Outcome outcome = Captures.Outcome.fromJson(capture);
    if (outcome == null) { // became capturable after prepare looked: go round again
      return Future.failedFuture(new IllegalStateException("order " + order.id() + ": no capture made yet"));
    }
    if (!outcome.captured()) {
      LOG.warn("order {}: the authorization is canceled, nothing can be captured; giving the cards back", order.id());
      return tx.preparedQuery(OrderSql.CANCEL).execute(Tuple.of(order.id(), "capture_failed"))
          .compose(x -> Ledger.record(tx, order, "cancelled", null))
          .compose(x -> release(tx, order, claim, "capture_failed"))
          .onSuccess(x -> metrics.settled(PurchaseMetrics.CHECKOUT, "capture_failed"));
    }
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

  private Future<Void> release(SqlConnection tx, Order order, SaleClaim claim, String reason) {
    JsonObject body = new JsonObject()
        .put("eventId", UUID.nameUUIDFromBytes(("sale-release:" + claim.claimId()).getBytes(StandardCharsets.UTF_8))
            .toString())
        .put("occurredAt", Instant.now().toString()).put("claimId", claim.claimId()).put("channel", "storefront")
        .put("orderRef", order.id()).put("cardIds", new JsonArray(List.copyOf(order.cardIds()))).put("reason", reason);
    return Outbox.enqueue(tx, OutboxMessage.of(Addresses.CORE_SALE_RELEASE, "order:storefront:" + order.id(), body));
  }

  /**
   * The {@code payment_intent.canceled} of {@link #cancelAuthorization} (the only cancel with reason
   * {@code abandoned}) for an order whose claim is in flight: the claim's answer cancels the order as sold elsewhere,
   * so the webhook, which may arrive first now that the cancel happens outside the answer's transaction, leaves it.
   */
  static boolean cancelledForLostClaim(Order order, JsonObject intent) {
    return "awaiting_confirmation".equals(order.state()) && "abandoned".equals(intent.getString("cancellation_reason"));
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
