package io.slabtrack.cluster.settlement;

import io.slabtrack.cluster.salelock.ClaimAnswerListener;
import io.slabtrack.cluster.salelock.ClaimCompletion;
import io.slabtrack.cluster.salelock.SaleClaim;
import io.slabtrack.cluster.settlement.SaleTerms.StripeStep;
import io.slabtrack.cluster.stripe.Captures;
import io.slabtrack.cluster.stripe.StripeGateway;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Core's answer to a claim, the same way for every channel app: the Stripe call first, holding no connection
 * ({@link #prepare}: won → capture, lost → cancel the authorization, both keyed by the sale so a repeat is Stripe's
 * replay), then, in the transaction that marks the claim delivered and with the sale under its row lock
 * ({@link #onAnswer}), what Stripe did becomes the sale's state: paid, capture failed (the cards go back to core,
 * {@link SaleRelease}) or lost. {@link ClaimCompletion} releases the sale-locks after. A capture Stripe can't do now
 * (5xx, unreachable) fails the reply: the outbox redelivers the claim, core's inbox answers the same, and the capture
 * is retried with the same key; a capture Stripe refuses is decided by the PaymentIntent's status ({@link Captures}).
 *
 * @param <S> the app's sale
 */
public final class ClaimSettlement<S> implements ClaimAnswerListener {
  private static final Logger LOG = LoggerFactory.getLogger(ClaimSettlement.class);
  private final Pool pool;
  private final StripeGateway stripe;
  private final SalePolicy<S> policy;

  public ClaimSettlement(Pool pool, StripeGateway stripe, SalePolicy<S> policy) {
    this.pool = pool;
    this.stripe = stripe;
    this.policy = policy;
  }

  @Override
  public Future<JsonObject> prepare(SaleClaim claim, JsonObject answer) {
    return policy.read(pool, claim).compose(sale -> {
      if (sale == null || policy.stage(sale) != SalePolicy.Stage.AWAITING_ANSWER) {
        return Future.succeededFuture(answer); // decided already, or cancelled: onAnswer decides without Stripe
      }
      if (won(answer)) {
        return Captures.capture(stripe, policy.paymentIntentId(sale), policy.amountToCapture(sale),
                SaleTerms.key(stripe, StripeStep.CAPTURE, policy.saleRef(sale)))
            .map(outcome -> answer.copy().put("capture", outcome.toJson()));
      }
      LOG.info("claim {} lost ({}): cancelling the authorization of {}", claim.claimId(), answer.getString("reason"),
          claim.orderRef());
      return Authorizations.cancel(stripe, policy.paymentIntentId(sale), policy.saleRef(sale))
          .map(x -> answer.copy().put("canceledIntent", String.valueOf(policy.paymentIntentId(sale))));
    });
  }

  @Override
  public Future<Void> onAnswer(SqlConnection tx, SaleClaim claim, JsonObject answer) {
    return policy.lock(tx, claim).compose(sale -> {
      if (sale == null) {
        LOG.warn("claim {} answered for unknown order {}", claim.claimId(), claim.orderRef());
        return Future.succeededFuture();
      }
      LOG.info("order {} claim {}: {} {}", claim.orderRef(), claim.claimId(), answer.getString("outcome"),
          answer.getString("reason", ""));
      return switch (policy.stage(sale)) {
        case DECIDED -> Future.succeededFuture();
        case CANCELLED -> won(answer) ? SaleRelease.enqueue(tx, claim, "order_cancelled") : Future.succeededFuture();
        case AWAITING_ANSWER -> won(answer) ? captured(tx, claim, sale, answer) : lost(tx, claim, sale, answer);
      };
    });
  }

  private Future<Void> captured(SqlConnection tx, SaleClaim claim, S sale, JsonObject answer) {
    Captures.Outcome capture = Captures.Outcome.fromJson(answer.getJsonObject("capture"));
    if (capture == null) { // became capturable after prepare looked: go round again
      return Future.failedFuture(new IllegalStateException("claim " + claim.claimId() + ": no capture made yet"));
    }
    if (capture.captured()) {
      return policy.paid(tx, sale, capture);
    }
    LOG.warn("order {}: the authorization is canceled, nothing can be captured; giving the cards back",
        claim.orderRef());
    return policy.captureFailed(tx, sale).compose(x -> SaleRelease.enqueue(tx, claim, "capture_failed"));
  }

  private Future<Void> lost(SqlConnection tx, SaleClaim claim, S sale, JsonObject answer) {
    if (!String.valueOf(policy.paymentIntentId(sale)).equals(answer.getString("canceledIntent"))) {
      // the sale changed since prepare looked (a PaymentIntent appeared): go round again
      return Future.failedFuture(new IllegalStateException("claim " + claim.claimId() + ": authorization not cancelled"));
    }
    return policy.lost(tx, sale);
  }

  private static boolean won(JsonObject answer) {
    return "won".equals(answer.getString("outcome"));
  }
}
