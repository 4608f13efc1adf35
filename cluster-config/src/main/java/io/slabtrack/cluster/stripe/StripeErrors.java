package io.slabtrack.cluster.stripe;

import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.PermissionException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import io.slabtrack.cluster.http.ApiException;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns stripe-java's exceptions into the apps' error answers (API-CONVENTIONS.md): a declined card is the
 * buyer's problem (402), a request Stripe finds invalid is ours (400) or a state clash (409), and anything about
 * reaching Stripe (network, 5xx, rate limit, our credentials) is an upstream failure (502/503) the caller may
 * retry with the same idempotency key. Stripe's own code, request id and param travel in {@code details}.
 */
public final class StripeErrors {
  private static final Logger LOG = LoggerFactory.getLogger(StripeErrors.class);

  /** Stripe codes that mean "the object is not in a state that allows this", i.e. our 409. */
  private static final Set<String> STATE_CODES = Set.of(
      "payment_intent_unexpected_state", "charge_already_refunded", "charge_already_captured",
      "charge_not_captured", "charge_expired_for_capture", "checkout_session_not_open",
      "insufficient_capabilities_for_transfer", "account_invalid");

  public static final String PROVIDER_UNAVAILABLE = "payment_provider_unavailable";

  private StripeErrors() {
  }

  public static Throwable toApi(Throwable t) {
    if (!(t instanceof StripeException e)) {
      return t;
    }
    JsonObject details = new JsonObject()
        .put("stripeCode", e.getCode())
        .put("stripeRequestId", e.getRequestId());
    if (e.getStripeError() != null && e.getStripeError().getParam() != null) {
      details.put("param", e.getStripeError().getParam());
    }
    String message = e.getStripeError() != null && e.getStripeError().getMessage() != null
        ? e.getStripeError().getMessage() : e.getMessage();
    if (e instanceof CardException card) {
      details.put("declineCode", card.getDeclineCode());
      return new ApiException(402, "card_declined", message, details);
    }
    if (e instanceof IdempotencyException) {
      LOG.warn("Stripe idempotency clash requestId={}: {}", e.getRequestId(), message);
      return new ApiException(409, "payment_idempotency_conflict", message, details);
    }
    if (e instanceof InvalidRequestException) {
      Integer status = e.getStatusCode();
      if (status != null && status == 404) {
        return new ApiException(404, "payment_resource_missing", message, details);
      }
      if (e.getCode() != null && STATE_CODES.contains(e.getCode())) {
        return new ApiException(409, "payment_state_conflict", message, details);
      }
      return new ApiException(400, "payment_invalid_request", message, details);
    }
    if (e instanceof AuthenticationException || e instanceof PermissionException) {
      // our configuration, not the buyer's request: loud in the log, vague to the client
      LOG.error("Stripe refused our credentials requestId={}: {}", e.getRequestId(), message);
      return new ApiException(503, PROVIDER_UNAVAILABLE, "The payment provider is unavailable", details);
    }
    if (e instanceof RateLimitException) {
      return new ApiException(503, PROVIDER_UNAVAILABLE, "The payment provider is busy; retry shortly",
          details.put("retryAfterSeconds", 2));
    }
    if (e instanceof ApiConnectionException) {
      LOG.warn("Stripe unreachable: {}", message);
      return new ApiException(503, PROVIDER_UNAVAILABLE, "The payment provider could not be reached", details);
    }
    LOG.warn("Stripe failed status={} requestId={}: {}", e.getStatusCode(), e.getRequestId(), message);
    return new ApiException(502, PROVIDER_UNAVAILABLE, "The payment provider failed", details);
  }
}
