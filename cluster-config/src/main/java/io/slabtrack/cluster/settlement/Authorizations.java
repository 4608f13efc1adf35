package io.slabtrack.cluster.settlement;

import com.stripe.param.PaymentIntentCancelParams;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.settlement.SaleTerms.StripeStep;
import io.slabtrack.cluster.stripe.StripeGateway;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Letting go of a payment that must not be charged: the authorization cancelled, or the hosted Checkout Session
 * expired. Called holding no connection. One rule when Stripe refuses: the object's current status, read back,
 * decides (the same rule {@link io.slabtrack.cluster.stripe.Captures} applies to captures), never the error's code.
 */
public final class Authorizations {
  private static final Logger LOG = LoggerFactory.getLogger(Authorizations.class);

  private Authorizations() {
  }

  /**
   * Cancels an authorization. Done when Stripe cancels it, or when it refuses and the PaymentIntent is
   * {@code canceled} already (a repeat, a lapse, ours from another path); any other refusal (it was captured, or
   * Stripe is unreachable) fails, for the caller to retry or report.
   *
   * @param paymentIntentId null: nothing was ever authorized, nothing to cancel
   */
  public static Future<Void> cancel(StripeGateway stripe, String paymentIntentId, String saleRef) {
    if (paymentIntentId == null) {
      return Future.succeededFuture();
    }
    return stripe.cancelPaymentIntent(paymentIntentId, PaymentIntentCancelParams.CancellationReason.ABANDONED,
            SaleTerms.key(stripe, StripeStep.CANCEL, saleRef))
        .<Void>mapEmpty()
        .recover(failure -> stripe.retrievePaymentIntent(paymentIntentId)
            .recover(unreadable -> Future.failedFuture(failure))
            .compose(pi -> {
              if ("canceled".equals(pi.getStatus())) {
                return Future.<Void>succeededFuture();
              }
              LOG.warn("cancel of {} refused ({}) and it is {}", paymentIntentId, failure.toString(), pi.getStatus());
              return Future.failedFuture(failure);
            }));
  }

  /**
   * Expires a hosted Checkout Session so it can no longer be paid.
   *
   * @return true if the session is expired (now or before), false if the buyer completed it (paid meanwhile: the
   *     payment's events settle it); a failure if Stripe can't tell now
   */
  public static Future<Boolean> expireSession(StripeGateway stripe, String sessionId, String saleRef) {
    return stripe.expireCheckoutSession(sessionId, SaleTerms.key(stripe, StripeStep.EXPIRE, saleRef))
        .map(session -> "expired".equals(session.getStatus()))
        // Stripe refuses to expire a session that is no longer open: what it is now decides
        .recover(e -> !(e instanceof ApiException api && api.status() < 500) ? Future.failedFuture(e)
            : stripe.retrieveCheckoutSession(sessionId).map(session -> "expired".equals(session.getStatus())));
  }
}
