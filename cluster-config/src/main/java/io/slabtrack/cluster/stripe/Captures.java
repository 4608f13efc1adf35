package io.slabtrack.cluster.stripe;

import com.stripe.model.PaymentIntent;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures a manual-capture PaymentIntent and tells what really became of it. An error answer to a capture does not
 * mean the money is lost: Stripe may have captured already (a retry whose first answer was lost, after the
 * idempotency key's 24 hours; a capture from the dashboard) and then answers 400
 * {@code payment_intent_unexpected_state}. So on any error the PaymentIntent is read back and its status decides:
 * {@code succeeded} is {@link Kind#CAPTURED}, {@code canceled} is {@link Kind#CANCELED} (the authorization lapsed or
 * was cancelled: nothing can be charged), and anything else (still {@code requires_capture}, {@code processing}, or
 * Stripe unreachable) fails with the capture's error, for the caller to try again later with the same key.
 */
public final class Captures {
  private static final Logger LOG = LoggerFactory.getLogger(Captures.class);

  private Captures() {
  }

  public enum Kind { CAPTURED, CANCELED }

  /**
   * What became of the PaymentIntent; for {@link Kind#CAPTURED}, the charge and what Stripe took. As JSON it travels
   * from a reply handler's step outside the transaction to the one inside ({@link #toJson()}, {@link #fromJson}).
   */
  public record Outcome(Kind kind, String paymentIntentId, String chargeId, Long amountReceived) {
    static Outcome of(Kind kind, PaymentIntent pi) {
      return new Outcome(kind, pi.getId(), pi.getLatestCharge(), pi.getAmountReceived());
    }

    public boolean captured() {
      return kind == Kind.CAPTURED;
    }

    /** @param fallback what was asked for, if Stripe's answer lacks {@code amount_received} */
    public long capturedCents(long fallback) {
      return amountReceived == null ? fallback : amountReceived;
    }

    public JsonObject toJson() {
      return new JsonObject().put("kind", kind.name()).put("paymentIntentId", paymentIntentId)
          .put("chargeId", chargeId).put("amountReceived", amountReceived);
    }

    /** @return null if {@code json} is null */
    public static Outcome fromJson(JsonObject json) {
      return json == null ? null : new Outcome(Kind.valueOf(json.getString("kind")), json.getString("paymentIntentId"),
          json.getString("chargeId"), json.getLong("amountReceived"));
    }
  }

  /** @param amountToCapture null = the whole authorization */
  public static Future<Outcome> capture(StripeGateway stripe, String paymentIntentId, Long amountToCapture,
                                        String idempotencyKey) {
    return stripe.capturePaymentIntent(paymentIntentId, amountToCapture, idempotencyKey)
        .map(pi -> Outcome.of(Kind.CAPTURED, pi))
        .recover(failure -> stripe.retrievePaymentIntent(paymentIntentId)
            .recover(unreadable -> Future.failedFuture(failure))
            .compose(pi -> switch (String.valueOf(pi.getStatus())) {
              case "succeeded" -> {
                LOG.warn("capture of {} answered {}, but Stripe had captured it already ({} cents): paid",
                    paymentIntentId, failure.toString(), pi.getAmountReceived());
                yield Future.succeededFuture(Outcome.of(Kind.CAPTURED, pi));
              }
              case "canceled" -> {
                LOG.warn("capture of {} failed ({}): the PaymentIntent is canceled ({})", paymentIntentId,
                    failure.toString(), pi.getCancellationReason());
                yield Future.succeededFuture(Outcome.of(Kind.CANCELED, pi));
              }
              default -> {
                LOG.warn("capture of {} failed ({}) and it is {}: to be retried", paymentIntentId, failure.toString(),
                    pi.getStatus());
                yield Future.failedFuture(failure);
              }
            }));
  }
}
